from django.urls import path

from . import views

app_name = "outbound"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/dial/", views.dial, name="dial"),
    path("items/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("lists/", views.lists, name="lists"),
    path("lists/build/", views.build, name="build"),
    path("lists/upload/", views.upload, name="upload"),
    path("lists/<int:pk>/", views.list_detail, name="list"),
    path("lists/<int:pk>/assign/", views.assign, name="assign"),
]
