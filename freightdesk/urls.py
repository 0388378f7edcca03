from django.contrib import admin
from django.urls import include, path

from freightdesk.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("freightdesk.accounts.urls")),
    path("", include("freightdesk.desk.urls")),  # before tracking/ and tickets/: the board, the ticket urge
    path("orders/", include("freightdesk.orders.urls")),
    path("dispatch/", include("freightdesk.dispatch.urls")),
    path("tracking/", include("freightdesk.tracking.urls")),
    path("field/", include("freightdesk.field.urls")),
    path("messaging/", include("freightdesk.messaging.urls")),
    path("s/", include("freightdesk.surveys.urls")),
    path("tickets/", include("freightdesk.tickets.urls")),
    path("knowledge/", include("freightdesk.knowledge.urls")),
    path("quality/", include("freightdesk.quality.urls")),
    path("reports/", include("freightdesk.reports.urls")),
    path("chat/", include("freightdesk.conversations.urls")),
    path("telephony/", include("freightdesk.telephony.urls")),
    path("outbound/", include("freightdesk.outbound.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("freightdesk.api.urls")),
]
