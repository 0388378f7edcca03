from django.urls import path

from . import views

app_name = "field"
urlpatterns = [
    path("fleet/", views.fleet, name="fleet"),
    path("fleet/<str:serial>/assign/", views.fleet_assign, name="fleet_assign"),
    path("fleet/escalations/<int:pk>/called/", views.fleet_called, name="fleet_called"),
    path("driver/", views.driver, name="driver"),
    path("driver/report/", views.report, name="report"),
    path("driver/position/", views.position, name="position"),
    path("region/", views.region, name="region"),
]
