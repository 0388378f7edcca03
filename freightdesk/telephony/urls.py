from django.urls import path

from . import views

app_name = "telephony"
urlpatterns = [
    path("pop/", views.pop, name="pop"),
    path("calls/<int:pk>/<slug:action>/", views.act, name="act"),
    path("stats/", views.stats, name="stats"),
]
