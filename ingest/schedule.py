"""When to poll a feed next.

Polite and cheap polling, in the order the rules apply:

1. **Base**: the catalogue's ``poll_interval_s``.
2. **What the publisher asks** (``<ttl>``, ``sy:updatePeriod``/``sy:updateFrequency``,
   HTTP ``Cache-Control: max-age``): never poll faster than that.  A hint is
   honoured up to ``max_hint_s`` seconds (default one day), so a feed
   that says "ttl 100 years" is still looked at daily.
3. **Quiet feeds**: after every ``idle_step`` polls in a row with
   nothing new (default 4), the interval doubles, up to
   ``max_idle_interval_s`` (default 6 h; never below the hint or base).
4. **Failures**: exponential back-off, ``base * 2**(failures-1)``, capped at
   ``max_backoff_s`` (default one day).  ``Retry-After`` (429/503)
   is a floor, capped at the same maximum.
5. **Jitter**: when a ``jitter_key`` (the feed URL) is given, up to +10 % is
   added, derived from a hash of the key and the failure count.  It is
   deterministic (the same feed in the same state gets the same time: tests
   and replays agree) and only ever *adds* time, so rule 2 still holds, while
   feeds added together drift apart instead of being fetched in one burst.
6. **Floor**: never sooner than ``min_interval_s`` (default 60 s).

``consecutive_failures`` and ``unchanged_streak`` are the values *after* the
fetch being recorded (``record_feed_fetch`` computes them first).  The limits
are :class:`ScheduleSettings` (the application builds them from its feed
scheduling variables, see ``newsflow.settings.ingest``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from ingest.records import Outcome

__all__ = ["SUCCESS_OUTCOMES", "ScheduleSettings", "cache_max_age_s", "is_success", "next_due"]

#: Outcomes after which a feed is healthy; every other outcome is a failure.
SUCCESS_OUTCOMES = frozenset({Outcome.OK, Outcome.NOT_MODIFIED})


def is_success(outcome: Outcome | str) -> bool:
    return Outcome(outcome) in SUCCESS_OUTCOMES


@dataclass(frozen=True)
class ScheduleSettings:
    min_interval_s: int = 60
    max_hint_s: int = 86_400
    max_backoff_s: int = 86_400
    max_idle_interval_s: int = 6 * 3600
    idle_step: int = 4
    jitter_fraction: float = 0.10


def _jitter(key: str, salt: int, fraction: float) -> float:
    digest = hashlib.sha256(f"{key}\0{salt}".encode()).digest()
    return fraction * int.from_bytes(digest[:8], "big") / 2**64


def _positive(value: float | int | None) -> float | None:
    return float(value) if value is not None and value > 0 else None


def next_due(
    *,
    now: datetime,
    poll_interval_s: int,
    ttl_s: int | None = None,
    cache_max_age_s: int | None = None,
    retry_after_s: float | None = None,
    consecutive_failures: int = 0,
    unchanged_streak: int = 0,
    outcome: Outcome | str,
    jitter_key: str | None = None,
    settings: ScheduleSettings | None = None,
) -> datetime:
    """The time of the next poll (see the module docstring for the rules)."""
    cfg = settings or ScheduleSettings()
    base = max(float(poll_interval_s), float(cfg.min_interval_s))
    outcome = Outcome(outcome)

    hints = [h for h in (_positive(ttl_s), _positive(cache_max_age_s)) if h]
    hinted = max([base, *(min(h, cfg.max_hint_s) for h in hints)])

    if outcome is Outcome.GONE:
        interval = float(cfg.max_backoff_s)  # the feed is disabled; this is a formality
    elif outcome in SUCCESS_OUTCOMES:
        interval = hinted
        doublings = max(0, unchanged_streak) // cfg.idle_step
        if doublings:
            idle = min(hinted * 2 ** min(doublings, 30), float(cfg.max_idle_interval_s))
            interval = max(hinted, idle)
    else:
        failures = max(1, consecutive_failures)
        backoff = base * 2 ** min(failures - 1, 30)
        interval = max(hinted, min(backoff, float(cfg.max_backoff_s)))

    retry = _positive(retry_after_s)
    if retry:
        interval = max(interval, min(retry, float(cfg.max_backoff_s)))

    if jitter_key:
        interval *= 1 + _jitter(jitter_key, consecutive_failures, cfg.jitter_fraction)
    interval = max(interval, float(cfg.min_interval_s))
    return now + timedelta(seconds=round(interval))


def cache_max_age_s(headers: dict[str, str] | None) -> int | None:
    """``Cache-Control: max-age`` (or ``s-maxage``) in seconds, None when absent.

    ``no-cache``/``no-store`` say nothing about polling frequency and are ignored.
    """
    if not headers:
        return None
    value = headers.get("cache-control") or ""
    best: int | None = None
    for part in value.split(","):
        name, _, arg = part.strip().partition("=")
        if name.strip().lower() in {"max-age", "s-maxage"}:
            arg = arg.strip().strip('"')
            if arg.isdigit():
                best = max(best or 0, int(arg))
    return best or None
