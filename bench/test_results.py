"""The bench table reads RESULTS.md's recorded figures and calls out a figure more than 1.5× worse than the last
one recorded for its size; rates are better higher, times and sizes better lower."""

import results  # bench/ is on the path of its own tests

RESULTS_MD = """
## A run
```bench-results
# 2026-12-01, load 3.0
intake.create_per_s 1M 300
board.p95_ms 1M 40   # comment
board.p95_ms 10M 55
not a figure line
```
text between
```python
board.p95_ms 1M 999
```
```bench-results
board.p95_ms 1M 45
```
"""


def test_the_last_recorded_line_of_a_name_and_size_is_the_previous_figure():
    assert results.parse_results(RESULTS_MD) == {
        ("intake.create_per_s", "1M"): 300.0,
        ("board.p95_ms", "1M"): 45.0,
        ("board.p95_ms", "10M"): 55.0,
    }


def test_a_run_prints_its_figures_as_bench_lines_among_other_output():
    output = (
        "round 1\nBENCH board.p95_ms 1M 50.5\n  BENCH indented 1M 3\nBENCH bad 1M x\nBENCH intake.create_per_s 1M 140\n"
    )

    assert results.parse_output(output) == {("board.p95_ms", "1M"): 50.5, ("intake.create_per_s", "1M"): 140.0}


def test_more_than_one_and_a_half_times_worse_is_a_regression_in_the_figures_direction():
    previous = results.parse_results(RESULTS_MD)
    now = {
        ("intake.create_per_s", "1M"): 190.0,  # 300 -> 190: 1.58× slower
        ("board.p95_ms", "1M"): 67.0,  # 45 -> 67: 1.49× — within
        ("board.p95_ms", "10M"): 20.0,  # better
        ("board.p95_ms", "100k"): 500.0,  # nothing recorded: no comparison
    }

    worse = results.regressions(previous, now)

    assert [(name, size) for name, size, *_ in worse] == [("intake.create_per_s", "1M")]
    assert round(worse[0][4], 2) == 1.58


def test_the_table_has_a_column_per_size_and_marks_a_regression():
    now = {("board.p95_ms", "1M"): 100.0, ("board.p95_ms", "10M"): 50.0, ("board.p95_ms", "100k"): 30.0}

    header, row = results.table(now, {("board.p95_ms", "1M"): 45.0}).splitlines()

    assert header.split() == ["figure", "100k", "1M", "10M"]
    assert row.split() == ["board.p95_ms", "30", "100", "(2.22×", "prev)!", "50"]


def test_a_database_is_labelled_by_its_nearest_size():
    assert [results.size_label(n) for n in (100_500, 1_004_422, 10_000_000, 5_000)] == ["100k", "1M", "10M", "5000"]


WRK_OUT = """Running 15s test @ http://127.0.0.1:8771/api/v1/orders
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.20ms   22.10ms   1.02s    95.50%
    Req/Sec    99.10     20.30   150.00     72.99%
  Latency Distribution
     50%  850.00us
     75%   45.10ms
     90%    1.20s
     99%    1.05m
  2990 requests in 15.01s, 4.10MB read
"""


def test_wrk_latencies_are_read_from_the_distribution_not_from_the_thread_stats_share():
    assert results.wrk_latency_ms(WRK_OUT, 50) == 0.85
    assert results.wrk_latency_ms(WRK_OUT, 75) == 45.1
    assert results.wrk_latency_ms(WRK_OUT, 90) == 1200.0
    assert results.wrk_latency_ms(WRK_OUT, 99) == 63_000.0
