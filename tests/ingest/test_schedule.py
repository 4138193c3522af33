"""next_due: publisher hints, back-off, quiet feeds, Retry-After, jitter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ingest.records import Outcome
from ingest.schedule import ScheduleSettings, cache_max_age_s, next_due

NOW = datetime(2024, 12, 3, 12, 0, tzinfo=UTC)
CFG = ScheduleSettings()


def wait(**kwargs: object) -> float:
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("poll_interval_s", 900)
    kwargs.setdefault("outcome", Outcome.OK)
    kwargs.setdefault("settings", CFG)
    return (next_due(**kwargs) - NOW).total_seconds()  # type: ignore[arg-type]


def test_base_interval() -> None:
    assert wait() == 900
    assert wait(outcome=Outcome.NOT_MODIFIED) == 900


def test_never_faster_than_the_publisher_asks_within_bounds() -> None:
    assert wait(ttl_s=3600) == 3600
    assert wait(cache_max_age_s=1800) == 1800
    assert wait(ttl_s=600, cache_max_age_s=300) == 900  # hints shorter than the base: base
    assert wait(ttl_s=100 * 365 * 86400) == CFG.max_hint_s  # absurd hints are capped


def test_failures_back_off_exponentially_with_a_cap() -> None:
    waits = [wait(outcome=Outcome.TIMEOUT, consecutive_failures=n) for n in range(1, 12)]
    assert waits[:4] == [900, 1800, 3600, 7200]
    assert waits == sorted(waits)
    assert waits[-1] == CFG.max_backoff_s
    for outcome in (Outcome.NOT_FOUND, Outcome.NOT_A_FEED, Outcome.FEED_REFUSED):
        assert wait(outcome=outcome, consecutive_failures=3) == 3600


def test_failure_back_off_keeps_the_hint() -> None:
    assert wait(outcome=Outcome.SERVER_ERROR, consecutive_failures=1, ttl_s=7200) == 7200


def test_retry_after_is_a_floor() -> None:
    assert wait(outcome=Outcome.RATE_LIMITED, consecutive_failures=1, retry_after_s=5000) == 5000
    assert wait(outcome=Outcome.RATE_LIMITED, consecutive_failures=1, retry_after_s=10) == 900
    assert wait(outcome=Outcome.RATE_LIMITED, retry_after_s=10**9) == CFG.max_backoff_s


def test_quiet_feeds_slow_down_up_to_a_cap() -> None:
    waits = [wait(unchanged_streak=n) for n in range(0, 40, 4)]
    assert waits[0] == 900 and waits[1] == 1800 and waits[2] == 3600
    assert max(waits) == CFG.max_idle_interval_s
    assert waits == sorted(waits)
    # a feed whose own hint is longer than the idle cap keeps its hint
    assert wait(unchanged_streak=40, ttl_s=12 * 3600) == 12 * 3600


def test_jitter_is_deterministic_bounded_and_spreads_feeds() -> None:
    a = wait(jitter_key="https://a.example.com/rss")
    assert a == wait(jitter_key="https://a.example.com/rss")
    assert 900 <= a <= 990
    spread = {wait(jitter_key=f"https://{i}.example.com/rss") for i in range(20)}
    assert len(spread) > 10


def test_floor_and_gone() -> None:
    assert wait(poll_interval_s=1) == CFG.min_interval_s
    assert wait(outcome=Outcome.GONE) == CFG.max_backoff_s


def test_settings_from_the_application_environment() -> None:
    from newsflow.settings.env import Env
    from newsflow.settings.ingest import schedule_settings

    cfg = schedule_settings(Env({"NEWSFLOW_FEED_MAX_BACKOFF": "3600"}))
    assert cfg.max_backoff_s == 3600
    due = next_due(
        now=NOW, poll_interval_s=900, outcome="timeout", consecutive_failures=10, settings=cfg
    )
    assert due == NOW + timedelta(hours=1)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("max-age=600", 600),
        ("public, max-age=300, s-maxage=900", 900),
        ('max-age="120"', 120),
        ("no-cache", None),
        ("max-age=0", None),
        ("max-age=soon", None),
    ],
)
def test_cache_max_age(value: str, seconds: int | None) -> None:
    assert cache_max_age_s({"cache-control": value}) == seconds


def test_cache_max_age_absent() -> None:
    assert cache_max_age_s({}) is None and cache_max_age_s(None) is None
