"""Included at the site's root, before the operational apps' own URLs: the board keeps its address /tracking/."""

from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("tracking/", views.board, name="board"),
    path("tickets/<str:number>/urge/", views.ticket_urge, name="ticket_urge"),
]
