"""Who may do what, as data: each business capability names the roles (SPEC §1) that hold it.

Views guard with `@capability_required(Capability.DISPATCH)`, API routes with `CapabilityAuth`
(the API's bearer auth), services and selectors ask `has_capability(user, ...)`, templates read
`can.<capability>` (context processor). A new rule is a new row here, never a role tuple in an app.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import Role, roles_of

A, S, M, X, C = Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.CUSTOMER
F, D, V = Role.FLEET_MANAGER, Role.DRIVER, Role.DEVELOPER


class Capability(StrEnum):
    OPEN_HOME = "open_home"
    # orders
    TAKE_PHONE_ORDER = "take_phone_order"  # 电话下单: the phone desk page
    TAKE_ORDER = "take_order"  # the API's intake on a caller's behalf
    PLACE_ORDER = "place_order"  # staff or a customer account
    VIEW_ORDERS = "view_orders"  # what access_order_for lets through
    VIEW_ALL_ORDERS = "view_all_orders"  # the desk and management
    VIEW_OWN_ORDERS = "view_own_orders"  # a customer account's history
    REVIEW_ORDER = "review_order"  # 核单
    TAKE_OVER_REVIEW = "take_over_review"
    OVERSEE_DEADLINES = "oversee_deadlines"
    VOID_ORDER = "void_order"  # 作废 a confirmed or dispatched order, before pickup
    CORRECT_ORDER = "correct_order"  # 改单 a confirmed or dispatched order, before pickup
    # dispatch, messaging, tracking
    DISPATCH = "dispatch"  # 派单
    RESEND_SMS = "resend_sms"
    TRACK = "track"  # 跟踪
    WATCH_DUE_NOW = "watch_due_now"
    REPORT_EVENTS = "report_events"
    # the field: fleet managers, drivers, market developers (SPEC §1, §6, §7)
    ASSIGN_DRIVER = "assign_driver"  # 车管派车: name the driver and vehicle of a dispatched order
    LIST_DRIVERS = "list_drivers"
    WORK_FLEET = "work_fleet"  # the fleet manager's queue, escalations and his drivers' figures
    DRIVE = "drive"  # the driver's own list and reports
    WATCH_REGION = "watch_region"  # the market developer's region: orders of the day, pickups, complaints
    # tickets, phrases, call review
    RECORD_TICKET = "record_ticket"  # 工单登记
    WORK_TICKETS = "work_tickets"
    VIEW_TICKETS = "view_tickets"
    SUPERVISE_TICKETS = "supervise_tickets"  # approve or send back a resolution, reopen, handle emergencies
    DECLARE_CRISIS = "declare_crisis"  # 危机
    WORK_CRISIS = "work_crisis"  # a crisis ticket is locked to management
    APPROVE_RESOLUTION = "approve_resolution"
    FILE_TICKET = "file_ticket"  # POST /api/v1/tickets: the desk, or a customer account about its own orders
    READ_TICKETS = "read_tickets"  # GET /api/v1/tickets: the desk all, a customer account its own
    FILE_OWN_TICKETS = "file_own_tickets"  # 投诉与建议: a customer's inquiry, complaint or suggestion
    FOLLOW_OWN_TICKETS = "follow_own_tickets"  # status, deadline and replies of one's own tickets
    LOOK_UP_PHRASES = "look_up_phrases"
    DRAFT_ARTICLES = "draft_articles"  # 归档至知识库: a draft article from a closed ticket or an answered query
    PUBLISH_ARTICLES = "publish_articles"  # review and publish someone else's draft (four eyes)
    REVIEW_CALLS = "review_calls"  # 录音质检
    VIEW_CALL_REVIEWS = "view_call_reviews"
    VIEW_CALL_QUALITY = "view_call_quality"
    # telephony
    ANSWER_CALLS = "answer_calls"
    HANDLE_CALLS = "handle_calls"
    SUPERVISE_CALLS = "supervise_calls"
    VIEW_CALL_STATS = "view_call_stats"
    INGEST_CTI = "ingest_cti"
    # outbound work (外呼)
    PLAN_OUTBOUND = "plan_outbound"  # build call lists, assign them, follow their progress
    WORK_OUTBOUND = "work_outbound"  # an agent's outbound queue
    # online chat and website messages
    ANSWER_CHATS = "answer_chats"  # 在线服务: the chat inbox
    SUPERVISE_CHATS = "supervise_chats"  # every live chat; join or take over
    # reports
    VIEW_REPORTS = "view_reports"
    VIEW_TEAM_REPORTS = "view_team_reports"
    VIEW_PENALTY_REPORT = "view_penalty_report"  # 扣罚报表: whose performance pay each month's complaints cost
    KEEP_CALENDAR = "keep_calendar"  # warned on the home page while a year has no official holiday schedule


ROLES_FOR: dict[Capability, frozenset[str]] = {
    Capability.OPEN_HOME: frozenset(Role.values),
    Capability.TAKE_PHONE_ORDER: frozenset({A, S}),
    Capability.TAKE_ORDER: frozenset({A, S, X}),
    Capability.PLACE_ORDER: frozenset({A, S, X, C}),
    Capability.VIEW_ORDERS: frozenset({A, S, M, X, C}),
    Capability.VIEW_ALL_ORDERS: frozenset({A, S, M, X}),
    Capability.VIEW_OWN_ORDERS: frozenset({C}),
    Capability.REVIEW_ORDER: frozenset({A, S, X}),
    Capability.TAKE_OVER_REVIEW: frozenset({S, X}),
    Capability.OVERSEE_DEADLINES: frozenset({S, M, X}),
    Capability.VOID_ORDER: frozenset({A, S}),
    Capability.CORRECT_ORDER: frozenset({A, S}),
    Capability.DISPATCH: frozenset({A, S}),
    Capability.RESEND_SMS: frozenset({A, S}),
    Capability.TRACK: frozenset({A, S, X}),
    Capability.WATCH_DUE_NOW: frozenset({A, S}),
    Capability.REPORT_EVENTS: frozenset({A, S, X, Role.INTEGRATION}),
    Capability.ASSIGN_DRIVER: frozenset({A, S, F}),
    Capability.LIST_DRIVERS: frozenset({A, S, M, X, F}),
    Capability.WORK_FLEET: frozenset({F}),
    Capability.DRIVE: frozenset({D}),
    Capability.WATCH_REGION: frozenset({V}),
    Capability.RECORD_TICKET: frozenset({A, S}),
    Capability.WORK_TICKETS: frozenset({A, S, M}),
    Capability.VIEW_TICKETS: frozenset({A, S, M, X}),
    Capability.SUPERVISE_TICKETS: frozenset({S, M}),
    Capability.DECLARE_CRISIS: frozenset({S, M}),
    Capability.WORK_CRISIS: frozenset({M}),
    Capability.APPROVE_RESOLUTION: frozenset({M}),
    Capability.FILE_TICKET: frozenset({A, S, C}),
    Capability.READ_TICKETS: frozenset({A, S, M, X, C}),
    Capability.FILE_OWN_TICKETS: frozenset({C}),
    Capability.FOLLOW_OWN_TICKETS: frozenset({C}),
    Capability.LOOK_UP_PHRASES: frozenset({A, S, M, X}),
    Capability.DRAFT_ARTICLES: frozenset({A, S, M}),
    Capability.PUBLISH_ARTICLES: frozenset({S, M}),
    Capability.REVIEW_CALLS: frozenset({S}),
    Capability.VIEW_CALL_REVIEWS: frozenset({A, S, M}),
    Capability.VIEW_CALL_QUALITY: frozenset({S, M, X}),
    Capability.ANSWER_CALLS: frozenset({A, S}),
    Capability.HANDLE_CALLS: frozenset({A, S, X}),
    Capability.SUPERVISE_CALLS: frozenset({S, X}),
    Capability.VIEW_CALL_STATS: frozenset({A, S, M, X}),
    Capability.INGEST_CTI: frozenset({Role.INTEGRATION}),
    Capability.PLAN_OUTBOUND: frozenset({S}),
    Capability.WORK_OUTBOUND: frozenset({A, S}),
    Capability.ANSWER_CHATS: frozenset({A, S}),
    Capability.SUPERVISE_CHATS: frozenset({S}),
    Capability.VIEW_REPORTS: frozenset({A, S, M, X}),
    Capability.VIEW_TEAM_REPORTS: frozenset({S, M, X}),
    Capability.VIEW_PENALTY_REPORT: frozenset({S, M}),
    Capability.KEEP_CALENDAR: frozenset({S, X}),
}


def roles_for(capability: str) -> frozenset[str]:
    return ROLES_FOR[Capability(capability)]


def has_capability(user, capability: str) -> bool:
    return bool(roles_of(user) & roles_for(capability))


def report_scope(user):
    """Whose figures ``user`` reads: None (all) for managers, supervisors and admins; the user for an agent."""
    return None if has_capability(user, Capability.VIEW_TEAM_REPORTS) else user


def capabilities_of(user) -> dict[str, bool]:
    """Every capability by name -> whether `user` holds it (templates: `{% if can.dispatch %}`)."""
    held = roles_of(user)
    return {cap.value: bool(held & roles) for cap, roles in ROLES_FOR.items()}


def capability_required(capability: str):
    """Login, then 403 unless the user holds `capability`."""
    capability = Capability(capability)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.capability = capability
        return wrapper

    return decorator
