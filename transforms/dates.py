"""When an event happened: date words resolved against the publication date.

News writes relative dates ("on Sunday", "yesterday", "last night") and partial
ones ("Dec. 1", "1 December").  :func:`resolve_date` turns such a cue into a
calendar date using the article's publication date, and returns ``None`` when
the cue gives no day ("last week", "recently"): an unknown date is better
than the publication date passed off as the event's.

Weekdays refer to the most recent such day on or before publication (AP
style: a weekday names a day within the past week), or the next one when the
verb is in the future ("will meet on Sunday").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

__all__ = ["WEEKDAYS", "has_date_word", "is_background_time", "resolve_date"]

WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
RELATIVE_DAYS = {
    "yesterday": -1,
    "today": 0,
    "tonight": 0,
    "tomorrow": 1,
    "last night": -1,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "earlier today": 0,
    "overnight": 0,
    "the day before yesterday": -2,
}
NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "a": 1,
    "an": 1,
}

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?\b(?:,?\s+(\d{{4}}))?"
)
_WEEKDAY_RE = re.compile(rf"\b(?:(last|this|next|on|past)\s+)?({_WEEKDAY})\b")
_DAYS_AGO = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|a|an)\s+days?\s+ago\b")
#: relative past: "years ago", "a decade ago", "last century", "previously"
_BACKGROUND = re.compile(
    r"\b(?:\d+|several|many|a few|few|two|three|four|five|six|seven|eight|nine|ten|"
    r"a|an|some|decades?|centuries)\s*(?:years?|decades?|centuries|century|months)\s+ago\b|"
    r"\b(?:years|decades|months|centuries)\s+ago\b|\blast\s+(?:year|decade|century)\b|"
    r"\bin\s+the\s+past\b|\bpreviously\b|\bformerly\b|\bonce\b(?!\s+again)"
)
_DAY_OF_MONTH = r"\d{1,2}(?:st|nd|rd|th)?"
#: a year introduced as a time: "in 1999", "during the 2003 invasion", "in March 2019",
#: "on March 3, 2019", "in the summer of 2015", "since 2011"; not a quantity ("by 2000 votes")
_YEAR_TIME = re.compile(
    r"\b(?:in|on|during|since|by|until|till|before|after|from|of|between)\s+(?:the\s+)?"
    r"(?:(?:early|late|mid|end|beginning|start|spring|summer|autumn|fall|winter)\s*-?\s*"
    r"(?:of\s+)?)?"
    rf"(?:(?:{_MONTH})\.?\s+(?:{_DAY_OF_MONTH}\s*,?\s+)?|{_DAY_OF_MONTH}\s+(?:of\s+)?"
    rf"(?:{_MONTH})\.?\s*,?\s+)?"
    r"((?:1[89]|20)\d\d)(?![\d'’]|s\b|\s+[a-z]+s\b)"
)
#: a decade: "the 1990s", "the early 2000s", "the '80s"
_DECADE = re.compile(r"\b((?:1[89]|20)\d)0['’]?s\b|['’](\d)0s\b")
_DATE_WORD = re.compile(
    rf"\b(?:{_WEEKDAY}|{_MONTH}|yesterday|today|tonight|tomorrow|last night|this morning|"
    r"this afternoon|this evening|overnight|ago|years?|decades?|century|centuries)\b|"
    r"\b\d{4}-\d{2}-\d{2}\b|\b(?:1[89]|20)\d\d(?:['’]?s)?\b|['’]\d0s\b",
    re.IGNORECASE,
)


def has_date_word(text: str) -> bool:
    return bool(_DATE_WORD.search(text))


def _as_date(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    return value


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, published: date) -> date | None:
    """The reading of a yearless date closest to publication, preferring the past."""
    options = [_safe(published.year + k, month, day) for k in (-1, 0, 1)]
    valid = [d for d in options if d is not None]
    if not valid:
        return None
    return min(valid, key=lambda d: abs((d - published).days) + (30 if d > published else 0))


def resolve_date(
    cue: str, published: date | datetime | None, *, future: bool = False
) -> date | None:
    """The calendar day ``cue`` names, or ``None`` when it names none."""
    text = cue.lower().replace("’", "'")
    pub = _as_date(published)

    match = _ISO.search(text)
    if match:
        return _safe(int(match[1]), int(match[2]), int(match[3]))
    match = _MONTH_DAY.search(text)
    if match:
        month, day = MONTHS[match[1]], int(match[2])
        if match[3]:
            return _safe(int(match[3]), month, day)
        return _nearest_year(month, day, pub) if pub else None
    match = _DAY_MONTH.search(text)
    if match:
        day, month = int(match[1]), MONTHS[match[2]]
        if match[3]:
            return _safe(int(match[3]), month, day)
        return _nearest_year(month, day, pub) if pub else None
    if pub is None:
        return None
    for phrase in sorted(RELATIVE_DAYS, key=len, reverse=True):
        if re.search(rf"\b{phrase}\b", text):
            return pub + timedelta(days=RELATIVE_DAYS[phrase])
    match = _DAYS_AGO.search(text)
    if match:
        count = int(match[1]) if match[1].isdigit() else NUMBERS[match[1]]
        return pub - timedelta(days=count)
    match = _WEEKDAY_RE.search(text)
    if match:
        qualifier, weekday = match[1], WEEKDAYS[match[2]]
        delta = (pub.weekday() - weekday) % 7
        if qualifier == "next" or (future and qualifier != "last"):
            ahead = (weekday - pub.weekday()) % 7
            if qualifier == "next" and ahead == 0:
                ahead = 7
            return pub + timedelta(days=ahead)
        if qualifier == "last" and delta == 0:
            delta = 7
        return pub - timedelta(days=delta)
    return None


def is_background_time(cue: str, published: date | datetime | None) -> bool:
    """Does the time expression put the event in the past?

    History is a relative past ("years ago", "a decade ago", "last century",
    "previously"), a year before the year of publication ("in 1999", "during
    the 2003 invasion", "in March 2019"; not a date of the last weeks across
    New Year) or a decade that ended before it ("in the 2000s").  Without a
    publication date only the relative past can be judged.
    """
    text = cue.lower().replace("’", "'")
    if _BACKGROUND.search(text):
        return True
    pub = _as_date(published)
    if pub is None:
        return False
    for match in _DECADE.finditer(text):
        if match[1]:
            start = int(match[1]) * 10
        else:
            start = 2000 + int(match[2]) * 10
            if start > pub.year:
                start -= 100
        if start + 9 < pub.year:
            return True
    for match in _YEAR_TIME.finditer(text):
        if int(match[1]) >= pub.year:
            continue
        day = resolve_date(match.group(0), pub)
        if day is not None and 0 <= (pub - day).days <= 45:
            continue  # "on Dec. 30, 2024" in an article of Jan. 2, 2025: news, not history
        return True
    return False
