"""Included at the site's root, before the operational apps' own URLs: the board keeps its address /tracking/."""

from django.urls import path

from . import archive, order_views, views

app_name = "desk"
urlpatterns = [
    path("tracking/", views.board, name="board"),
    path("tracking/board/act/", views.board_act, name="board_act"),
    path("tickets/<str:number>/urge/", views.ticket_urge, name="ticket_urge"),
    path("tickets/<str:number>/archive/", archive.archive_ticket, name="ticket_archive"),
    path("tracking/queries/<int:pk>/archive/", archive.archive_query, name="query_archive"),
    path("orders/<str:serial>/void/", order_views.void, name="order_void"),
    path("orders/<str:serial>/correct/", order_views.correct, name="order_correct"),
    path("desk/voids/", order_views.voids, name="voids"),
    path("desk/approvals/", views.approvals, name="approvals"),
]
