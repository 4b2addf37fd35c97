# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Supervisors' sample calls (抽样回访, seed 004 §5 f; seed 002 §二.3; seed 000
§三.14(2)): which month is sampled, how many cases of an agent, which ones.
Plain values in, plain values out, no database."""

import random

from dateutil.relativedelta import relativedelta

from .quality_rules import month_start


def sampled_month(today):
    """The month the sample of ``today`` (a date at the property) is drawn
    from: the previous month, whole."""
    return month_start(today) - relativedelta(months=1)


def report_sample_month(report_month):
    """The sample shown in the analysis of ``report_month``: the one drawn that
    month, of the cases closed the month before."""
    return sampled_month(report_month)


def still_to_draw(size, drawn):
    """How many cases of an agent are still to draw when ``drawn`` of the
    ``size`` per month are: never fewer than none."""
    return max(size - drawn, 0)


def pick(candidate_ids, count, seed):
    """``count`` ids of ``candidate_ids`` chosen at random, the same ones for
    the same candidates and ``seed`` whatever their order (a rerun draws the
    same cases), in ascending order; all of them when there are fewer."""
    candidates = sorted(set(candidate_ids))
    if count <= 0:
        return []
    if count >= len(candidates):
        return candidates
    return sorted(random.Random(seed).sample(candidates, count))


def seed(property_id, agent_id, month):
    """The seed of an agent's draw of a month at a property (a string: Python
    seeds strings the same way in every run)."""
    return f"pm-sample-{property_id}-{agent_id}-{month:%Y-%m}"
