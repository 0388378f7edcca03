from django.urls import path

from . import customer_views, views

app_name = "tickets"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new_ticket, name="new"),
    path("new/preview/", views.preview, name="preview"),
    path("due/", views.due_now, name="due_now"),
    path("web/", customer_views.web_complaint, name="web"),
    path("follow/", customer_views.follow, name="follow"),
    path("mine/", customer_views.my_tickets, name="mine"),
    path("mine/new/", customer_views.my_new_ticket, name="my_new"),
    path("mine/<str:number>/", customer_views.my_ticket, name="my_ticket"),
    path("callbacks/<int:pk>/done/", views.callback_done, name="callback_done"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/transition/", views.transition, name="transition"),
    path("<str:number>/escalate/", views.escalate, name="escalate"),
    path("<str:number>/asks-management/", views.asks_management, name="asks_management"),
    path("<str:number>/take/", views.take, name="take"),
    path("<str:number>/callback/", views.promise, name="promise"),
]
