"""001 第二篇: a class-1 complaint the customer is still unhappy with after it was handled becomes class 2 — by the
low-survey rule of the severity-rule table, with its reason on the ticket's history."""

import pytest
from django.apps import apps as django_apps

from freightdesk.surveys.services import answer_survey, send_ticket_survey
from freightdesk.tickets.models import SeverityRule, Ticket, TicketEvent
from freightdesk.tickets.rule_seeds import seed_complaint_rules
from freightdesk.tickets.seeds import seed_sla_policies
from freightdesk.tickets.services import open_ticket

pytestmark = pytest.mark.django_db


def survey_for(agent, category="complaint", subcategory="attitude"):
    seed_sla_policies(django_apps)
    seed_complaint_rules(django_apps)
    ticket = open_ticket(
        by=agent,
        category=category,
        subcategory=subcategory,
        channel="phone",
        description="司机态度不好",
        customer_phone="13800138000",
    )
    return send_ticket_survey(ticket=ticket)


def answer(survey, e, a, s):
    return answer_survey(token=survey.token, efficiency=e, attitude=a, solution=s)


def rises(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket, kind="severity_raised").values_list("text", "changes"))


def test_a_1_1_1_answer_makes_the_complaint_class_2_with_the_reason(agent, demo):
    survey = survey_for(agent)
    answer(survey, 1, 1, 1)
    ticket = Ticket.objects.get(pk=survey.ticket_id)
    assert ticket.severity == "class2"
    [(text, changes)] = rises(ticket)
    assert "满意度低分" in text and changes["trigger"] == "low_survey" and changes["rule"] == "complaint-low-survey"


def test_a_good_answer_leaves_class_1_and_writes_no_rise(agent, demo):
    survey = survey_for(agent)
    answer(survey, 4, 5, 3)
    assert Ticket.objects.get(pk=survey.ticket_id).severity == "class1"
    assert rises(survey.ticket) == []


def test_without_its_rule_a_1_1_1_answer_leaves_class_1(agent, demo):
    survey = survey_for(agent)
    SeverityRule.objects.filter(code="complaint-low-survey").delete()
    answer(survey, 1, 1, 1)
    assert Ticket.objects.get(pk=survey.ticket_id).severity == "class1" and rises(survey.ticket) == []


def test_how_low_is_low_is_the_rules_threshold(agent, demo):
    survey = survey_for(agent)
    SeverityRule.objects.filter(code="complaint-low-survey").update(score_at_most=1)
    answer(survey, 2, 2, 2)
    assert Ticket.objects.get(pk=survey.ticket_id).severity == "class1"


def test_an_inquirys_low_answer_is_not_a_complaint_rise(agent, demo):
    survey = survey_for(agent, category="inquiry", subcategory="other")
    answer(survey, 1, 1, 1)
    assert Ticket.objects.get(pk=survey.ticket_id).severity == "class1"
