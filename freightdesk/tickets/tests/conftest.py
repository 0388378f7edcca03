"""Ticket fixtures: the seed's late-pickup order and a helper that walks a ticket to a status."""

import pytest
from django.apps import apps as django_apps

from freightdesk.orders.intake import take_order
from freightdesk.tickets.rule_seeds import seed_complaint_rules
from freightdesk.tickets.seeds import seed_sla_policies
from freightdesk.tickets.services import open_ticket, transition_ticket

STEP_DATA = {
    "validated": {},
    "dismissed": {"reply": "经核实司机已按时到达，感谢您的反馈。"},
    "assigned": {"department": "transport", "note": "运输投诉转储运部"},
    "investigated": {"cause": "司机前一单延误", "responsible_kind": "driver"},
    "proposed": {"resolution_kind": "discount", "resolution_amount": "50.00", "resolution_note": "运费减免50元"},
    "approved": {},
    "resolved": {
        "customer_notified_via": "call",
        "feedback": "客户接受",
        "penalty_percent": "5",
        "penalty_note": "绩效工资5%",
        "reply": "已为您处理",
    },
    "closed": {"root_cause": "排班过紧", "preventive_action": "下午单预留30分钟"},
    "in_progress": {},
}


@pytest.fixture(autouse=True)
def sla_policies(db):
    """The seeded SLA table and complaint rules (a transactional test elsewhere may have flushed the migration's
    rows)."""
    seed_sla_policies(django_apps)
    seed_complaint_rules(django_apps)


@pytest.fixture
def late_order(cleaned_example, agent, time_machine):
    """SPEC §9's example: pickup promised before 14:30."""
    time_machine.move_to("2026-11-23 14:00:00+08:00", tick=False)
    data = {**cleaned_example, "note": "14:30前提货"}
    return take_order(data=data, channel="phone", agent=agent).order


@pytest.fixture
def supervisor(user_for):
    return user_for("supervisor")


@pytest.fixture
def manager(user_for):
    return user_for("manager")


@pytest.fixture
def new_ticket(agent, demo):
    def make(category="complaint", subcategory="attitude", **kw):
        return open_ticket(
            by=kw.pop("by", agent),
            category=category,
            subcategory=subcategory,
            channel="phone",
            description=kw.pop("description", "司机态度不好"),
            demand=kw.pop("demand", "道歉"),
            customer_phone=kw.pop("customer_phone", "13800138000"),
            **kw,
        )

    return make


def walk(ticket, path, by_role):
    """Take `ticket` through the statuses in `path`, each step by a user allowed to take it."""
    for target in path:
        ticket = transition_ticket(ticket=ticket, by=by_role(target), to=target, data=STEP_DATA.get(target, {}))
    return ticket
