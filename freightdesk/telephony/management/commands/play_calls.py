"""``manage.py play_calls``: play a day of synthetic calls against a running FreightDesk (demos and tests).

    manage.py play_calls --url http://127.0.0.1:8000 --token <integration token> --calls 300 --speed 60

The callers are the customers of this database who ordered most recently (so the pops show real orders),
plus unknown and withheld numbers; the agents are the staff with an agent id (工号) in the agent group.
Events are posted to ``POST /api/v1/cti/events/batch`` when they fall due, the day's 9 hours played
``speed`` times faster (60: nine minutes). Every event carries the real time it was sent, so rings and
talks are ``speed`` times shorter than planned.
"""

import time
from datetime import datetime

import requests
from django.core.management.base import BaseCommand, CommandError

from freightdesk.accounts.models import StaffProfile
from freightdesk.core.worktime import TZ
from freightdesk.customers.models import CustomerPhone
from freightdesk.telephony.synthetic import DAY_SECONDS, synthetic_day


def demo_numbers(limit: int = 30) -> list[str]:
    return list(
        CustomerPhone.objects.order_by("-customer__last_order_at", "-id").values_list("number", flat=True)[:limit]
    )


def desk_agents() -> list[str]:
    return sorted(
        StaffProfile.objects.filter(agent_id__isnull=False, user__groups__name="agent", user__is_active=True)
        .values_list("agent_id", flat=True)
        .distinct()
    )


class Command(BaseCommand):
    help = "Play a day of synthetic calls (answered, missed, transferred, callbacks) against a running server."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server (without /api/v1)")
        parser.add_argument("--token", required=True, help="a token of a user in the integration group")
        parser.add_argument("--calls", type=int, default=300)
        parser.add_argument("--speed", type=float, default=60.0, help="how many times faster than real time")
        parser.add_argument("--agents", default="", help="comma-separated agent ids (default: this database's)")
        parser.add_argument("--numbers", default="", help="comma-separated caller numbers (default: customers')")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--prefix", default="", help="call id prefix (default: play-<time>)")

    def handle(self, *args, url, token, calls, speed, agents, numbers, seed, prefix, **options):
        if calls < 1 or speed <= 0:
            raise CommandError("--calls must be at least 1 and --speed above 0.")
        agent_ids = [a.strip() for a in agents.split(",") if a.strip()] or desk_agents()
        callers = [n.strip() for n in numbers.split(",") if n.strip()] or demo_numbers()
        if not agent_ids or not callers:
            raise CommandError(
                "No agents or no customer numbers: load the demo data (manage.py demo_data) "
                "or pass --agents and --numbers."
            )
        prefix = prefix or f"play-{int(time.time())}"
        plan = synthetic_day(calls, callers, agent_ids, seed=seed, prefix=prefix)
        endpoint = url.rstrip("/") + "/api/v1/cti/events/batch"
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        self.stdout.write(
            f"{calls} calls, {len(plan)} events over {DAY_SECONDS / speed / 60:.1f} minutes -> {endpoint}"
        )
        totals = {"taken": 0, "duplicates": 0, "refused": 0}
        started, i = time.monotonic(), 0
        while i < len(plan):
            due = started + plan[i].offset / speed
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)
            now = time.monotonic()
            batch = []
            while i < len(plan) and started + plan[i].offset / speed <= now and len(batch) < 500:
                batch.append({**plan[i].event, "at": datetime.now(TZ).isoformat()})
                i += 1
            self._post(session, endpoint, batch, totals)
        self.stdout.write(
            self.style.SUCCESS(
                f"done: {totals['taken']} events taken, {totals['duplicates']} duplicates, {totals['refused']} refused"
            )
        )

    def _post(self, session, endpoint, batch, totals):
        try:
            response = session.post(endpoint, json={"events": batch}, timeout=30)
        except requests.RequestException as exc:
            raise CommandError(f"The server at {endpoint} did not answer: {exc}") from exc
        if response.status_code != 200:
            raise CommandError(f"The server answered HTTP {response.status_code}: {response.text[:300]}")
        body = response.json()
        for key in totals:
            totals[key] += body[key]
        for event, result in zip(batch, body["results"], strict=False):
            if result["status"] != 200:
                self.stderr.write(f"refused {event}: {result}")
