"""Archive a solved case into the knowledge base (归档至知识库, SPEC §10; seed 002 §二.6): a closed or resolved
ticket, or an answered query on an order, becomes a draft article of the question and its resolution, which
its author edits and a supervisor publishes (knowledge.articles)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from freightdesk.accounts.capabilities import Capability, capability_required
from freightdesk.core.errors import DomainError
from freightdesk.knowledge.articles import archive_case
from freightdesk.orders.selectors import access_order_for
from freightdesk.tickets.models import Status
from freightdesk.tickets.selectors import access_ticket_for
from freightdesk.tracking.models import Query, QueryType

ARCHIVABLE_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})  # solved; a dismissed complaint teaches nothing
TITLE_TEXT = 60
ARTICLE_LANGUAGE = "zh-hans"  # the knowledge base is written in Chinese


def _first_line(text: str) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line[:TITLE_TEXT]


def case_from_ticket(ticket) -> dict:
    """The draft's title and text from the ticket: what the customer said and wanted, and how it was solved.
    The article is written in Chinese, the knowledge base's language, whatever the agent's UI language."""
    label = ticket.sla_policy.label if ticket.sla_policy_id else ticket.subcategory
    with translation.override(ARTICLE_LANGUAGE):
        resolution = ticket.get_resolution_kind_display() if ticket.resolution_kind else ""
    parts = [("问题", ticket.description), ("客户诉求", ticket.demand), ("原因", ticket.cause)]
    if ticket.resolution_kind:
        parts.append(("处理方案", f"{resolution} {ticket.resolution_note}".strip()))
    parts += [
        ("答复客户", ticket.reply),
        ("标准解决方案", ticket.standard_solution),
        ("根本原因", ticket.root_cause),
        ("预防措施", ticket.preventive_action),
    ]
    body = "\n".join(f"{name}：{text.strip()}" for name, text in parts if (text or "").strip())
    return {
        "title": f"{label}：{_first_line(ticket.description)}",
        "body": body,
        "category": ticket.category,
        "subcategory": ticket.subcategory,
    }


def case_from_query(query: Query) -> dict:
    with translation.override(ARTICLE_LANGUAGE):
        label = str(QueryType(query.type).label) if query.type in QueryType.values else query.type
    return {
        "title": f"{label}：{_first_line(query.question) or query.order.serial}",
        "body": f"问题：{query.question.strip() or '—'}\n答复：{query.answer.strip()}",
        "category": "inquiry",
        "subcategory": query.type,
    }


def _archive(request, *, source: str, case: dict, back):
    try:
        article, created = archive_case(author=request.user, source=source, **case)
    except DomainError as exc:
        messages.error(request, exc.message)
        return back
    if created:
        messages.success(request, _("Draft article created: edit it, then a supervisor publishes it."))
    else:
        messages.info(request, _("This case is already in the knowledge base."))
    return redirect("knowledge:article", pk=article.pk)


@capability_required(Capability.DRAFT_ARTICLES)
@require_POST
def archive_ticket(request, number: str):
    """Offered once a ticket is resolved or closed."""
    ticket = access_ticket_for(request.user, number)
    back = redirect("tickets:detail", number=ticket.number)
    if ticket.status not in ARCHIVABLE_STATUSES:
        messages.error(request, _("Only a resolved or closed ticket can be archived into the knowledge base."))
        return back
    return _archive(request, source=f"ticket:{ticket.number}", case=case_from_ticket(ticket), back=back)


@capability_required(Capability.DRAFT_ARTICLES)
@require_POST
def archive_query(request, pk: int):
    """Offered for a query answered on the order (客户查询)."""
    query = Query.objects.select_related("order").filter(pk=pk).first()
    if query is None:
        raise Http404
    order = access_order_for(request.user, query.order_id)
    back = redirect("tracking:order", serial=order.serial)
    if not query.answer.strip():
        messages.error(request, _("Only an answered query can be archived into the knowledge base."))
        return back
    return _archive(request, source=f"query:{query.pk}", case=case_from_query(query), back=back)
