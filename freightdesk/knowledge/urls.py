from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.search, name="search"),
    path("check/", views.check, name="check"),
]
