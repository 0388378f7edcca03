"""Hostile-input probe: every API body field, query parameter and path, and the main forms (phone order, ticket,
public tracking, the driver's page), sent NUL and other control characters, a lone surrogate, zero-width-only
text, a 1 MB text, times without offset, bare dates, year 9999, a Unix number for a date-time and phone numbers
with letters or emoji. Prints the requests sent and the 5xx answers, per endpoint.

    python bench/probe_hostile.py                                   # a throw-away SQLite database
    python bench/probe_hostile.py postgres://postgres@127.0.0.1:5432/fd_probe   # created, then dropped

Runs against the code of the checkout it is in (so it can be run on an older commit to compare).
"""

import contextlib
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from freightdesk.api.tests.hostile import PHONE_FIELDS, TEXTS, leaves, replaced  # noqa: E402
from freightdesk.api.tests.hostile import hostile as hostile_values  # noqa: E402

FORM_PHONE_FIELDS = PHONE_FIELDS | {"shipper_phone"}  # the phone order form's own name for it


def setup(url: str | None) -> None:
    tmp = tempfile.mkdtemp(prefix="probe-")
    os.environ["FREIGHTDESK_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = url or f"sqlite:///{tmp}/probe.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
    if url and url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with contextlib.suppress(Exception):  # an older checkout without a database cache
        call_command("createcachetable", verbosity=0)


def hostile(name: str) -> list:
    return hostile_values(name, phone_fields=FORM_PHONE_FIELDS)


def main() -> int:  # noqa: C901 - one flat list of probes, read top to bottom
    setup(sys.argv[1] if len(sys.argv) > 1 else None)
    from django.contrib.auth.models import Group, User
    from django.core.cache import cache
    from django.test import Client

    from freightdesk.accounts.models import ApiToken, StaffProfile
    from freightdesk.demo.data import load_demo
    from freightdesk.demo.examples import EXAMPLE_ORDER, EXAMPLE_ORDER_JSON

    load_demo()
    user = User.objects.create_user("probe")
    for role in ("agent", "supervisor", "manager", "fleet_manager", "driver", "developer", "admin", "integration"):
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    StaffProfile.objects.create(user=user, agent_id="8097", display_name="probe")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)[1]}", "HTTP_ACCEPT_LANGUAGE": "en"}
    client = Client(raise_request_exception=False)
    sent, errors = Counter(), Counter()

    def send(label, method, path, **kwargs):
        cache.clear()  # the rate limits would hide what a look-up does
        response = getattr(client, method)(path, **kwargs)
        sent[label] += 1
        if response.status_code >= 500:
            errors[label] += 1
        return response

    def api_post(path, body, label=None):
        raw = json.dumps(body, ensure_ascii=True)
        return send(label or path, "post", f"/api/v1{path}", data=raw, content_type="application/json", **headers)

    confirmed = api_post("/orders", EXAMPLE_ORDER_JSON).json()["serial"]
    dispatched = api_post("/orders", EXAMPLE_ORDER_JSON).json()["serial"]
    api_post(f"/orders/{dispatched}/dispatch", {})
    ticket_body = {"category": "complaint", "subcategory": "transit_time", "channel": "phone"}
    ticket_body |= {
        "customer": {"name": "王先生", "phone": "13800138000"},
        "description": "还没来提货",
        "demand": "尽快",
    }
    ticket = api_post("/tickets", ticket_body).json()["number"]
    now = "2026-12-07T10:00:00+08:00"
    cti = {"event": "ringing", "call_id": "h1", "from": "13800138000", "to": "4008001234", "agent": "8011"}
    cti |= {"queue": "orders", "at": now}
    bodies = [
        ("POST /orders", "/orders", {**EXAMPLE_ORDER_JSON, "delivery_deadline": "2030-11-23T15:00:00+08:00"}),
        ("POST review", f"/orders/{confirmed}/review", {"outcome": "problem", "note": "缺", "callback_at": now}),
        ("POST events", f"/orders/{dispatched}/events", {"type": "exception", "note": "车坏了", "at": now}),
        ("POST /tickets", "/tickets", {**ticket_body, "order": confirmed}),
        ("POST transition", f"/tickets/{ticket}/transition", {"to": "validated", "note": "属实"}),
        ("POST /cti/events", "/cti/events", cti),
        ("POST /cti/events/batch", "/cti/events/batch", {"events": [cti, {**cti, "call_id": "h2"}]}),
    ]
    for label, path, body in bodies:
        for leaf in leaves(body):
            for value in hostile(str(leaf[-1])):
                api_post(path, replaced(body, leaf, value), label)
        api_post(path, {**body, "note": "x" * 2_700_000}, label)  # over the body limit
    queries = [
        ("/orders", ["status", "from", "to", "phone", "cursor", "limit"]),
        ("/messages", ["order"]),
        (f"/track/{dispatched}", ["phone_last4"]),
        ("/reports/pickup-on-time", ["from", "to", "group_by", "region"]),
        ("/reports/complaints", ["from", "to", "group_by"]),
        ("/reports/origins", ["from", "to"]),
        ("/reports/calls", ["from", "to", "group_by"]),
    ]
    values = [v for v in TEXTS[:-1] if v != "\ud800"] + ["2026-12-02T10:00", "9999-12-31", "", "0"]
    for path, params in queries:
        for param in params:
            for value in values:
                send(f"GET {path.split('/')[1]}", "get", f"/api/v1{path}", data={param: value}, **headers)
    for template in ("/orders/{}", "/orders/{}/timeline", "/tickets/{}"):
        for value in ["\x00", "\u200b", "\x1b", dispatched + "\x00", "9" * 5000]:
            send("GET by path", "get", "/api/v1" + template.format(quote(value, safe="")), **headers)

    agent = User.objects.get(username="8011")
    client.force_login(agent)
    form = dict(EXAMPLE_ORDER)
    # a form post is bytes: a lone surrogate cannot be sent in one (the browser sends U+FFFD)
    for field in list(form):
        for value in [v for v in hostile(field) if isinstance(v, str) and v != "\ud800"]:
            send("form /orders/new/", "post", "/orders/new/", data={**form, field: value})
    ticket_form = {"kind": "complaint:transit_time", "channel": "phone", "order": confirmed}
    ticket_form |= {"customer_name": "王先生", "customer_phone": "13800138000", "description": "慢", "demand": "快"}
    for field in list(ticket_form):
        for value in [v for v in hostile(field) if isinstance(v, str) and v != "\ud800"]:
            send("form /tickets/new/", "post", "/tickets/new/", data={**ticket_form, field: value})
    client.logout()
    for value in [v for v in TEXTS if v != "\ud800"]:
        send("page /tracking/track/", "get", "/tracking/track/", data={"serial": value, "phone_last4": "8000"})
        send("page /tracking/d/", "get", f"/tracking/d/{quote(value[:100], safe='')}/")
    try:
        from freightdesk.dispatch.models import DriverLink
    except ImportError:  # an older checkout
        from freightdesk.tracking.models import DriverLink

    link = DriverLink.objects.filter(order__serial=dispatched).first()
    if link is not None:
        for value in [v for v in TEXTS if v != "\ud800"]:
            data = {"serial": dispatched, "type": "picked_up", "note": value}
            send("page driver note", "post", f"/tracking/d/{link.token}/", data=data)

    print(f"{'endpoint':32} {'sent':>6} {'5xx':>5}")
    for label in sent:
        print(f"{label:32} {sent[label]:>6} {errors[label]:>5}")
    print(f"{'total':32} {sum(sent.values()):>6} {sum(errors.values()):>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
