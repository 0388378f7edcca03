"""Banned phrases (SPEC §11: 不知道, 不清楚, 我办不了, 没办法) and what to say instead: a gentle warning."""

import re
from dataclasses import dataclass

# phrase -> a better way to say it (003/004: keep the customer informed, promise a time)
BANNED = {
    "不知道": "我帮您查一下",
    "不清楚": "我帮您确认一下，稍后给您回复",
    "我办不了": "我马上请负责的同事为您处理",
    "办不了": "我马上请负责的同事为您处理",
    "没办法": "我们一起想办法，我先帮您……",
}
_IGNORED = re.compile(r"[\s，,。.！!？?、；;：:“”\"'…·\-]")


@dataclass(frozen=True)
class Hit:
    phrase: str
    instead: str


def check_reply(text: str) -> list[Hit]:
    """The banned phrases in `text` (spaces and punctuation inside a phrase do not hide it), longest first."""
    flat = _IGNORED.sub("", text or "")
    hits: list[Hit] = []
    for phrase in sorted(BANNED, key=len, reverse=True):
        if phrase in flat and not any(phrase in h.phrase for h in hits):
            hits.append(Hit(phrase, BANNED[phrase]))
    return hits
