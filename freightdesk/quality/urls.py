from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.new_review, name="new"),
    path("mine/", views.my_reviews, name="mine"),
]
