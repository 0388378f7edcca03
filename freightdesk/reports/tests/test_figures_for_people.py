"""The report pages show figures as people write them (3.8, not 3.80000000000000) and the totals row in the
reader's language (合计 / Total); the files keep the Chinese header (SPEC §12)."""

from decimal import Decimal

import pytest
from django.utils import translation

from freightdesk.reports.catalog import REPORTS, TOTAL_ZH
from freightdesk.reports.views import _cell

PENALTY = next(c for c in REPORTS["complaints"].columns if c.key == "penalty_percent")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("3.80000000000000"), "3.8"),
        (Decimal("100.00"), "100"),
        (Decimal("0E-10"), "0"),
        (Decimal("12.345"), "12.35"),
        (Decimal("1E+3"), "1000"),
    ],
)
def test_a_sum_of_decimals_reads_as_people_write_it(value, shown):
    assert _cell(value, PENALTY) == shown


def test_the_totals_row_is_in_the_readers_language():
    with translation.override("en"):
        assert _cell(TOTAL_ZH, REPORTS["complaints"].columns[0]) == "Total"
    with translation.override("zh-hans"):
        assert _cell(TOTAL_ZH, REPORTS["complaints"].columns[0]) == "合计"
