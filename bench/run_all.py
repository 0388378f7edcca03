"""`make bench`: every benchmark, one after another, then one table of their figures. The big-data ones need the
generated database:

    python bench/generate_orders.py --orders 1000000      # once, ~2 min; var/bench.sqlite3

Without it only the self-contained benchmarks run. Options:

    python bench/run_all.py [--only bench_mixed.py,bench_board.py] [--log FILE …] [--results bench/RESULTS.md]

``--log FILE``: build the table from saved output of earlier runs instead of running anything (several logs:
e.g. one per database size). The table has a row per figure (the ``BENCH name size value`` lines the benchmarks
print, `results.py`) and a column per size (100k / 1M / 10M); each figure is compared with its last line in
RESULTS.md's ``bench-results`` blocks, and one more than 1.5× worse is called out (exit status 3). The block to
paste into RESULTS.md for this run is printed last. Write what you measure there with the machine and the date.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import results  # noqa: E402

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
    "bench_mixed.py",
    "bench_pages.py",
    "bench_board.py",  # last: it moves the pending reviews' and dispatches' due times for its mixes
]


def run(scripts: list[str]) -> tuple[str, list[str]]:
    """Run each script, echoing its output; returns everything printed and the scripts that failed."""
    printed, failed = [], []
    for script in scripts:
        print(f"\n=== {script}", flush=True)
        process = subprocess.Popen([sys.executable, str(HERE / script)], stdout=subprocess.PIPE, text=True)
        for line in process.stdout:
            sys.stdout.write(line)
            printed.append(line)
        if process.wait():
            failed.append(script)
    return "".join(printed), failed


def compare(output: str, results_md: Path) -> int:
    """Print the table and the regressions; 3 when a figure is more than 1.5× worse than recorded."""
    now = results.parse_output(output)
    if not now:
        print("\nno figures printed (BENCH lines)")
        return 0
    previous = results.parse_results(results_md.read_text()) if results_md.exists() else {}
    print("\nfigures (× prev: times worse than the last recorded line for the size in RESULTS.md)")
    print(results.table(now, previous))
    worse = results.regressions(previous, now)
    for name, size, before, value, times in worse:
        print(f"REGRESSION {name} at {size}: {before:.4g} -> {value:.4g} ({times:.2f}× worse)")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print("\nfor RESULTS.md:\n" + results.block(now, f"load average {load}"))
    return 3 if worse else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="comma-separated scripts to run")
    parser.add_argument("--log", action="append", default=[], help="saved output to tabulate (no run)")
    parser.add_argument("--results", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args()
    if args.log:
        return compare("".join(Path(log).read_text() for log in args.log), Path(args.results))
    scripts = args.only.split(",") if args.only else list(SELF_CONTAINED)
    if not args.only and (HERE.parent / "var" / "bench.sqlite3").exists():
        scripts += NEEDS_ORDERS
    elif not args.only:
        print("var/bench.sqlite3 missing: run bench/generate_orders.py for the 1,000,000-order benchmarks")
    output, failed = run(scripts)
    print("\nfailed:", ", ".join(failed) if failed else "none")
    regressed = compare(output, Path(args.results))
    return 1 if failed else regressed


if __name__ == "__main__":
    sys.exit(main())
