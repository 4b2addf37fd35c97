# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of the patrols (巡检 / 巡更) as pure functions: plain values in,
plain values out, table-tested (tests/test_patrol_rules.py).

- a route's schedule is a list of times of day on the property's clock
  ("09:00, 21:00");
- a round runs from its scheduled start for the route's window;
- a checkpoint is 到位 (reached) when it is scanned within its round's window;
- a round is late when it starts after its scheduled start plus the allowed
  lateness, or never starts;
- 巡逻到位率 = checkpoints reached / checkpoints planned ("—" when none planned).
"""

import re
from datetime import time, timedelta

from odoo.addons.pm_base.tools import clock, rates

TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def parse_schedule(text):
    """The times of day written in ``text`` ("09:00, 21:00"; commas, Chinese
    commas, semicolons or spaces between them), sorted, without duplicates.

    :raise ValueError: a part is not a time of day HH:MM
    """
    parts = [part for part in re.split(r"[,，;；\s]+", text or "") if part]
    times = set()
    for part in parts:
        match = TIME_RE.match(part)
        if not match:
            raise ValueError(part)
        times.add(time(int(match.group(1)), int(match.group(2))))
    return sorted(times)


def format_schedule(times):
    """The schedule as people write it: "09:00, 21:00"."""
    return ", ".join(moment.strftime("%H:%M") for moment in times)


def round_starts(day, times, tz_name):
    """The stored (naive UTC) start of each round of ``day`` on the property's
    clock ``tz_name``, one per time of the schedule."""
    return [clock.to_utc(day, tz_name, moment) for moment in times]


def window_end(start, window_minutes):
    """When a round started (scheduled) at ``start`` ends."""
    return start + timedelta(minutes=window_minutes)


def still_to_walk(starts, window_minutes, now):
    """The starts of ``starts`` whose round is not over at ``now``: a route set
    up in the afternoon gets no round of the morning, missed before it
    existed."""
    return [start for start in starts if window_end(start, window_minutes) > now]


def is_reached(visit_time, start, end):
    """到位: the checkpoint was scanned within its round's window (both limits
    included)."""
    return bool(visit_time) and start <= visit_time <= end


def is_late(started, scheduled, lateness_minutes):
    """A round is late when it started after its scheduled time plus the allowed
    lateness; a round that never started is late too."""
    if not started:
        return True
    return started > scheduled + timedelta(minutes=lateness_minutes)


def needs_escalation(late, missed):
    """A closed round escalates when it was late or missed checkpoints."""
    return bool(late or missed)


def attendance_rate(reached, planned):
    """巡逻到位率 in percent, ``None`` (shown "—") when nothing was planned."""
    return rates.rate(reached, planned)


def format_attendance(reached, planned):
    """The rate as people read it: "75.00 %" or "—"."""
    return rates.format_rate(attendance_rate(reached, planned), "%")
