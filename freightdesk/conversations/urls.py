from django.urls import path

from . import desk_views, views

app_name = "conversations"

urlpatterns = [
    path("widget.js", views.widget_js, name="widget"),
    path("", views.chat_page, name="chat"),
    path("<int:pk>/", views.customer_conversation, name="customer"),
    path("inbox/", desk_views.inbox, name="inbox"),
    path("inbox/list/", desk_views.inbox_list, name="inbox_list"),
    path("live/", desk_views.live, name="live"),
    path("desk/<int:pk>/", desk_views.conversation, name="desk"),
    path("desk/<int:pk>/messages/", desk_views.messages, name="desk_messages"),
    path("desk/<int:pk>/take/", desk_views.take, name="take"),
    path("desk/<int:pk>/join/", desk_views.join, name="join"),
    path("desk/<int:pk>/transfer/", desk_views.transfer, name="transfer"),
    path("desk/<int:pk>/close/", desk_views.close, name="close"),
    path("desk/<int:pk>/order/", desk_views.to_order, name="to_order"),
    path("desk/<int:pk>/ticket/", desk_views.to_ticket, name="to_ticket"),
    path("desk/<int:pk>/query/", desk_views.record_query, name="query"),
    path("presence/", desk_views.presence, name="presence"),
]
