"""One ASGI process serves HTTP (Django) and WebSockets (Channels): ``uvicorn freightdesk.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs the apps loaded)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from freightdesk.conversations.routing import websocket_urlpatterns  # noqa: E402
from freightdesk.core.startup import settle  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
    }
)
settle()
