# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The equipment integrity rate 设施设备完好率 (SOP 004 第三章: 99 %), as plain
values in and out, no database.

Over a period (a month of the property's clock), each piece of equipment in use
counts the time it was in use; it is out of service while a corrective
maintenance request marked as stopping it is open (from the fault to its return
to service). The rate is the equipment time in service over the equipment time
in use, as every other rate (pm_base ``rates.rate``): "—" when the property had
no equipment in use. ``pm.equipment.integrity`` computes the same in one SQL
query; the tests hold both to these functions.
"""

from odoo.addons.pm_base.tools import rates


def span(start, stop, in_use_from=None, in_use_until=None):
    """``(from, until)`` of the period ``[start, stop)`` during which a piece of
    equipment was in use (put in service ``in_use_from``, scrapped
    ``in_use_until``, both optional); ``None`` when it was not in use then."""
    begin = max(start, in_use_from) if in_use_from else start
    end = min(stop, in_use_until) if in_use_until else stop
    return (begin, end) if end > begin else None


def downtime_seconds(intervals, start, stop):
    """Seconds of ``[start, stop)`` covered by the ``(from, until)`` intervals
    of one piece of equipment's stops (``until`` ``None``: still stopped at
    ``stop``); overlapping stops count once."""
    clipped = sorted(
        (max(begin, start), min(end or stop, stop))
        for begin, end in intervals
        if begin < stop and (end is None or end > start)
    )
    total, current = 0, None
    for begin, end in clipped:
        if current and begin <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += (current[1] - current[0]).total_seconds()
        current = (begin, end)
    if current:
        total += (current[1] - current[0]).total_seconds()
    return int(total)


def integrity(equipment, start, stop):
    """``(seconds in service, seconds in use)`` of the equipment over
    ``[start, stop)``: ``equipment`` is ``[(in_use_from, in_use_until,
    [(stop_from, stop_until)])]``."""
    in_service = in_use = 0
    for in_use_from, in_use_until, stops in equipment:
        used = span(start, stop, in_use_from, in_use_until)
        if not used:
            continue
        seconds = int((used[1] - used[0]).total_seconds())
        in_use += seconds
        in_service += seconds - downtime_seconds(stops, *used)
    return in_service, in_use


def integrity_rate(in_service, in_use):
    """The rate in percent, ``None`` ("—") without equipment in use."""
    return rates.rate(in_service, in_use)
