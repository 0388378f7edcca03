"""The FreightDesk JSON API, /api/v1/ (../shared/API.md). Each part of the business adds its Router here."""

from freightdesk.conversations.api import router as conversations_router
from freightdesk.core.api.errors import FreightDeskAPI, StrictJSONParser, install_error_handlers
from freightdesk.reports.api import router as reports_router
from freightdesk.reports.penalty_api import router as penalty_report_router
from freightdesk.telephony.api import router as telephony_router
from freightdesk.tickets.api import router as tickets_router

from .drivers import router as drivers_router
from .order_changes import router as orders_router  # the orders' routes with void and correct
from .regions import router as regions_router
from .schemas import ORDER_FIELD_PATHS
from .workflow import router as workflow_router

api = FreightDeskAPI(
    title="FreightDesk API",
    version="1",
    urls_namespace="api",
    parser=StrictJSONParser(),
    description=(
        "JSON in and out. Authenticate with `Authorization: Bearer <token>` (`manage.py issue_token USERNAME`). "
        'Bad input -> 422 `{"errors": {"<field path>": ["message"]}}` in the request\'s Accept-Language '
        "(zh-Hans default, en). Times are ISO 8601 with offset (Asia/Shanghai); money is a decimal string in yuan."
    ),
)
install_error_handlers(api, field_paths=ORDER_FIELD_PATHS)

api.add_router("", orders_router)
api.add_router("", regions_router)
api.add_router("", workflow_router)
api.add_router("", drivers_router)
api.add_router("", tickets_router)
api.add_router("", reports_router)
api.add_router("", penalty_report_router)
api.add_router("", telephony_router)
api.add_router("", conversations_router)
