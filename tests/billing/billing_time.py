"""The test clock of the billing tests, and sizes."""

from datetime import datetime, timezone

import time_machine

GB = 10**9


def on(day, month=11, year=2026, hour=12):
    """The clock at noon (UTC) of DAY, for `with on(5): …`."""
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=timezone.utc), tick=True)
