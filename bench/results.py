"""Machine-readable bench figures: what a benchmark prints, what RESULTS.md keeps, the comparison table.

A benchmark prints a figure as one line ``BENCH <name> <size> <value>`` (``emit``). RESULTS.md keeps the figures
of a recorded run in a fenced block whose info string is ``bench-results``, one ``<name> <size> <value>`` a line
(``#`` starts a comment: date, machine, load). A name ending in ``_per_s`` is better higher (a rate); every other
figure (milliseconds, MB) is better lower. The previous figure of a name and size is its last line in the file.
"""

import re
from collections.abc import Iterable

SIZES = ("100k", "1M", "10M")
REGRESSION = 1.5  # worse than the previous figure by more than this factor: called out
_BLOCK = re.compile(r"^```bench-results[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_LINE = re.compile(r"^BENCH (\S+) (\S+) (\S+)\s*$")


def size_label(orders: int) -> str:
    """The size column of a database of ``orders`` orders: the nearest of 100k, 1M, 10M (else the count)."""
    for label, n in (("100k", 100_000), ("1M", 1_000_000), ("10M", 10_000_000)):
        if 0.5 * n <= orders <= 2 * n:
            return label
    return str(orders)


def emit(name: str, size: str, value: float) -> None:
    print(f"BENCH {name} {size} {value:.6g}", flush=True)


def parse_lines(lines: Iterable[str], prefix: str = "") -> dict[tuple[str, str], float]:
    """``(name, size) -> value`` of lines ``[prefix]name size value``; later lines win; others are skipped."""
    figures = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if prefix:
            if not line.startswith(prefix):
                continue
            line = line[len(prefix) :].strip()
        parts = line.split()
        if len(parts) != 3:
            continue
        try:
            figures[(parts[0], parts[1])] = float(parts[2])
        except ValueError:
            continue
    return figures


def parse_results(text: str) -> dict[tuple[str, str], float]:
    """The last recorded figure of every name and size in RESULTS.md's ``bench-results`` blocks."""
    figures = {}
    for block in _BLOCK.findall(text):
        figures.update(parse_lines(block.splitlines()))
    return figures


def parse_output(text: str) -> dict[tuple[str, str], float]:
    """The figures a benchmark run printed (``BENCH`` lines)."""
    return parse_lines((m.group(0) for m in map(_LINE.match, text.splitlines()) if m), prefix="BENCH ")


def worse_by(name: str, previous: float, now: float) -> float:
    """How many times worse ``now`` is than ``previous`` (below 1: better)."""
    if name.endswith("_per_s"):
        return previous / now if now else float("inf")
    return now / previous if previous else (float("inf") if now else 1.0)


def regressions(previous: dict, now: dict, factor: float = REGRESSION) -> list[tuple[str, str, float, float, float]]:
    """``(name, size, previous, now, times worse)`` of every figure more than ``factor`` times worse."""
    out = []
    for (name, size), value in sorted(now.items()):
        if (name, size) in previous:
            worse = worse_by(name, previous[(name, size)], value)
            if worse > factor:
                out.append((name, size, previous[(name, size)], value, worse))
    return out


def table(now: dict, previous: dict) -> str:
    """One row per figure, a column per size: ``value (×previous)``, ``!`` after a regression."""
    sizes = [s for s in SIZES if any(size == s for _n, size in now)]
    sizes += sorted({size for _n, size in now} - set(sizes))
    names = sorted({name for name, _s in now})
    width = max([len("figure"), *map(len, names)])
    rows = [f"{'figure':<{width}} " + " ".join(f"{s:>20}" for s in sizes)]
    for name in names:
        cells = []
        for size in sizes:
            if (name, size) not in now:
                cells.append(f"{'—':>20}")
                continue
            value, cell = now[(name, size)], f"{now[(name, size)]:.4g}"
            if (name, size) in previous:
                worse = worse_by(name, previous[(name, size)], value)
                cell += f" ({worse:.2f}× prev){'!' if worse > REGRESSION else ''}"
            cells.append(f"{cell:>20}")
        rows.append(f"{name:<{width}} " + " ".join(cells))
    return "\n".join(rows)


def block(figures: dict, comment: str) -> str:
    """A ``bench-results`` block of ``figures`` for RESULTS.md."""
    lines = [f"# {comment}"] + [f"{name} {size} {value:.6g}" for (name, size), value in sorted(figures.items())]
    return "```bench-results\n" + "\n".join(lines) + "\n```"


_WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def wrk_latency_ms(out: str, percent: int) -> float:
    """The ``percent`` line of wrk's "Latency Distribution" (``--latency``), in ms. Only that section's lines are
    read: the thread-stats lines above it end in a share such as ``95.50%``, which a bare search for ``50%`` finds
    first. wrk writes a latency in us, ms, s, m or h."""
    line = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", out, re.MULTILINE)
    if line is None:
        raise ValueError(f"no {percent}% line in wrk's output:\n{out}")
    return float(line.group(1)) * _WRK_UNITS_MS[line.group(2)]
