"""`make bench`: every benchmark, one after another. The big-data ones need the generated database:

    python bench/generate_orders.py --orders 1000000      # once, ~2 min; var/bench.sqlite3

Without it only the self-contained benchmarks run. Write what you measure into bench/RESULTS.md
with the machine and the date.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SELF_CONTAINED = [
    "bench_deadlines.py",
    "bench_composer.py",
    "bench_outbox.py",
    "bench_orders_api.py",
    "bench_intake.py",
    "bench_cti.py",
]
NEEDS_ORDERS = [
    "bench_order_list.py",
    "bench_review_queue.py",
    "bench_tracking.py",
    "bench_tickets.py",
    "bench_reports.py",
    "bench_board.py",  # last: it moves the pending reviews' and dispatches' due times for its mixes
]


def main() -> int:
    scripts = list(SELF_CONTAINED)
    if (HERE.parent / "var" / "bench.sqlite3").exists():
        scripts += NEEDS_ORDERS
    else:
        print("var/bench.sqlite3 missing: run bench/generate_orders.py for the 1,000,000-order benchmarks")
    failed = []
    for script in scripts:
        print(f"\n=== {script}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script)]).returncode:
            failed.append(script)
    print("\nfailed:", ", ".join(failed) if failed else "none")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
