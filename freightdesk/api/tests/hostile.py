"""The hostile values and the body-walking helpers shared by the hostile-input tests and `bench/probe_hostile.py`:
NUL and other control characters, a lone surrogate, zero-width-only text, a 1 MB text; times without offset, bare
dates, year 9999, a Unix number for a date-time; phone numbers with letters or emoji. Imports nothing of Django."""

import copy

TEXTS = ["\x00", "配件\x00", "\ud800", "\u200b\u200b", "\x1b[2J", "a\x7f", "x" * 1_000_000]
TIMES = ["2026-12-02T10:00:00", "2026-12-02", "9999-12-31T23:59:59+08:00", "0001-01-01T00:00:00+00:00", 0, 1.5e12]
PHONES = ["13800138000😀", "138OO138000", "+86 138 0013 8000 ext"]
TIME_FIELDS = {"delivery_deadline", "callback_at", "at"}
PHONE_FIELDS = {"phone", "from", "to"}


def leaves(value, path=()):
    """The path of every scalar in a JSON body."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path


def replaced(body, path, value):
    """A copy of the body with the scalar at `path` replaced."""
    body = copy.deepcopy(body)
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


def hostile(name: str, *, phone_fields=PHONE_FIELDS) -> list:
    """What to send in a field of this name: every hostile text, plus bad times or bad phones where they fit."""
    return TEXTS + (TIMES if name in TIME_FIELDS else []) + (PHONES if name in phone_fields else [])
