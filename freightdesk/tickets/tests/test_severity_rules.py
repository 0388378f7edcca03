"""Severity rises by the rules in the severity-rule table (SPEC §9, 001 第二篇): each rule proven by a test that fails
without its row, each rise on the history with the rule's reason, and nothing written when no rule fits."""

import pytest

from freightdesk.core.errors import NotAllowed
from freightdesk.tickets.history import history_lines
from freightdesk.tickets.models import SeverityRule, Ticket, TicketEvent
from freightdesk.tickets.services import escalate_ticket, transition_ticket
from freightdesk.tickets.severity import record_management_request
from freightdesk.tickets.steps import TicketInputError

pytestmark = pytest.mark.django_db


def rises(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket, kind="severity_raised").values_list("text", "changes"))


def test_an_injury_complaint_starts_at_class_2_with_the_reason_on_its_history(new_ticket):
    ticket = new_ticket(subcategory="injury", description="司机卸货时砸伤了我的脚")
    assert ticket.severity == "class2"
    assert Ticket.objects.get(pk=ticket.pk).severity == "class2"
    [(text, changes)] = rises(ticket)
    assert text == "人员受伤 / 安全事故：二类投诉"
    assert changes == {"severity": ["class1", "class2"], "rule": "complaint-injury", "trigger": "opened"}


def test_a_cargo_safety_complaint_starts_at_class_2(new_ticket):
    assert new_ticket(subcategory="cargo_safety", description="货物被压坏").severity == "class2"


def test_a_safety_emergency_starts_at_class_2(new_ticket, supervisor):
    assert new_ticket(category="emergency", subcategory="safety", by=supervisor).severity == "class2"


def test_without_its_rule_an_injury_complaint_stays_class_1_and_no_rise_is_written(new_ticket):
    SeverityRule.objects.filter(code="complaint-injury").delete()
    ticket = new_ticket(subcategory="injury")
    assert ticket.severity == "class1" and rises(ticket) == []


def test_an_ordinary_complaint_stays_class_1_and_nothing_is_written(new_ticket):
    ticket = new_ticket(subcategory="attitude")
    assert ticket.severity == "class1" and rises(ticket) == []


def test_a_customer_asking_for_the_manager_in_his_demand_makes_class_2(new_ticket):
    ticket = new_ticket(subcategory="attitude", demand="我要找你们经理")
    assert ticket.severity == "class2"
    assert rises(ticket)[0][0] == "顾客要求公司管理部门出面解决：升为二类投诉"


def test_the_keywords_are_data_an_admin_edits(new_ticket):
    SeverityRule.objects.filter(code="complaint-asks-management").update(keywords="董事长")
    assert new_ticket(subcategory="attitude", demand="我要找你们经理").severity == "class1"
    assert new_ticket(subcategory="attitude", demand="让董事长来").severity == "class2"


def test_the_desk_records_a_later_request_for_management_and_the_complaint_rises(new_ticket, agent):
    ticket = new_ticket(subcategory="attitude")
    rule = record_management_request(ticket=ticket, by=agent, note="客户第二次来电，要求管理层出面")
    assert rule.code == "complaint-asks-management"
    assert Ticket.objects.get(pk=ticket.pk).severity == "class2"
    kinds = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds[-2:] == ["asks_management", "severity_raised"]


def test_a_request_for_management_without_a_note_writes_nothing(new_ticket, agent):
    ticket = new_ticket(subcategory="attitude")
    before = TicketEvent.objects.filter(ticket=ticket).count()
    with pytest.raises(TicketInputError):
        record_management_request(ticket=ticket, by=agent, note="  ")
    assert TicketEvent.objects.filter(ticket=ticket).count() == before
    assert Ticket.objects.get(pk=ticket.pk).severity == "class1"


def test_a_customer_account_cannot_record_a_request_for_management(new_ticket, user_for):
    ticket = new_ticket(subcategory="attitude")
    with pytest.raises(NotAllowed):
        record_management_request(ticket=ticket, by=user_for("customer"), note="要求管理层")
    assert Ticket.objects.get(pk=ticket.pk).severity == "class1"


def test_without_its_rule_asking_for_management_leaves_class_1(new_ticket, agent):
    SeverityRule.objects.filter(code="complaint-asks-management").delete()
    ticket = new_ticket(subcategory="attitude", demand="我要找你们经理")
    assert record_management_request(ticket=ticket, by=agent, note="要求管理层出面") is None
    assert Ticket.objects.get(pk=ticket.pk).severity == "class1" and rises(ticket) == []


def resolved(ticket, agent, supervisor):
    steps = [
        ("validated", agent, {}),
        ("assigned", agent, {"department": "customer_service"}),
        ("investigated", agent, {"cause": "交接遗漏", "responsible_kind": "staff", "responsible_user": agent.pk}),
        ("proposed", agent, {"resolution_kind": "apology", "resolution_note": "致歉"}),
        ("approved", supervisor, {}),
        ("resolved", agent, {"customer_notified_via": "call", "feedback": "接受", "penalty_percent": 2}),
    ]
    for to, by, data in steps:
        ticket = transition_ticket(ticket=ticket, by=by, to=to, data=data)
    return ticket


def test_reopening_a_class_1_complaint_makes_class_2_by_its_rule(new_ticket, agent, supervisor):
    ticket = resolved(new_ticket(), agent, supervisor)
    ticket = transition_ticket(ticket=ticket, by=agent, to="assigned", data={"note": "客户仍不满意"})
    assert ticket.severity == "class2" and ticket.reopen_count == 1
    [(text, changes)] = rises(ticket)
    assert changes["trigger"] == "reopened" and "未能使顾客满意" in text


def test_without_its_rule_a_reopened_complaint_stays_class_1(new_ticket, agent, supervisor):
    SeverityRule.objects.filter(code="complaint-reopened").delete()
    ticket = resolved(new_ticket(), agent, supervisor)
    ticket = transition_ticket(ticket=ticket, by=agent, to="assigned", data={"note": "客户仍不满意"})
    assert ticket.severity == "class1" and ticket.reopen_count == 1 and rises(ticket) == []


def test_an_inactive_rule_does_not_fire(new_ticket):
    SeverityRule.objects.filter(code="complaint-injury").update(active=False)
    assert new_ticket(subcategory="injury").severity == "class1"


def test_a_rule_never_lowers_a_crisis(new_ticket, supervisor):
    ticket = new_ticket(subcategory="attitude")
    ticket = escalate_ticket(ticket=ticket, by=supervisor, to="crisis", note="媒体介入")
    assert record_management_request(ticket=ticket, by=supervisor, note="要求见总经理") is None
    assert Ticket.objects.get(pk=ticket.pk).severity == "crisis"


def test_the_rise_reads_on_the_ticket_page_history_in_the_readers_language(new_ticket):
    ticket = new_ticket(subcategory="injury")
    kinds = [line.kind for line in history_lines(ticket, ticket.events.all())]
    assert "Severity raised" in kinds or "严重程度上升" in kinds
