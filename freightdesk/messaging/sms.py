"""SMS length rules: which encoding a text needs and how many parts it costs.

GSM-7 (only when every character is in the GSM 03.38 alphabet): 160 characters in one
message, 153 per part when concatenated; extension characters (€ [ ] { } etc.) count two.
Otherwise UCS-2 (any Chinese text): 70 in one message, 67 per part, counted in UTF-16
code units (an emoji counts two).
"""

import re
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
GSM7 = GSM7_BASIC | GSM7_EXTENDED

UCS2 = "UCS-2"
GSM = "GSM-7"
LIMITS = {GSM: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class Length:
    encoding: str
    units: int
    segments: int

    @property
    def multipart(self) -> bool:
        return self.segments > 1


# One C-level scan each, stopping at the first hit: in Chinese text the first character outside
# GSM-7 is usually within the first few (the serial's digits are GSM-7).
_NOT_GSM7 = re.compile("[^" + "".join(sorted(re.escape(ch) for ch in GSM7)) + "]")
_EXTENDED = re.compile("[" + "".join(sorted(re.escape(ch) for ch in GSM7_EXTENDED)) + "]")


def encoding_of(text: str) -> str:
    if not text:
        return GSM
    return UCS2 if _NOT_GSM7.search(text) else GSM


def units_of(text: str, encoding: str) -> int:
    if encoding == GSM:
        return len(text) + len(_EXTENDED.findall(text))
    return len(text.encode("utf-16-le")) >> 1


def measure(text: str) -> Length:
    """Encoding, counted units and number of parts of the full text as the phone receives it."""
    encoding = encoding_of(text)
    units = units_of(text, encoding)
    single, part = LIMITS[encoding]
    segments = 1 if units <= single else -(-units // part)
    return Length(encoding, units, segments)


def single_limit(text: str) -> int:
    return LIMITS[encoding_of(text)][0]
