"""The document date gives the same zip timestamps in every time zone (the build is reproducible)."""

from __future__ import annotations

import calendar
import os
import time
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdptm.base.output import DEFAULT_EPOCH, source_date_epoch

# Zones with daylight saving time on the dates below (America/Adak, Europe/Berlin, Australia/Lord_Howe with
# its half hour), far from UTC both ways, and with no DST at all.
ZONES = ["UTC", "America/Adak", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Kiritimati", "Asia/Kathmandu"]


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    if not os.path.exists("/usr/share/zoneinfo/America/Adak"):
        pytest.skip("no tz database")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_summer_date_is_midnight_utc_in_every_zone(zone) -> None:  # type: ignore[no-untyped-def]
    # 2026-03-30: daylight saving time in America/Adak and Europe/Berlin; it gave 2026-03-29T23:00Z there
    want = calendar.timegm((2026, 3, 30, 0, 0, 0))
    for name in ZONES:
        zone(name)
        assert source_date_epoch("2026-03-30") == want, name


@settings(max_examples=60, deadline=None)
@given(d=st.dates(min_value=date(1980, 1, 2), max_value=date(2100, 12, 31)), index=st.integers(0, len(ZONES) - 1))
def test_any_date_any_zone(d: date, index: int) -> None:
    if not os.path.exists("/usr/share/zoneinfo/America/Adak"):
        pytest.skip("no tz database")
    if "SOURCE_DATE_EPOCH" in os.environ:
        pytest.skip("SOURCE_DATE_EPOCH set for this run")
    old = os.environ.get("TZ")
    try:
        os.environ["TZ"] = ZONES[index]
        time.tzset()
        got = source_date_epoch(d.isoformat())
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()
    assert got == max(calendar.timegm(d.timetuple()), DEFAULT_EPOCH)
    assert time.gmtime(got)[:3] == (d.year, d.month, d.day)
