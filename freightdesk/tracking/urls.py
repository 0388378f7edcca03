from django.urls import path

from . import views

app_name = "tracking"
urlpatterns = [
    path("track/", views.track, name="track"),
    path("d/<str:token>/", views.driver, name="driver"),
    path("orders/<str:serial>/", views.order_page, name="order"),
    path("orders/<str:serial>/report/", views.report, name="report"),
    path("orders/<str:serial>/urge/", views.act, {"kind": "urge"}, name="urge"),
    path("orders/<str:serial>/escalate/", views.act, {"kind": "escalate"}, name="escalate"),
    path("orders/<str:serial>/callback/done/", views.callback_done, name="callback_done"),
    path("orders/<str:serial>/query/new/", views.query, name="query"),
    path("orders/<str:serial>/link/send/", views.send_link, name="send_link"),
]
