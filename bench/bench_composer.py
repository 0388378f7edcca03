"""Benchmark: composing 100,000 dispatch SMS must take under 2 s (issue 4, Performance).

Run: .venv/bin/python bench/bench_composer.py [--n 100000] [--runs 3] [--profile]
(``--profile``: one more run under cProfile, the 15 functions with the most own time.)
Composes through the real Composer with the seeded dispatch template (free text, both phone
numbers, signature 【滴客】) and a small abbreviation table, over orders generated with a fixed
seed: random surnames with 先生/小姐, 11-digit mobiles, goods, quantities, weights, volumes,
place names of 2-14 characters, 0-2 fees and notes of 0-40 characters — so most messages
need several shortening rules and many end multi-part, i.e. the slow paths are measured.
No database: the template and table are what the dispatch service loads once per dispatch.
"""

import argparse
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
PLACES = [
    "汽配城",
    "火车站",
    "国际物流园区",
    "北门仓库",
    "高新区科技园三号楼",
    "江北机场货运站",
    "城南建材市场",
    "五金机电城二期",
    "西站",
    "经济技术开发区东区工业园",
]
GOODS = ["配件", "服装", "电器", "家具", "食品", "纸箱", "五金", "建材", "件"]
NOTES = [
    "",
    "",
    "15点前送达",
    "易碎轻放",
    "到了先打电话",
    "请于明天下午三点之前送到北门仓库联系收货人",
    "需要开发票，送货上门，周末也可以",
]
ABBREVIATIONS = [
    ("国际物流园区", "物流园"),
    ("经济技术开发区", "经开区"),
    ("江北机场货运站", "机场货站"),
    ("五金机电城", "机电城"),
    ("高新区科技园", "科技园"),
]


def make_orders(n: int, seed: int = 20261123):
    from freightdesk.dispatch.sms_composer import OrderFacts

    rnd = random.Random(seed)
    orders = []
    for i in range(n):
        fees = tuple(
            (rnd.choice(["loading", "pickup", "delivery", "other"]), Decimal(rnd.randint(10, 300)))
            for _ in range(rnd.choice([0, 0, 1, 1, 2]))
        )
        orders.append(
            OrderFacts(
                serial=f"261123{i % 1000:03d}",
                shipper=rnd.choice(SURNAMES) + rnd.choice(["先生", "小姐", "女士", ""]),
                shipper_phone=f"13{rnd.randint(0, 999999999):09d}",
                goods=rnd.choice(GOODS),
                quantity=rnd.randint(1, 500),
                weight=Decimal(rnd.randint(1, 500000)) / 100,
                volume=Decimal(rnd.randint(1, 2000)) / 100,
                pickup=rnd.choice(PLACES),
                destination=rnd.choice(PLACES),
                consignee=rnd.choice(SURNAMES) + rnd.choice(["先生", "小姐", ""]),
                consignee_phone=f"15{rnd.randint(0, 999999999):09d}",
                payment=rnd.choice(["shipper_pays", "consignee_pays", "monthly"]),
                fees=fees,
                note=rnd.choice(NOTES),
                agent_id=f"{rnd.randint(8000, 8099)}",
            )
        )
    return orders


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from freightdesk.dispatch.order_messages import DEFAULT_DISPATCH
    from freightdesk.dispatch.sms_composer import Composer
    from freightdesk.messaging.templating import parse_free

    composer = Composer(parse_free(DEFAULT_DISPATCH), signature="【滴客】", abbreviations=ABBREVIATIONS)
    orders = make_orders(args.n)
    compose = composer.compose
    timings, cpu = [], []
    for _run in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        results = [compose(o) for o in orders]
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    single = sum(1 for r in results if r.segments == 1)
    noted = sum(1 for r in results if "note" in r.rules)
    print(
        f"composed {args.n:,} messages: "
        + ", ".join(f"{t:.2f} s" for t in timings)
        + f" wall (best {min(timings) / args.n * 1e6:.1f} µs/message); CPU time "
        + ", ".join(f"{t:.2f} s" for t in cpu)
    )
    print(f"one SMS: {single:,}; multi-part: {args.n - single:,}; note cut: {noted:,}")
    print("PASS" if min(timings) < 2.0 else "FAIL", "(limit 2 s, wall clock)")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(lambda: [compose(o) for o in orders])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freightdesk.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    main()
