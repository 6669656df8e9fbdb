"""Publication dates: record fields, first-line headers, feed dates and datelines."""
from __future__ import annotations

import datetime as dt
import email.utils
import re

MONTHS: dict[str, int] = {}
for _i, _names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
        ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
        ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
        ("december", "dec")), start=1):
    for _n in _names:
        MONTHS[_n] = _i

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"

# The date forms a dateline may take (each one complete with a year).
_DATE_FORMS = (
    rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",                    # 1 March 2022
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",                    # March 1, 2022 / Jan 2, 2023
    r"(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)",    # 2022-03-01
    r"(?P<ed>\d{1,2})[-.](?P<em>\d{1,2})[-.](?P<ey>(?:19|20)\d\d)",  # 13-03-2022, 13.03.2022 (day first)
)
# Rename groups per alternative so one compiled pattern can hold them all.
_parts = []
for _k, _f in enumerate(_DATE_FORMS):
    _parts.append("(?:" + re.sub(r"\(\?P<(\w+)>", lambda m, k=_k: f"(?P<{m.group(1)}{k}>", _f) + ")")
_DATE_RE = "(?:" + "|".join(_parts) + ")"

# A dateline: at the start of a paragraph, optionally "Published:"/"Updated:", a weekday,
# or a place (with an optional agency in brackets) and a comma; then the date; then the
# end of the line, a dash, a comma, a bar or a clock time.
_DATELINE = re.compile(
    r"(?:^|\n)[ \t]*"
    r"(?:(?:Published|Updated|Posted|Date|Dated)(?:\s+on)?:?\s+)?"
    r"(?:" + _WEEKDAY + r",?\s+)?"
    r"(?:[A-Z][A-Za-z'’.\- ]{1,40}?(?:\s*\([A-Za-z .]{1,30}\))?,\s+(?:" + _WEEKDAY + r",?\s+)?)?"
    + _DATE_RE +
    r"(?=[ \t]*(?:$|\n|[—–\-|,:]|\d{1,2}[:.]\d\d))",
    re.IGNORECASE,
)


def _from_match(m: re.Match[str]) -> dt.date | None:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    try:
        for k in range(len(_DATE_FORMS)):
            if f"year{k}" in g:
                return dt.date(int(g[f"year{k}"]), MONTHS[g[f"month{k}"].lower().rstrip(".")], int(g[f"day{k}"]))
            if f"iy{k}" in g:
                return dt.date(int(g[f"iy{k}"]), int(g[f"im{k}"]), int(g[f"id{k}"]))
            if f"ey{k}" in g:
                return dt.date(int(g[f"ey{k}"]), int(g[f"em{k}"]), int(g[f"ed{k}"]))
    except (ValueError, KeyError):
        return None
    return None


def _plausible(d: dt.date) -> bool:
    return dt.date(1900, 1, 1) <= d <= dt.date.today() + dt.timedelta(days=2)


def find_dateline(text: str, window: int = 300) -> tuple[dt.date, int, int] | None:
    """A publication dateline in the first ``window`` characters, as (date, start, end).

    Only dates that stand at the start of a paragraph count ("Tuesday, 1 March 2022,
    07:44", "Published: Friday, 15 July 2022", "Kyiv, 17 November 2023 —",
    "Kyiv (Reuters), 13-03-2022", "March 23, 2023"); a date inside a sentence ("struck
    on December 29, 2023") is an event date, not the publication date, and is ignored.
    Datelines without a year ("KYIV, March 3 (Reuters)") are ignored too.
    """
    head = text[:window]
    for m in _DATELINE.finditer(head):
        d = _from_match(m)
        if d is not None and _plausible(d):
            return d, m.start(), m.end()
    return None


_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_ISO_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_SLASH_DAY = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})\s*$")


def parse_date_value(value: object) -> tuple[dt.date | None, str]:
    """Parse a date field: returns (date, reason) or (None, "") when unparseable.

    Accepts datetime/date objects, YYYY-MM-DD, YYYY-MM (first of the month, reason
    "date:month_only"), YYYY/MM/DD, ISO datetimes ("2022-03-01T07:44:00Z"), RFC 2822
    ("Tue, 01 Mar 2022 07:44:00 GMT") and written dates ("1 March 2022", "March 1, 2022").
    Time zones are not converted: the date is the one written.
    """
    if isinstance(value, dt.datetime):
        return value.date(), "date:field"
    if isinstance(value, dt.date):
        return value, "date:field"
    if not isinstance(value, str) or not value.strip():
        return None, ""
    s = value.strip()
    try:
        if m := _ISO_DAY.match(s) or _SLASH_DAY.match(s):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "date:field"
        if m := _ISO_MONTH.match(s):
            return dt.date(int(m.group(1)), int(m.group(2)), 1), "date:month_only"
    except ValueError:
        return None, ""
    try:
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date(), "date:field"
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(s)
        if parsed is not None:
            return parsed.date(), "date:field"
    except (TypeError, ValueError, IndexError):
        pass
    m = re.fullmatch(r"\s*(?:" + _WEEKDAY + r",?\s+)?" + _DATE_RE + r"(?:[ ,T].*)?", s, re.IGNORECASE)
    if m:
        d = _from_match(m)
        if d is not None:
            return d, "date:field"
    return None, ""
