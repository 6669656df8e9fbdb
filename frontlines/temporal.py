"""Find date expressions in a text and resolve them against the article date.

Public API
----------
``find_time_expressions(text, article_date, spans=(), offset=0) -> list[TimeExpression]``
    every date expression in ``text`` (a sentence or paragraph), resolved with ACLED's
    ``time_precision`` (1 day, 2 week/weekend, 3 month; year-only also 3, flagged by its
    reason ``time:year_only``).  ``spans`` are optional extra candidate spans (e.g.
    spaCy DATE/TIME entities, offsets into ``text``); those not covered by the rules are
    given to dateparser.  ``offset`` is added to every returned start/end.
``resolve_weekday(weekday, article_date, mode="on") -> date``
    the news-convention day a weekday name refers to.

Conventions (documented decisions)
----------------------------------
* "on Saturday" / "Saturday": the most recent Saturday strictly before the article
  date, except that the article's own weekday means the article date itself
  ("on Monday" in a Monday article is that Monday).  "last Monday" in a Monday article is
  a week before.  In a clearly future clause ("will ... on Friday") the next such day.
* "by Saturday": the day itself (same rule, but on/before the article date).
* "over the weekend": the last Saturday-Sunday on or before the article date; in a
  Sunday article that is yesterday-today; a Saturday article (past tense) means the
  previous weekend.  Precision 2; ``date`` is the Saturday (lower middle).
* spans: ``date`` is the middle day (lower middle for even lengths); precision 1 for a
  single day, 2 up to 7 days, 3 beyond.
* "in the past N days": the N full days before the article date (A-N .. A-1).
* "overnight" (bare): the night before the article, start A-1, end/date A.
  "overnight into Tuesday" / "the night of 1-2 March": date = the later day.
* months without a year: the most recent such month not after the article month;
  a month-only date is the 15th (ACLED), the 1st for "early/beginning of", the last
  day for "late/end of", clipped to the article date when in the article's month.
* year only ("in 2014"): 1 July of that year, precision 3, reason ``time:year_only``.
* "since April": start_date = 1 April, end_date = the article date, date = start_date,
  precision of the anchor (3), reason ``time:since``.
* Nothing resolved from a past-tense expression lies after the article date; relation
  is "past" (< article date), "present" (== article date), "future" (>) and future
  dates only come from explicit future words or a future clause.
"""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from frontlines.records import TimeExpression

log = logging.getLogger(__name__)

__all__ = ["find_time_expressions", "resolve_weekday", "resolve_month", "month_span",
           "relation_of", "is_future_context"]

ONE = dt.timedelta(days=1)

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WD_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
            "fri": 4, "sat": 5, "sun": 6}
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_SMALL_NUM = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a couple of": 2, "a few": 3, "several": 3, "few": 3, "couple of": 2,
}

# ------------------------------------------------------------------ regex pieces
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MON_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MON = rf"(?:{_MON_FULL}|{_MON_ABBR})"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_NUMW = (r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
         r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|thirty|forty|fifty|sixty|hundred|"
         r"a\s+couple\s+of|couple\s+of|a\s+few|few|several)")
_PART = r"(?:morning|afternoon|evening|night)"
_TOD_OF = (r"(?:(?:on\s+|in\s+|during\s+)?the\s+(?:early\s+|late\s+)?(?:hours|morning|afternoon|evening|night)"
           r"\s+of\s+)")

_FUTURE_WORDS = re.compile(
    r"\b(?:will|shall|won['’]t|is\s+due|are\s+due|due\s+to|is\s+scheduled|are\s+scheduled|scheduled\s+to|"
    r"is\s+expected\s+to|are\s+expected\s+to|plans?\s+to|planning\s+to|is\s+set\s+to|are\s+set\s+to|"
    r"is\s+going\s+to|are\s+going\s+to|intends?\s+to|to\s+be\s+held|upcoming|next|"
    r"(?:promised|pledged|vowed|aims?|hopes?|vows?|pledges?|promises?)\s+to)\b|['’]ll\b",
    re.I,
)
_PAST_REPORT = re.compile(r"\b(?:said|says|told|announced|reported|claimed|stated|added|wrote)\b", re.I)


def is_future_context(text: str, start: int, end: int) -> bool:
    """Whether the clause around ``text[start:end]`` is about the future.

    True when a future auxiliary ("will", "is due to", "plans to", ...) precedes the
    expression in its clause, or when the expression opens its clause and one follows
    ("On Friday, ministers will meet").  "said on Friday it will ..." stays past.
    """
    lo = max(0, start - 80)
    left = text[lo:start]
    cut = max(left.rfind(". "), left.rfind("; "), left.rfind("? "), left.rfind("! "), left.rfind("\n"))
    if cut >= 0:
        left = left[cut + 1:]
    m = None
    for m in _FUTURE_WORDS.finditer(left):
        pass
    if m is not None:
        # a reporting verb between the future word and the expression: "will ... said on"
        if not _PAST_REPORT.search(left[m.end():]):
            return True
    if not left.strip(" ,\"“‘(") or re.fullmatch(r"\s*(?:and|but|then|so)?\s*", left, re.I):
        right = text[end:end + 60]
        rc = re.search(r"[.;?!\n]", right)
        if rc:
            right = right[:rc.start()]
        fm = _FUTURE_WORDS.search(right)
        if fm and not _PAST_REPORT.search(right[:fm.start()]):
            return True
    return False


def relation_of(day: dt.date, article_date: dt.date) -> str:
    if day < article_date:
        return "past"
    if day > article_date:
        return "future"
    return "present"


def resolve_weekday(weekday: int | str, article_date: dt.date, mode: str = "on") -> dt.date:
    """The day a weekday name refers to, relative to ``article_date``.

    ``mode``: "on" (plain "on Saturday": most recent before, the article's own weekday
    = the article date), "by" (same), "last" ("last Monday": strictly before, a Monday
    article gives a week before), "next" (strictly after), "future" (on or after).
    """
    if isinstance(weekday, str):
        w = weekday.lower().rstrip(".")
        weekday = WEEKDAYS.index(w) if w in WEEKDAYS else _WD_ABBR[w[:4] if w[:4] in _WD_ABBR else w[:3]]
    diff = (article_date.weekday() - weekday) % 7
    if mode in ("on", "by"):
        return article_date - dt.timedelta(days=diff)
    if mode == "last":
        return article_date - dt.timedelta(days=diff or 7)
    ahead = (weekday - article_date.weekday()) % 7
    if mode == "next":
        return article_date + dt.timedelta(days=ahead or 7)
    if mode == "future":
        return article_date + dt.timedelta(days=ahead)
    raise ValueError(f"unknown weekday mode {mode!r}")


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def resolve_month(month: int, article_date: dt.date, future: bool = False, strict: bool = False) -> int:
    """Year of the most recent ``month`` not after the article month (strictly before
    with ``strict``); with ``future`` the next one on/after it."""
    y = article_date.year
    if future:
        return y if month >= article_date.month else y + 1
    if month > article_date.month or (strict and month == article_date.month):
        return y - 1
    return y


def _mid(a: dt.date, b: dt.date) -> dt.date:
    return a + dt.timedelta(days=(b - a).days // 2)


def _precision_for(a: dt.date, b: dt.date) -> int:
    n = (b - a).days + 1
    return 1 if n <= 1 else (2 if n <= 7 else 3)


def _add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _num(s: str) -> int | None:
    s = re.sub(r"\s+", " ", s.strip().lower())
    if s.isdigit():
        return int(s)
    if s in _SMALL_NUM:
        return _SMALL_NUM[s]
    m = re.fullmatch(r"(twenty|thirty|forty|fifty)[- ](\w+)", s)
    if m and m.group(2) in _SMALL_NUM:
        return _SMALL_NUM[m.group(1)] + _SMALL_NUM[m.group(2)]
    return None


def _wd_index(s: str) -> int:
    return WEEKDAYS.index(s.lower())


def _month_index(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


# A resolution: (date, start_date, end_date, precision, reason, forced_relation or None)
Res = tuple[dt.date, "dt.date | None", "dt.date | None", int, str, "str | None"]
Handler = Callable[[re.Match, dt.date, str], "Res | None"]


def _span(a: dt.date, b: dt.date, reason: str, precision: int | None = None,
          date: dt.date | None = None, rel: str | None = None) -> Res:
    if b < a:
        a, b = b, a
    return (date or _mid(a, b), a, b, precision or _precision_for(a, b), reason, rel)


def _day(d: dt.date, reason: str, rel: str | None = None) -> Res:
    return (d, None, None, 1, reason, rel)


# ------------------------------------------------------------------ handlers
def _h_weekday(m: re.Match, A: dt.date, text: str) -> Res | None:
    pre = (m.group("pre") or "").lower().split()
    pre = pre[-1] if pre else ""
    wd = _wd_index(m.group("wd"))
    wd2 = m.group("wd2")
    overnight = bool(m.group("ovn"))
    if pre in ("next", "coming"):
        d = resolve_weekday(wd, A, "next")
        return _day(d, "time:next_weekday", "future")
    if pre == "last" or pre == "past":
        d = resolve_weekday(wd, A, "last")
        res = _day(d, "time:last_weekday")
    elif is_future_context(text, m.start(), m.end()) and pre != "since":
        d = resolve_weekday(wd, A, "future")
        res = _day(d, "time:weekday_future", "future" if d > A else None)
    else:
        d = resolve_weekday(wd, A, "on")
        reason = "time:by_weekday" if pre == "by" else (
            "time:weekday_is_article_day" if d == A else "time:weekday_before_article")
        res = _day(d, reason)
    d = res[0]
    if wd2:
        d2 = d + dt.timedelta(days=(_wd_index(wd2) - wd) % 7 or 7)
        if d2 > A and res[5] != "future":
            d, d2 = d - dt.timedelta(days=7), d2 - dt.timedelta(days=7)
        if overnight or "night" in m.group(0).lower():
            # "the night between Thursday and Friday": the later day
            return (d2, d, d2, 1, "time:overnight", res[5])
        # "on Tuesday and Wednesday": both days
        return _span(d, d2, "time:weekday_range", rel=res[5])
    if overnight:
        # "overnight into Tuesday": the night before the named day
        return (d, d - ONE, d, 1, "time:overnight", res[5])
    if pre == "since":
        return (d, d, A, 1, "time:since", None)
    if pre in ("until", "till", "through"):
        return (d, None, None, 1, "time:until", res[5])
    return res


_NEAR_FUTURE_DAYS = 7


def _year_for(month: int, day: int, A: dt.date, future: bool) -> int:
    y = A.year
    try:
        cand = dt.date(y, month, day)
    except ValueError:
        cand = None
    if cand is not None and cand <= A:
        return y
    if future or (cand is not None and (cand - A).days <= _NEAR_FUTURE_DAYS):
        # a date a few days after the article without a year is upcoming, not a year old
        return y
    return y - 1


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _h_explicit(m: re.Match, A: dt.date, text: str) -> Res | None:
    mon = _month_index(m.group("mon"))
    d1 = int(re.match(r"\d+", m.group("d1")).group(0))
    d0 = m.group("d0")
    year = m.group("y")
    future = is_future_context(text, m.start(), m.end())
    if year:
        y = int(year)
        reason = "time:explicit_date"
    else:
        y = _year_for(mon, d1, A, future)
        reason = "time:explicit_date_no_year"
    day = _safe_date(y, mon, d1)
    if day is None:
        # Feb 29 in a non-leap year: previous leap year
        if mon == 2 and d1 == 29 and not year:
            while not calendar.isleap(y):
                y -= 1
            day = dt.date(y, 2, 29)
        else:
            return None
    if d0:
        # "1-2 March" (overnight) or "10-12 March" (a span)
        first = _safe_date(day.year, mon, int(re.match(r"\d+", d0).group(0)))
        if first is None or first > day:
            return _day(day, reason, "future" if day > A else None)
        if (day - first).days == 1 and re.search(r"night|overnight", text[max(0, m.start() - 30):m.end()], re.I):
            return (day, first, day, 1, "time:overnight", None)
        return _span(first, day, "time:explicit_range")
    if re.search(r"night|overnight", m.group(0), re.I) and re.search(r"overnight", m.group(0), re.I):
        return (day, day - ONE, day, 1, "time:overnight", None)
    return _day(day, reason, "future" if day > A else None)


def _h_explicit_dm(m: re.Match, A: dt.date, text: str) -> Res | None:
    return _h_explicit(m, A, text)


def _h_numeric(m: re.Match, A: dt.date, text: str) -> Res | None:
    g = m.groupdict()
    if g.get("iy"):
        d = _safe_date(int(g["iy"]), int(g["im"]), int(g["id"]))
        return _day(d, "time:explicit_date", "future" if d > A else None) if d else None
    a, b, y = int(g["na"]), int(g["nb"]), int(g["ny"])
    if y < 100:
        y += 2000
    cands = []
    for dd, mm in ((a, b), (b, a)):   # day-first (European) and month-first (US)
        d = _safe_date(y, mm, dd)
        if d:
            cands.append(d)
    if not cands:
        return None
    if g.get("wdp"):
        same = [d for d in cands if d.weekday() == _wd_index(g["wdp"])]
        if same:
            cands = same
    past = [d for d in cands if d <= A]
    d = max(past) if past else min(cands)
    return _day(d, "time:explicit_date", "future" if d > A else None)


_MOD_MAP = {"early": "start", "beginning": "start", "start": "start", "mid": "mid",
            "middle": "mid", "late": "end", "end": "end"}


def _month_res(mon: int, y: int, A: dt.date, mod: str, future: bool) -> Res:
    first, last = month_span(y, mon)
    if mod == "start":
        a, b, date, reason = first, first + dt.timedelta(days=9), first, "time:month_start"
    elif mod == "end":
        a, b, date, reason = first + dt.timedelta(days=20), last, last, "time:month_end"
    elif mod == "mid":
        a, b, date, reason = first + dt.timedelta(days=10), first + dt.timedelta(days=19), first + dt.timedelta(days=14), "time:month_mid"
    else:
        a, b, date, reason = first, last, first + dt.timedelta(days=14), "time:month_only"
    if not future and b > A >= a:
        # the article's own month: the part of it up to the article date
        b = A
        date = min(date, A)
    elif not future and a > A:
        # should not happen for past months; keep the contract anyway
        date, a, b = A, A, A
    return (date, a, b, 3, reason, "future" if future and date > A else None)


def _h_month(m: re.Match, A: dt.date, text: str) -> Res | None:
    mon = _month_index(m.group("mon"))
    pre = (m.group("pre") or "").lower()
    mod = _MOD_MAP.get(re.sub(r"[\s-]+(?:of)?$", "", (m.group("mod") or "").lower()).split(" ")[-1] if m.group("mod") else "", "")
    year = m.group("y")
    if m.group("mod") and not mod:
        mw = re.findall(r"early|beginning|start|mid|middle|late|end", m.group("mod").lower())
        mod = _MOD_MAP.get(mw[0], "") if mw else ""
    future = pre in ("next", "coming") or (not year and pre != "last" and pre != "since"
                                            and is_future_context(text, m.start(), m.end()))
    if year:
        y = int(year)
        future = dt.date(y, mon, 1) > A
    elif pre == "last":
        y = resolve_month(mon, A, strict=True)
    elif pre == "this":
        y = A.year
        future = dt.date(y, mon, 1) > A
    else:
        y = resolve_month(mon, A, future=future)
    res = _month_res(mon, y, A, mod, future)
    if pre == "since":
        start = res[1]
        return (start, start, A, 3, "time:since", None)
    if pre == "last":
        res = res[:4] + ("time:last_month_name",) + res[5:]
    if year and res[4] == "time:month_only":
        res = res[:4] + ("time:month_year",) + res[5:]
    return res


def _h_year(m: re.Match, A: dt.date, text: str) -> Res | None:
    y = int(m.group("yr"))
    pre = (m.group("pre") or "").lower()
    if y > A.year + 10 or y < 1900:
        return None
    a, b = dt.date(y, 1, 1), dt.date(y, 12, 31)
    mod = (m.group("mod") or "").lower()
    date = dt.date(y, 7, 1)
    if "early" in mod or "beginning" in mod or "start" in mod:
        date = a
    elif "late" in mod or "end" in mod:
        date = b
    if y == A.year and b > A:
        b = A
        date = min(date, A) if y <= A.year else date
        if date > A:
            date = A
    if pre == "since":
        return (a, a, A, 3, "time:since", None)
    rel = "future" if a > A else None
    return (date, a, b, 3, "time:year_only", rel)


def _h_rel_day(m: re.Match, A: dt.date, text: str) -> Res | None:
    w = re.sub(r"\s+", " ", m.group(0).lower())
    if "day before yesterday" in w:
        return _day(A - 2 * ONE, "time:day_before_yesterday")
    if "yesterday" in w:
        return _day(A - ONE, "time:yesterday")
    if "tomorrow" in w:
        return _day(A + ONE, "time:tomorrow", "future")
    if "last night" in w:
        return (A - ONE, A - ONE, A, 1, "time:last_night", None)
    if "tonight" in w:
        return _day(A, "time:today")
    return _day(A, "time:today")


def _h_overnight(m: re.Match, A: dt.date, text: str) -> Res | None:
    return (A, A - ONE, A, 1, "time:overnight", None)


def _h_ago(m: re.Match, A: dt.date, text: str) -> Res | None:
    n = _num(m.group("n"))
    unit = m.group("unit").lower().rstrip("s")
    if n is None:
        return None
    if unit == "day":
        return _day(A - dt.timedelta(days=n), "time:days_ago")
    if unit == "week":
        c = A - dt.timedelta(days=7 * n)
        return (c, c - 3 * ONE, min(c + 3 * ONE, A - ONE), 2, "time:weeks_ago", None)
    if unit == "month":
        c = _add_months(A, -n)
        return (c, c - 15 * ONE, min(c + 15 * ONE, A - ONE), 3, "time:months_ago", None)
    if unit == "year":
        y = A.year - n
        return (dt.date(y, 7, 1), dt.date(y, 1, 1), dt.date(y, 12, 31), 3, "time:year_only", None)
    if unit in ("hour", "minute"):
        return _day(A, "time:hours_ago")
    return None


def _h_week(m: re.Match, A: dt.date, text: str) -> Res | None:
    w = re.sub(r"\s+", " ", m.group(0).lower())
    monday = A - dt.timedelta(days=A.weekday())
    if "next week" in w:
        a = monday + 7 * ONE
        return _span(a, a + 6 * ONE, "time:next_week", 2, rel="future")
    if "last week" in w and "past" not in w:
        a = monday - 7 * ONE
        return _span(a, a + 6 * ONE, "time:last_week", 2)
    if "earlier this week" in w or "this week" in w:
        end = A - ONE if "earlier" in w and A > monday else A
        return _span(monday, end, "time:this_week", 2)
    # "the past week", "the last week"
    return _span(A - 7 * ONE, A - ONE, "time:past_n_days", 2)


def _h_weekend(m: re.Match, A: dt.date, text: str) -> Res | None:
    w = m.group(0).lower()
    wd = A.weekday()
    future = "next" in w or "coming" in w or (
        "last" not in w and "past" not in w and is_future_context(text, m.start(), m.end()))
    if future:
        sat = A + dt.timedelta(days=(5 - wd) % 7)
        if "next" in w and wd < 5:
            sat += 7 * ONE
        return (sat, sat, sat + ONE, 2, "time:weekend", "future" if sat > A else None)
    if wd == 6:          # Sunday: this weekend, yesterday and today
        sat = A - ONE
    elif wd == 5:        # Saturday: a past-tense weekend is the previous one
        sat = A - 7 * ONE
    else:
        sat = A - dt.timedelta(days=wd + 2)
    if "last" in w and wd == 6:
        sat -= 7 * ONE
    return (sat, sat, sat + ONE, 2, "time:weekend", None)


def _h_recent(m: re.Match, A: dt.date, text: str) -> Res | None:
    unit = m.group("unit").lower()
    if unit.startswith("day"):
        return _span(A - 7 * ONE, A - ONE, "time:recent_days", 2)
    if unit.startswith("week"):
        return _span(A - 28 * ONE, A - ONE, "time:recent_weeks", 3)
    if unit.startswith("month"):
        return _span(A - 90 * ONE, A - ONE, "time:recent_months", 3)
    return None


def _h_past_n(m: re.Match, A: dt.date, text: str) -> Res | None:
    n = _num(m.group("n")) if m.group("n") else 1
    unit = m.group("unit").lower().rstrip("s")
    if n is None:
        return None
    if unit == "hour":
        days = max(1, -(-n // 24))
        if days == 1:
            return (A - ONE, A - ONE, A, 1, "time:past_n_hours", None)
        return _span(A - days * ONE, A - ONE, "time:past_n_hours")
    if unit == "day":
        days = n
    elif unit == "week":
        days = 7 * n
    elif unit == "month":
        days = (A - _add_months(A, -n)).days
    elif unit == "year":
        days = (A - dt.date(A.year - n, A.month, min(A.day, 28))).days
    else:
        return None
    return _span(A - days * ONE, A - ONE, "time:past_n_days")


def _h_month_rel(m: re.Match, A: dt.date, text: str) -> Res | None:
    w = re.sub(r"\s+", " ", m.group(0).lower())
    first = A.replace(day=1)
    if "next month" in w:
        a = _add_months(first, 1)
        return _month_res(a.month, a.year, A, "", True)
    if "last month" in w and "past" not in w:
        a = _add_months(first, -1)
        return _month_res(a.month, a.year, A, "", False)[:4] + ("time:last_month", None)
    if "this month" in w:
        end = A - ONE if "earlier" in w and A.day > 1 else A
        return _span(first, end, "time:this_month", 3)
    return _span(_add_months(A, -1), A - ONE, "time:past_n_days", 3)


def _h_year_rel(m: re.Match, A: dt.date, text: str) -> Res | None:
    w = re.sub(r"\s+", " ", m.group(0).lower())
    if "next year" in w:
        y = A.year + 1
        return (dt.date(y, 7, 1), dt.date(y, 1, 1), dt.date(y, 12, 31), 3, "time:year_only", "future")
    if "last year" in w and "past" not in w:
        y = A.year - 1
        return (dt.date(y, 7, 1), dt.date(y, 1, 1), dt.date(y, 12, 31), 3, "time:last_year", None)
    if "this year" in w:
        a = dt.date(A.year, 1, 1)
        return _span(a, A, "time:this_year", 3)
    return _span(dt.date(A.year - 1, A.month, min(A.day, 28)), A - ONE, "time:past_n_days", 3)


_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season_span(name: str, year: int) -> tuple[dt.date, dt.date]:
    """Meteorological seasons of the northern hemisphere; a winter belongs to the year it starts in."""
    a = dt.date(year, _SEASON_START[name], 1)
    b = _add_months(a, 3) - ONE
    return a, b


def _h_season(m: re.Match, A: dt.date, text: str) -> Res | None:
    """"this spring", "last summer", "in the winter of 2022": about three months, precision 3."""
    name = m.group("season").lower()
    pre = (m.group("pre") or "").lower()
    if m.group("y"):
        a, b = _season_span(name, int(m.group("y")))
    else:
        # the season under way or most recently begun, and for "last" the one before it
        year = A.year if A >= dt.date(A.year, _SEASON_START[name], 1) else A.year - 1
        if pre == "next":
            year += 1
        elif pre == "last":
            a, _b = _season_span(name, year)
            if a <= A <= _b:
                year -= 1
        a, b = _season_span(name, year)
    rel = "future" if a > A else None
    if rel is None and b > A:
        b = A
    return _span(a, b, "time:season", 3, rel=rel)


def _h_holiday(m: re.Match, A: dt.date, text: str) -> Res | None:
    w = m.group(0).lower()
    if "eve" in w and "new year" in w:
        mon, day = 12, 31
    elif "new year" in w:
        mon, day = 1, 1
    elif "christmas eve" in w:
        mon, day = 12, 24
    else:
        mon, day = 12, 25
    y = _year_for(mon, day, A, False)
    d = dt.date(y, mon, day)
    return _day(d, "time:holiday", "future" if d > A else None)


# ------------------------------------------------------------------ rules
_RULES: list[tuple[str, re.Pattern, Handler]] = [
    ("explicit_md", re.compile(
        rf"\b(?i:(?:on|by|since|until|till|from|of)\s+)?(?i:overnight\s+(?:on|into)\s+)?(?i:{_TOD_OF})?"
        rf"(?:{_WD}\s*,?\s*\(?\s*)?"
        rf"(?P<mon>{_MON})\s+(?:(?P<d0>{_DAYNUM})\s*(?:-|–|and)\s*)?(?P<d1>{_DAYNUM})\b(?!\s*(?:-|–)?\s*(?:years?|km|kilomet|percent|%))"
        rf"(?:\s*,?\s*(?P<y>{_YEAR})\b)?\)?"), _h_explicit),
    ("explicit_dm", re.compile(
        rf"\b(?i:(?:on|by|since|until|till|from)\s+)?(?i:overnight\s+(?:on|into)\s+)?(?i:{_TOD_OF})?"
        rf"(?:{_WD}\s*,?\s*\(?\s*)?(?:the\s+)?"
        rf"(?:(?P<d0>{_DAYNUM})\s*(?:-|–)\s*)?(?P<d1>{_DAYNUM})\s+(?:of\s+)?(?P<mon>{_MON})"
        rf"(?:\s*,?\s*(?P<y>{_YEAR})\b)?\)?(?![\w])"), _h_explicit_dm),
    ("numeric", re.compile(
        rf"(?:(?P<wdp>{_WD})\s*,?\s*\(?\s*)?"
        r"(?<![\w/.-])(?:(?P<iy>20\d\d|19\d\d)-(?P<im>0?[1-9]|1[0-2])-(?P<id>[0-2]?\d|3[01])"
        r"|(?P<na>[0-3]?\d)[/.](?P<nb>[0-3]?\d)[/.](?P<ny>20\d\d|\d\d))(?![\w/-])(?(wdp)\)?)"), _h_numeric),
    ("month", re.compile(
        rf"\b(?:(?P<pre>(?i:in|since|during|until|till|through|by|from|of|last|this|next|coming|throughout))\s+)?"
        rf"(?:(?i:the\s+)?(?P<mod>(?i:early|mid|late|(?:the\s+)?(?:beginning|start|middle|end)\s+of|mid-))[\s-]*)?"
        rf"(?P<mon>{_MON_FULL}|{_MON_ABBR}(?=\s+\d))(?:\s*,?\s*(?P<y>{_YEAR}))?\b"), _h_month),
    ("year", re.compile(
        rf"\b(?P<pre>(?i:in|since|during|until|of|from|by|throughout))\s+(?:(?P<mod>(?i:early|mid|late|the\s+(?:beginning|start|middle|end)\s+of))[\s-]+)?"
        rf"(?P<yr>{_YEAR})\b(?![,.]?\d)(?!\s*(?:-|–)?\s*(?:troops|people|soldiers|km|kilomet|square|tanks|missiles|drones|%|percent))"), _h_year),
    ("season", re.compile(
        rf"\b(?:(?P<pre>(?i:this|last|next|past))\s+|(?i:(?:in|during|over|throughout|through|since|by)\s+(?:the\s+)?)"
        rf"(?:(?i:early|late|mid-)\s*)?)(?P<season>(?i:spring|summer|autumn|fall|winter))\b"
        rf"(?:\s+(?i:of)\s+(?P<y>{_YEAR})\b)?"), _h_season),
    ("holiday", re.compile(r"\b(?:New\s+Year['’]s(?:\s+(?:Day|Eve))?|Christmas(?:\s+(?:Day|Eve))?)\b"), _h_holiday),
    ("weekday", re.compile(
        rf"(?:\b(?P<ovn>(?i:overnight\s+(?:into|on|to)|(?:the\s+|on\s+the\s+)?(?:night|evening)\s+(?:of|before|into)))\s+)?"
        rf"\b(?:(?P<pre>(?i:on|by|since|until|till|through|from|last|this\s+past|past|this|next|coming|this\s+coming|early|late|before))\s+)?"
        rf"(?:(?i:early|late)\s+)?(?P<wd>{_WD})(?:['’]s)?"
        rf"(?:\s+(?:(?P<part>(?i:{_PART}))|(?i:and|to|into)\s+(?P<wd2>{_WD})(?:\s+(?i:{_PART}))?))?\b"), _h_weekday),
    ("weekday_between", re.compile(
        rf"\b(?i:(?:on|during)\s+)?(?i:the\s+)?(?i:night\s+(?:between|from))\s+(?P<wd>{_WD})\s+(?i:and|to|into)\s+(?P<wd2>{_WD})\b"
        rf"(?P<pre>)(?P<ovn>)(?P<part>)"), _h_weekday),
    ("rel_day", re.compile(
        r"\b(?:(?:the\s+)?day\s+before\s+yesterday|(?:earlier\s+|late\s+|early\s+)?(?:yesterday|today|tonight|tomorrow)"
        r"(?:\s+(?:morning|afternoon|evening|night))?|last\s+night|this\s+(?:morning|afternoon|evening)"
        r"|earlier\s+(?:in\s+the\s+day|today))\b", re.I), _h_rel_day),
    ("overnight", re.compile(r"\b(?:overnight|during\s+the\s+night|in\s+the\s+early\s+hours)\b(?!\s+(?:into|on|to)\s+[A-Z])", re.I), _h_overnight),
    ("ago", re.compile(
        rf"\b(?P<n>{_NUMW})\s+(?P<unit>days?|weeks?|months?|years?|hours?|minutes?)\s+ago\b", re.I), _h_ago),
    ("week", re.compile(
        r"\b(?:(?:earlier|later)\s+)?(?:(?:over|during|in|within)\s+)?(?:the\s+)?(?:last|past|this|next|previous|preceding)\s+week\b(?!\s*(?:['’]s|ends?))", re.I), _h_week),
    ("weekend", re.compile(
        r"\b(?:(?:over|during|on|at|this|last|past|next|coming)\s+)?(?:the\s+)?(?:last\s+|past\s+|coming\s+|next\s+)?weekend\b", re.I), _h_weekend),
    ("recent", re.compile(
        r"\b(?:in|over|during)\s+(?:the\s+)?(?:most\s+)?recent\s+(?P<unit>days|weeks|months)\b"
        r"|\b(?:in|over)\s+(?:the\s+)?(?:last|past)\s+(?:few|several|couple\s+of)\s+(?P<unit2>days|weeks|months)\b", re.I),
     lambda m, A, t: _h_recent(_Alias(m, unit=m.group("unit") or m.group("unit2")), A, t)),
    ("past_n", re.compile(
        rf"\b(?:in|over|during|within|for)\s+(?:the\s+)?(?:last|past|previous|preceding)\s+(?:(?P<n>{_NUMW})\s+)?"
        rf"(?P<unit>days|weeks|months|years|hours|day|hours)\b", re.I), _h_past_n),
    ("month_rel", re.compile(
        r"\b(?:(?:earlier|later)\s+)?(?:(?:over|during|in)\s+)?(?:the\s+)?(?:last|past|this|next|previous)\s+month\b(?!['’]s)", re.I), _h_month_rel),
    ("year_rel", re.compile(
        r"\b(?:(?:earlier|later)\s+)?(?:(?:over|during|in)\s+)?(?:the\s+)?(?:last|past|this|next|previous)\s+year\b(?!['’]s)", re.I), _h_year_rel),
]


class _Alias:
    """A match wrapper that overrides some groups (used by the "recent" rule)."""

    def __init__(self, m: re.Match, **groups: str):
        self._m, self._g = m, groups

    def group(self, name=0):
        if isinstance(name, str) and name in self._g:
            return self._g[name]
        return self._m.group(name)

    def start(self, *a):
        return self._m.start(*a)

    def end(self, *a):
        return self._m.end(*a)


# Cheap pre-filters: a rule runs only when one of its literal keys occurs in the
# lower-cased text (substring tests are far cheaper than the regexes).
_MONTH_KEYS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_RULE_KEYS: dict[str, tuple[str, ...]] = {
    "explicit_md": _MONTH_KEYS,
    "explicit_dm": _MONTH_KEYS,
    "month": _MONTH_KEYS,
    "numeric": ("/", ".", "-"),
    "year": ("19", "20"),
    "holiday": ("new year", "christmas"),
    "season": ("spring", "summer", "autumn", "fall", "winter"),
    "weekday": ("day",),
    "weekday_between": ("night",),
    "rel_day": ("yesterday", "today", "tonight", "tomorrow", "last night", "this morning",
                "this afternoon", "this evening", "earlier in the day"),
    "overnight": ("overnight", "during the night", "early hours"),
    "ago": (" ago",),
    "week": ("week",),
    "weekend": ("weekend",),
    "recent": ("recent", "few", "several", "couple"),
    "past_n": ("past", "last", "previous", "preceding"),
    "month_rel": ("month",),
    "year_rel": ("year",),
}
_TRIGGER_KEYS = tuple(sorted({k for keys in _RULE_KEYS.values() for k in keys if k not in ("/", ".", "-")}))
_DIGIT = re.compile(r"\d")


def _has_trigger(low: str) -> bool:
    return any(k in low for k in _TRIGGER_KEYS)




def _accept(name: str, m: re.Match, text: str) -> bool:
    if name == "month":
        mon = m.group("mon")
        if not mon[0].isupper():
            return False
        if mon.lower() in ("may", "march") and not (m.group("pre") or m.group("mod") or m.group("y")):
            return False
        if mon.lower() == "may" and (m.group("pre") or "").lower() in ("by", "of", "this", "from") and not m.group("y"):
            # "this May" fine, but "by May" could be a name; keep "this"
            return (m.group("pre") or "").lower() == "this"
        # "the March offensive" is fine; "March 2023" handled; "since March" fine
        return True
    if name in ("explicit_md", "explicit_dm"):
        mon = m.group("mon")
        if not mon[0].isupper():
            return False
        return True
    if name == "weekday":
        return True
    if name == "year":
        # "in 2014" but not "in 2014 alone"? fine.  Reject "of 2022" in "the 2022 budget"
        return True
    return True


def _clamp_past(res: Res, A: dt.date, reason_tag: str) -> Res:
    """Enforce: a non-future expression never resolves after the article date."""
    date, a, b, prec, reason, rel = res
    if rel == "future":
        return res
    if date > A:
        log.debug("clamping %s resolved after article date (%s > %s)", reason, date, A)
        date = A
    if b is not None and b > A:
        b = A
    if a is not None and a > A:
        a = A
    return (date, a, b, prec, reason, rel)


# ------------------------------------------------------------------ dateparser fallback
_DP_SKIP = re.compile(
    r"^\W*(?:(?:the|a|an|some|about|around|nearly|almost|over|more\s+than|at\s+least|for|of)\s+)*"
    r"(?:\d+|[a-z]+(?:-[a-z]+)?)\s+(?:days?|weeks?|months?|years?|hours?|minutes?|decades?|centuries)"
    r"(?:\s+(?:old|long|later|earlier|after|before|afterwards))?\W*$"
    r"|year-old|-old\b|annual|daily|weekly|monthly|decades?|centur|era|times|ages|period|moment|hours?\W*$"
    r"|\d{1,2}[:.]\d\d|\b\d{1,2}\s*[ap]\.?m\b|\d0s\b|midnight|noon|dawn|dusk|o['’]clock"
    r"|\b(?:gmt|utc|cet|eet|msk|kyiv\s+time|local\s+time)\b",
    re.I,
)


def warm_up(article_date: dt.date) -> None:
    """Load dateparser's locale data now (its first call costs most of a second)."""
    _dateparser_with_base("the fourth day of March", article_date)


def _dateparser_with_base(span_text: str, A: dt.date) -> tuple[dt.date, str] | None:
    try:
        from dateparser.date import DateDataParser  # slow import: only when needed
    except ImportError:  # pragma: no cover
        return None
    key = (span_text, A)
    if key in _DP_CACHE:
        return _DP_CACHE[key]
    settings = {
        "RELATIVE_BASE": dt.datetime(A.year, A.month, A.day, 12, 0),
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": True,
        "STRICT_PARSING": False,
    }
    try:
        ddp = _DDP.get(A)
        if ddp is None:
            ddp = DateDataParser(languages=["en"], settings=settings)
            if len(_DDP) > 64:
                _DDP.clear()
            _DDP[A] = ddp
        data = ddp.get_date_data(span_text)
    except Exception:
        log.debug("dateparser failed on %r", span_text, exc_info=True)
        data = None
    out = None
    if data is not None and data.date_obj is not None:
        out = (data.date_obj.date(), data.period or "day")
    if len(_DP_CACHE) > 8192:
        _DP_CACHE.clear()
    _DP_CACHE[key] = out
    return out


_DP_CACHE: dict = {}
_DDP: dict = {}


def _fallback(span_text: str, A: dt.date) -> Res | None:
    t = span_text.strip()
    if len(t) < 3 or len(t) > 60 or _DP_SKIP.search(t):
        return None
    if not re.search(r"\d|[A-Z][a-z]", t):
        return None
    got = _dateparser_with_base(t, A)
    if got is None:
        return None
    d, period = got
    if d > A and period == "day" and not re.search(r"[A-Za-z]{3}", re.sub(r"(?i)\b(?:the|on|of|st|nd|rd|th)\b", "", t)):
        # "the 15th" read as this month's 15th, after the article: the previous month's
        prev = _add_months(d, -1)
        if prev.day == d.day and prev <= A:
            d = prev
    if period == "year":
        return (dt.date(d.year, 7, 1) if d.year != A.year else min(dt.date(d.year, 7, 1), A),
                dt.date(d.year, 1, 1), min(dt.date(d.year, 12, 31), A) if d.year == A.year else dt.date(d.year, 12, 31),
                3, "time:year_only", None)
    if period == "month":
        return _month_res(d.month, d.year, A, "", d > A)[:4] + ("time:dateparser", None)
    if period == "week":
        return (d, None, None, 2, "time:dateparser", None)
    return _day(d, "time:dateparser")


# ------------------------------------------------------------------ main entry
def find_time_expressions(
    text: str,
    article_date: dt.date,
    spans: Sequence[tuple[int, int]] = (),
    offset: int = 0,
) -> list[TimeExpression]:
    """Every date expression in ``text`` resolved against ``article_date``.

    Overlapping candidates keep the longest.  ``spans`` (e.g. spaCy DATE/TIME entities,
    offsets into ``text``) that no rule covers go to dateparser.  Offsets in the result
    are ``offset`` + offsets into ``text``.
    """
    if not text:
        return []
    if isinstance(article_date, dt.datetime):
        article_date = article_date.date()
    A = article_date
    low = text.lower()
    if not spans and not _has_trigger(low):
        return []
    has_digit = _DIGIT.search(text) is not None
    cands: list[tuple[int, int, str, Res]] = []
    for name, rx, handler in _RULES:
        keys = _RULE_KEYS.get(name)
        if keys and not any(k in low for k in keys):
            continue
        if name in ("explicit_md", "explicit_dm", "numeric", "year") and not has_digit:
            continue
        for m in rx.finditer(text):
            if not _accept(name, m, text):
                continue
            try:
                res = handler(m, A, text)
            except (ValueError, KeyError, OverflowError):
                log.debug("rule %s failed on %r", name, m.group(0), exc_info=True)
                res = None
            if res is None:
                continue
            s, e = m.start(), m.end()
            # trim leading/trailing whitespace and "(" / ")"
            while s < e and text[s] in " (\t\n":
                s += 1
            while e > s and text[e - 1] in " \t\n,":
                e -= 1
            if text[s:e].endswith(")") and "(" not in text[s:e]:
                e -= 1
            cands.append((s, e, name, res))
    # keep the longest of overlapping candidates
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: list[tuple[int, int, str, Res]] = []
    for c in cands:
        if all(c[1] <= o[0] or c[0] >= o[1] for o in chosen):
            chosen.append(c)
    # extra spans (spaCy) not covered by a rule: dateparser fallback
    for (s, e) in spans or ():
        if s < 0 or e > len(text) or e <= s:
            continue
        if any(not (e <= o[0] or s >= o[1]) for o in chosen):
            continue
        res = _fallback(text[s:e], A)
        if res is None:
            continue
        if res[0] > A and not is_future_context(text, s, e):
            log.debug("dropping dateparser reading of %r after article date", text[s:e])
            continue
        if res[0] > A:
            res = res[:5] + ("future",)
        chosen.append((s, e, "dateparser", res))
    chosen.sort(key=lambda c: c[0])
    out: list[TimeExpression] = []
    for s, e, name, res in chosen:
        res = _clamp_past(res, A, name)
        date, a, b, prec, reason, rel = res
        relation = rel or relation_of(date, A)
        if relation == "future" and date <= A:
            relation = relation_of(date, A)
        out.append(TimeExpression(
            text=text[s:e], start=s + offset, end=e + offset, date=date,
            end_date=b, start_date=a, time_precision=prec, relation=relation, reason=reason,
        ))
    return _join_ranges(out, text, offset, A)


_RANGE_JOIN = re.compile(r"^\s*(?:and|to|until|till|through|thru|-|–|—)\s*$", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"\b(?:between|from)\s*$", re.IGNORECASE)
_DAY_REASONS = {"time:explicit_date", "time:explicit_date_no_year"}


def _join_ranges(found: list[TimeExpression], text: str, offset: int, A: dt.date) -> list[TimeExpression]:
    """"between September 10 and September 20", "from 1 March to 5 March": two dates that close one
    span are one expression covering it (the middle day, ACLED's convention), not two days."""
    out: list[TimeExpression] = []
    i = 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        if b is not None and a.reason in _DAY_REASONS and b.reason in _DAY_REASONS and a.date < b.date and \
                _RANGE_JOIN.match(text[a.end - offset: b.start - offset]) and \
                _RANGE_OPEN.search(text[max(0, a.start - offset - 10): a.start - offset]) or (
                b is not None and a.text.lower().startswith(("from ", "between ")) and a.reason in _DAY_REASONS
                and b.reason in _DAY_REASONS and a.date < b.date
                and _RANGE_JOIN.match(text[a.end - offset: b.start - offset])):
            first, last = a.date, b.date
            mid = first + (last - first) // 2
            relation = "future" if first > A else relation_of(last, A)
            out.append(TimeExpression(text=text[a.start - offset: b.end - offset], start=a.start, end=b.end, date=mid,
                                      start_date=first, end_date=last, time_precision=_precision_for(first, last),
                                      relation=relation, reason="time:explicit_range"))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


# ----------------------------------------------------------------------------------------
# the day a report's relative dates are resolved against
# ----------------------------------------------------------------------------------------
ABSOLUTE_REASONS = frozenset({"time:explicit_date", "time:explicit_range", "time:month_year", "time:year_only"})
MONTH_ABSOLUTE_REASONS = ABSOLUTE_REASONS | {"time:explicit_date_no_year"}


@dataclass(slots=True)
class ReferenceDate:
    """What a report's "on Sunday" and "yesterday" are counted from.

    ``known`` is "day" for a real publication day, "month" for a month-only date (``2022-04``)
    and "none" for an undated report.  For the last two, ``date`` is a stand-in: the latest
    date the text itself pins (in that month), else the month's middle, else today; events
    dated only relative to it are not given a day (see :func:`date_is_known`)."""

    date: dt.date
    known: str
    reason: str


def inferred_reference(ref: ReferenceDate) -> bool:
    """True when the reference day is a stand-in taken from the text of an undated report."""
    return ref.known == "none" and ref.reason == "time:latest_date_in_text"


def reference_date(text: str, pub_date: dt.date | None, pub_reason: str = "") -> ReferenceDate:
    if pub_date is not None and pub_reason != "date:month_only":
        return ReferenceDate(pub_date, "day", "time:publication_date")
    if pub_date is not None:
        first = pub_date.replace(day=1)
        last = month_span(first.year, first.month)[1]
        pinned = [t.date for t in find_time_expressions(text, last)
                  if t.reason in MONTH_ABSOLUTE_REASONS and t.time_precision == 1 and first <= t.date <= last]
        if pinned:
            return ReferenceDate(min(max(pinned) + dt.timedelta(days=1), last), "month",
                                 "time:after_latest_date_in_month")
        return ReferenceDate(first + dt.timedelta(days=14), "month", "time:middle_of_month")
    stand_in = dt.date.today()
    pinned = [t.date for t in find_time_expressions(text, stand_in)
              if t.reason == "time:explicit_date" and t.time_precision == 1]
    if pinned:
        return ReferenceDate(max(pinned), "none", "time:latest_date_in_text")
    return ReferenceDate(stand_in, "none", "time:no_reference")


def date_is_known(reason: str, ref: ReferenceDate) -> bool:
    """Whether a date found by ``reason`` holds up given what is known of the report's own date."""
    if ref.known == "day":
        return True
    if ref.known == "month":
        return True          # the month is known: relative dates stay, at month precision
    if ref.reason == "time:latest_date_in_text":
        # the latest full date an undated report gives stands for its day ("a video shared on
        # March 13, 2022" ... "on Sunday"): relative dates resolve against it, at lower precision
        return True
    return reason in ABSOLUTE_REASONS
