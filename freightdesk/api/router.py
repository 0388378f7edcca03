from ninja import NinjaAPI

api = NinjaAPI(title="FreightDesk API", version="1", urls_namespace="api")
