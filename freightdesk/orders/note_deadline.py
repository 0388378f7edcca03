"""The customer's delivery requirement read from the order's note (特殊配送需求, SPEC §3 "15点前送达"): a small
grammar over what callers say — a day (今天, 明天, 后天, 周五, 下周一, 12月3日, 5号), a part of the day (上午, 中午,
下午, 晚上, 下班前) and a time (15点, 下午3点半, 9:30, 十点) followed by 前/之前/以前/送达/到 — turned into a
proposed delivery deadline. The agent confirms it with one key; a note the grammar cannot read proposes nothing.

Pure: the note and "now" in, a Proposal or None out (no database, no settings)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from freightdesk.core.worktime import TZ

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
RELATIVE_DAYS = {"今天": 0, "今日": 0, "今晚": 0, "明天": 1, "明日": 1, "明早": 1, "明晚": 1, "后天": 2, "大后天": 3}
# A part of the day said without a time: by when it means.
PART_ENDS = {
    "上午": time(12, 0),
    "早上": time(10, 0),
    "中午": time(13, 0),
    "下午": time(17, 30),
    "下班前": time(17, 30),
    "晚上": time(21, 0),
}
END_OF_DAY = time(17, 30)  # "by Friday": the close of that working day
NUM = r"[0-9零〇一二两三四五六七八九十]{1,3}"
DAY = (
    r"(?P<rel>大后天|后天|明天|明日|明早|明晚|今天|今日|今晚)"
    r"|(?P<next>下下?)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天末])"
    rf"|(?:(?P<month>{NUM})月)?(?P<day>{NUM})[日号]"
)
PART = r"(?P<part>上午|早上|中午|下午|下班前|晚上)"
CLOCK = rf"(?P<hour>{NUM})(?:[点:：时](?P<minute>半|{NUM}分?|[0-5][0-9])?)"
BEFORE = r"(?P<before>之前|以前|前|送达|送到|到达|到)"
# "明天上午提货" is about the pickup, not the delivery: a phrase followed by a pickup word is not read.
PHRASE = re.compile(rf"(?:{DAY})?\s*(?:{PART})?\s*(?:{CLOCK})?\s*(?:{BEFORE})?(?!\s*(?:提|取|装))")


@dataclass(frozen=True)
class Proposal:
    deadline: datetime
    said: str  # the words of the note it was read from


def number(text: str) -> int | None:
    """15, 十五, 二十三, 三 -> int; anything else None."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        high = DIGITS.get(tens) if tens else 1
        low = DIGITS.get(ones) if ones else 0
        return None if high is None or low is None else high * 10 + low
    if len(text) == 1 and text in DIGITS:
        return DIGITS[text]
    return None


def _day(match, today: date) -> date | None:
    if match["rel"]:
        return today + timedelta(days=RELATIVE_DAYS[match["rel"]])
    if match["wd"]:
        ahead = (WEEKDAYS[match["wd"]] - today.weekday()) % 7
        if match["next"]:  # 下周五: Friday of next week
            monday_next = today + timedelta(days=7 - today.weekday())
            return monday_next + timedelta(days=WEEKDAYS[match["wd"]] + 7 * (len(match["next"]) - 1))
        return today + timedelta(days=ahead)
    if match["day"]:
        day = number(match["day"])
        month = number(match["month"]) if match["month"] else today.month
        if day is None or month is None:
            return None
        year = today.year + (1 if (month, day) < (today.month, today.day) and match["month"] else 0)
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if not match["month"] and found < today:  # "5号" after the 5th: next month's
            next_month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
            try:
                found = next_month.replace(day=day)
            except ValueError:
                return None
        return found
    return None


def _clock(match) -> time | None:
    hour = number(match["hour"])
    if hour is None:
        return None
    raw = (match["minute"] or "").rstrip("分")
    minute = 30 if raw == "半" else (number(raw) if raw else 0)
    part = match["part"]
    afternoon = part in ("下午", "晚上") and hour < 12
    if afternoon or (part is None and 1 <= hour <= 6):  # "3点前送达" in a freight note is the afternoon
        hour += 12
    if minute is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def propose(note: str, now: datetime) -> Proposal | None:
    """The delivery deadline the note asks for, if the grammar can read one that lies ahead of ``now``."""
    local_now = now.astimezone(TZ)
    for match in PHRASE.finditer(note or ""):
        has_day = bool(match["rel"] or match["wd"] or match["day"])
        # Read: "<anything> 前/送达", or a part of the day ("明天上午"); a bare day or clock is no requirement.
        if not (has_day or match["part"] or match["hour"]) or not (match["before"] or match["part"]):
            continue
        day = _day(match, local_now.date()) if has_day else local_now.date()
        if day is None:
            continue
        if match["hour"]:
            at = _clock(match)
        elif match["part"]:
            at = PART_ENDS[match["part"]]
        else:
            at = END_OF_DAY
        if at is None:
            continue
        deadline = datetime.combine(day, at, TZ)
        if deadline <= local_now:
            continue
        return Proposal(deadline=deadline, said=match.group(0).strip())
    return None
