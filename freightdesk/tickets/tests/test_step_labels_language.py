"""Every field a ticket step asks for is labelled in the reader's language: no "responsible driver" or other bare
model names on a Chinese page."""

import re

import pytest
from django.utils import translation

from freightdesk.tickets.views import _field_label
from freightdesk.tickets.workflow import TRANSITIONS

NAMES = sorted({name for t in TRANSITIONS for name in (*t.fields, *getattr(t, "optional", ()))})


@pytest.mark.parametrize("name", NAMES)
def test_every_step_field_has_a_chinese_label(name):
    with translation.override("zh-hans"):
        label = _field_label(name)
    assert label and not re.search(r"[A-Za-z]{3,}", label), f"{name}: {label!r}"


def test_the_charged_driver_reads_as_zeren_siji():
    with translation.override("zh-hans"):
        assert _field_label("responsible_driver") == "责任司机"
    with translation.override("en"):
        assert _field_label("responsible_driver") == "Responsible driver"
