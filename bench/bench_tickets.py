"""Tickets (issue 6, Performance): with 300,000 tickets an owner's queue at p95 under 100 ms; phrase and
article search under 50 ms.

    python bench/bench_tickets.py [--tickets 300000] [--articles 3000] [--runs 200]

Own database (var/bench_tickets.sqlite3 unless DATABASE_URL is set); generated once, reused after.
Tickets: 85 % finished, the rest pending, spread over 40 agents and the supervisor/after-sales pools.
Measured: the owner-queue selector and the whole /tickets/ page (test client, full middleware) for an
agent (his own tickets) and a supervisor (the group pool); the new-ticket page's preview panel (owner,
deadline, standard solution, a page of phrases — what the agent sees as he picks the category); the search selectors over the seeded
phrases plus generated ones, and over generated articles (random Chinese text, bigram index).
"""

import argparse
import random
import time
from datetime import timedelta

from _setup import percentile, setup

setup("bench_tickets.sqlite3")

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from freightdesk.knowledge.models import Article, Phrase, SearchGram  # noqa: E402
from freightdesk.knowledge.search import ARTICLE, PHRASE, grams  # noqa: E402
from freightdesk.knowledge.selectors import search_articles, search_phrases  # noqa: E402
from freightdesk.tickets.models import SlaPolicy, Ticket  # noqa: E402
from freightdesk.tickets.selectors import owner_queue  # noqa: E402

HANZI = (
    "货物运输时效司机提送客户您好请问价格到达地址电话查询投诉建议服务态度费用配件仓库车辆"
    "安排联系收货发货城市北南东西区站园时间今天明天下午上午马上处理回复确认核实退换赔偿道歉"
)
STATUSES_DONE = ["closed", "closed", "closed", "resolved", "dismissed"]
STATUSES_OPEN = ["recorded", "validated", "assigned", "investigated", "proposed", "in_progress"]


def ensure_people():
    from freightdesk.demo.data import load_demo

    load_demo()
    User = get_user_model()
    agents = list(User.objects.filter(groups__name="agent"))
    group = Group.objects.get(name="agent")
    for i in range(len(agents), 40):
        user, _ = User.objects.get_or_create(username=f"bench_agent_{i}")
        user.groups.add(group)
        agents.append(user)
    return agents


def generate_tickets(n, agents):
    if Ticket.objects.count() >= n:
        return
    rng = random.Random(6)
    policies = list(SlaPolicy.objects.select_related("deadline"))
    now = timezone.now()
    start = Ticket.objects.count()
    for chunk in range(start, n, 10_000):
        rows = []
        for i in range(chunk, min(chunk + 10_000, n)):
            policy = rng.choice(policies)
            created = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            pending = rng.random() < 0.15
            handler = rng.choice(agents) if policy.owner_group == "agent" else None
            rows.append(
                Ticket(
                    number=f"B{i:09d}",
                    channel="phone",
                    category=policy.category,
                    subcategory=policy.subcategory,
                    status=rng.choice(STATUSES_OPEN if pending else STATUSES_DONE),
                    customer_name="王先生",
                    customer_phone=f"+86138{rng.randint(0, 99999999):08d}",
                    description=rng.choice(HANZI) * 10,
                    created_at=created,
                    owner_group=policy.owner_group,
                    handler=handler,
                    sla_policy=policy,
                    standard_solution=policy.standard_solution,
                    due_at=created + timedelta(minutes=policy.deadline.minutes),
                    queue_due_at=created + timedelta(minutes=policy.deadline.minutes) if pending else None,
                )
            )
        with transaction.atomic():
            Ticket.objects.bulk_create(rows)


def generate_articles(n):
    if Article.objects.count() >= n:
        return
    rng = random.Random(11)
    for chunk in range(0, n, 500):
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                [
                    Article(title="".join(rng.choices(HANZI, k=8)), body="".join(rng.choices(HANZI, k=150)))
                    for _ in range(min(500, n - chunk))
                ]
            )
            SearchGram.objects.bulk_create(
                [SearchGram(kind=ARTICLE, object_id=a.pk, gram=g) for a in articles for g in grams(a.title + a.body)],
                batch_size=5000,
            )
    with transaction.atomic():
        phrases = Phrase.objects.bulk_create(
            [Phrase(stage="query", text="".join(rng.choices(HANZI, k=30))) for _ in range(1000)]
        )
        SearchGram.objects.bulk_create(
            [SearchGram(kind=PHRASE, object_id=p.pk, gram=g) for p in phrases for g in grams(p.text)], batch_size=5000
        )


def timed(fn, items, runs):
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        fn(items[i % len(items)])
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 50), percentile(samples, 95)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=300_000)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    agents = ensure_people()
    generate_tickets(args.tickets, agents)
    generate_articles(args.articles)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what `PRAGMA optimize` / autovacuum keep current in production
    User = get_user_model()
    agent, supervisor = User.objects.get(username="8011"), User.objects.get(username="8001")
    print(
        f"tickets: {Ticket.objects.count():,}  pending: {Ticket.objects.exclude(status__in=STATUSES_DONE).count():,}"
        f"  articles: {Article.objects.count():,}  phrases: {Phrase.objects.count():,}"
        f"  grams: {SearchGram.objects.count():,}"
    )
    results = {}
    for name, user in (("agent 8011", agent), ("supervisor 8001", supervisor)):
        timed(lambda u: owner_queue(u), [user], 5)
        results[f"owner queue selector, {name}"] = timed(lambda u: len(owner_queue(u)), [user], args.runs)
        client = Client()
        client.force_login(user)
        timed(lambda c: c.get("/tickets/"), [client], 5)
        results[f"/tickets/ page, {name}"] = timed(lambda c: c.get("/tickets/"), [client], args.runs)
    client = Client()
    client.force_login(agent)
    preview = "/tickets/new/preview/?kind=complaint:transit_time"
    timed(lambda c: c.get(preview), [client], 5)
    results["new-ticket preview panel (htmx), agent"] = timed(
        lambda c: c.get(preview, HTTP_HX_REQUEST="true"), [client], args.runs
    )
    queries = ["货物", "司机", "您好", "很高兴为您服务", "投诉", "运输时效", "价格", "谢谢您的来电", "赔偿道歉", "火星"]
    results["phrase search"] = timed(search_phrases, queries, args.runs)
    results["article search"] = timed(search_articles, queries, args.runs)
    for name, (p50, p95) in results.items():
        print(f"{name:<36} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
