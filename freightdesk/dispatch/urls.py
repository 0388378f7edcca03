from django.urls import path

from . import views

app_name = "dispatch"
urlpatterns = [
    path("", views.board, name="board"),
    path("missed/", views.missed, name="missed"),
    path("<str:serial>/", views.dispatch_page, name="order"),
    path("<str:serial>/call/", views.record_call, name="call"),
    path("<str:serial>/assign/", views.assign, name="assign"),
]
