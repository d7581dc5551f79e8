"""The test clock of the billing tests, and sizes."""

from datetime import datetime, time, timedelta, timezone

import time_machine

GB = 10**9


def on(day, month=11, year=2026, hour=12):
    """The clock at noon (UTC) of DAY, for `with on(5): …`."""
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=timezone.utc), tick=True)


def today():
    """The real UTC day (uploads and libraries are made at the real time: S3 refuses
    requests signed at another)."""
    return datetime.now(timezone.utc).date()


def day(n):
    """The ISO date N days after today."""
    return (today() + timedelta(days=n)).isoformat()


def after_midnight(days, minute=10):
    """A moment DAYS after today at 00:MINUTE (UTC, naive ISO): when the daily tasks run."""
    return datetime.combine(today() + timedelta(days=days), time(0, minute)).isoformat()


def month_end():
    """The last day of this month, and the days from it to today."""
    following = (today().replace(day=28) + timedelta(days=4)).replace(day=1)
    last = following - timedelta(days=1)
    return last, (last - today()).days


def at(moment):
    """The clock at MOMENT (naive ISO UTC), for `with at(...): …`."""
    return time_machine.travel(datetime.fromisoformat(moment).replace(tzinfo=timezone.utc),
                               tick=True)
