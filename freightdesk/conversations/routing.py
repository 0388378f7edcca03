from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/conversations/<int:pk>/", consumers.ConversationConsumer.as_asgi()),
    path("ws/chat/inbox/", consumers.InboxConsumer.as_asgi()),
]
