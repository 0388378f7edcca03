"""The UI speaks Simplified Chinese by default (SPEC: "The UI speaks Simplified Chinese by default, English as a
second language"): every English msgid of the zh_Hans catalogue has a real translation that keeps its placeholders.

The catalogue is read with a small standard-library parser (polib is not a project dependency).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

PO_PATH = Path(settings.BASE_DIR) / "freightdesk" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
NAMED = re.compile(r"%\((\w+)\)([#0\- +]*\d*(?:\.\d+)?[sdifr])")
POSITIONAL = re.compile(r"%(?!\()[#0\- +]*\d*(?:\.\d+)?[sdifr]")


@dataclass
class Entry:
    line: int
    flags: set = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict = field(default_factory=dict)  # index -> text; plain msgstr is index 0
    obsolete: bool = False

    def where(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


def _unquote(token: str) -> str:
    token = token.strip()
    assert token.startswith('"') and token.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


def _parse_block(block: list[tuple[int, str]]) -> Entry:
    """One entry: the lines between two blank lines."""
    entry = Entry(line=block[0][0])
    target = None  # (attribute, msgstr index) that a continuation line extends
    for lineno, line in block:
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags.update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            attribute, index = target
            if attribute == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, attribute, getattr(entry, attribute) + _unquote(line))
        else:
            keyword, _, rest = line.partition(" ")
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                entry.msgstr[index], target = _unquote(rest), ("msgstr", index)
            elif keyword in {"msgctxt", "msgid", "msgid_plural"}:
                setattr(entry, keyword, _unquote(rest))
                target = (keyword, None)
                entry.line = lineno if keyword == "msgid" else entry.line
            else:
                raise AssertionError(f"django.po:{lineno}: cannot read {line!r}")
    return entry


def parse_po(text: str) -> list[Entry]:
    """Entries of a PO file, the header (msgid "") included."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line:
            blocks[-1].append((lineno, line))
        elif blocks[-1]:
            blocks.append([])
    return [_parse_block(block) for block in blocks if block]


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    entries = parse_po(PO_PATH.read_text(encoding="utf-8"))
    return [e for e in entries if not e.obsolete]


@pytest.fixture(scope="module")
def messages(catalogue) -> list[Entry]:
    return [e for e in catalogue if e.msgid]


def test_the_parser_reads_a_po_file_with_plurals_flags_and_continuations():
    sample = (
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "Order %(serial)s "\n"saved."\nmsgstr "订单%(serial)s已保存。"\n\n'
        'msgid "%(n)s SMS"\nmsgid_plural "%(n)s SMS parts"\nmsgstr[0] ""\n\n'
        '#~ msgid "gone"\n#~ msgstr "旧"\n'
    )
    header, saved, plural, gone = parse_po(sample)
    assert header.msgid == "" and "fuzzy" in header.flags and "nplurals=1" in header.msgstr[0]
    assert saved.msgid == "Order %(serial)s saved." and saved.flags == {"python-format"}
    assert saved.msgstr == {0: "订单%(serial)s已保存。"}
    assert plural.msgid_plural == "%(n)s SMS parts" and plural.msgstr == {0: ""}
    assert gone.obsolete


def test_the_catalogue_is_the_whole_ui(messages):
    ids = {e.msgid for e in messages}
    assert len(messages) > 300
    assert {"cash at pickup", "Dispatch", "This field is required."} <= ids


def test_the_header_is_not_fuzzy_and_chinese_has_one_plural_form(catalogue):
    header = next(e for e in catalogue if e.msgid == "")
    assert "fuzzy" not in header.flags
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


def test_no_translation_is_fuzzy(messages):
    fuzzy = [e.where() for e in messages if "fuzzy" in e.flags]
    assert fuzzy == []


def test_every_message_has_a_translation(messages):
    empty = [e.where() for e in messages if not e.msgstr or any(not text.strip() for text in e.msgstr.values())]
    assert empty == []


def test_chinese_plural_entries_fill_their_single_form(messages):
    wrong = [e.where() for e in messages if e.msgid_plural is not None and set(e.msgstr) != {0}]
    assert wrong == []


def test_every_placeholder_of_the_english_text_is_kept(messages):
    broken = []
    for e in messages:
        wanted = set(NAMED.findall(e.msgid)) | set(NAMED.findall(e.msgid_plural or ""))
        for text in e.msgstr.values():
            got = set(NAMED.findall(text))
            if got != wanted or len(POSITIONAL.findall(text)) != len(POSITIONAL.findall(e.msgid)):
                broken.append((e.where(), sorted(wanted), sorted(got)))
    assert broken == []


def test_the_price_is_quoted_in_the_source_documents_words():
    """SPEC §3: the agent quotes "*至*，*方(件)，价格是*，现金支付，可以吗？" (read from the compiled .mo)."""
    with translation.override("zh-hans"):
        payment = gettext("cash at pickup")
        quote = gettext(
            "%(pickup)s to %(delivery)s, %(volume)s m³ (%(pieces)s pieces), the price is %(total)s yuan, "
            "%(payment)s, is that all right?"
        ) % {
            "pickup": "汽配城",
            "delivery": "火车站",
            "volume": "2.2",
            "pieces": 15,
            "total": "540.00",
            "payment": payment,
        }
        taken = gettext("taken by %(agent)s") % {"agent": "8011"}
        parts = ngettext("%(n)s SMS", "%(n)s SMS parts", 2) % {"n": 2}
    assert payment == "现金支付"
    assert quote == "汽配城至火车站，2.2方(15件)，价格是540.00元，现金支付，可以吗？"
    assert taken == "由 8011 受理"
    assert parts == "2 条短信"


def test_english_stays_the_english_msgid():
    with translation.override("en"):
        assert gettext("cash at pickup") == "cash at pickup"


def test_the_compiled_catalogue_matches_the_po_file(messages):
    """The committed .mo is compiled from this .po: every translation is what the running UI shows."""
    stale = []
    with translation.override("zh-hans"):
        for e in messages:
            if e.msgctxt is not None:
                continue
            shown = ngettext(e.msgid, e.msgid_plural, 1) if e.msgid_plural is not None else gettext(e.msgid)
            if shown != e.msgstr[0]:
                stale.append((e.where(), shown))
    assert stale == []
