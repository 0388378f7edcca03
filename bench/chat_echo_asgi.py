"""The bare Channels baseline for bench_chat.py: the same pairing and fan-out through the channel layer, no
database, no auth. ``uvicorn bench.chat_echo_asgi:application``."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
django.setup()

from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class Echo(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.group = f"echo.{self.scope['url_route']['kwargs']['pk']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.channel_layer.group_send(self.group, {"type": "relay", "message": content})

    async def relay(self, event):
        await self.send_json({"type": "message", **event["message"]})


application = ProtocolTypeRouter({"websocket": URLRouter([path("ws/echo/<int:pk>/", Echo.as_asgi())])})
