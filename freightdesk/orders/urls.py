from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.new_phone_order, name="new_phone_order"),
    path("new/preview/", views.preview, name="preview"),
    path("new/caller/", views.caller_lookup, name="caller_lookup"),
    path("<str:serial>/", views.order_detail, name="detail"),
]
