# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The figures of the monthly service-quality analysis (R-QA-1): counts, rates,
breakdowns, recurring complaints, rectifications and director visits of a
property's month, in a handful of grouped queries."""

import heapq
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.pm_base.tools import clock, rates, settings
from odoo.addons.pm_base.tools.escalation import LEVEL_RESPONSIBLE
from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import quality_rules, sample_rules, target_rules, visit_rules
from .pm_case_short_clocks import short_clock_terms
from .target_rules import KPI_PARTS, KPIS, SHORT_CLOCKS, TERM_COUNTS

# the recurring-complaints section lists this many (unit, type) pairs, then a total
RECURRING_LIMIT_PARAM = "pm_customer_service.quality_report_recurring_limit"
# the records whose overdue steps count in the visit figures (R-CLOCK-1)
OVERDUE_MODELS = ("pm.visit", "pm.visit.issue", "pm.return.visit")
# the columns _counts_sql groups by, before its counts
GROUPS = 6
# the key of the line counting a person's cases in the per-person section
PERSON_CASES = "cases"
# the rates of the seeds' further targets in the rates section, as (numerator,
# denominator) terms of _case_figures, in the KPI board's order; first-time pass
# counts the cases closed without a second round, of those closed
TARGET_RATES = {
    "first_pass": ("passed", "closed"),
    **{kpi: KPI_PARTS[kpi] for kpi in KPIS[KPIS.index("complaint_handling") :]},
}
# the terms the analysis takes from pm.case._pm_target_terms_sql
TERM_KEYS = ("passed", *TERM_COUNTS)
# the rate lines judged against a KPI target: the line's key is the KPI's code
JUDGED_RATES = ("timeliness", "return_visit", "satisfaction", "first_reply")
# the rates of each person, as (numerator, denominator) terms of _case_figures
PERSON_RATES = {
    "timeliness": ("on_time", "resolved"),
    "closure": ("closed", "measured"),
    "return_visit": ("visited", "resolved"),
    "satisfaction": ("satisfied", "rated"),
    "first_reply": ("replied", "reply_needed"),
}
# the key of the line counting a person's cases their supervisor sampled, and of
# the owners' satisfaction on those calls (seed 004 §5 f)
PERSON_SAMPLED = "sampled"
PERSON_SAMPLE_SATISFACTION = "sample_satisfaction"


class PmQualityReportFigures(models.AbstractModel):
    """The figures of ``pm.quality.report`` (which inherits this)."""

    _name = "pm.quality.report.figures"
    _description = "Service Quality Analysis Figures"

    # ------------------------------------------------------------
    # FIGURES (R-QA-1)
    # ------------------------------------------------------------

    def _utc_bounds(self):
        """UTC datetimes of the report month in the property's time zone."""
        self.ensure_one()
        tz = self.property_id.tz
        start, stop = quality_rules.month_bounds(self.month)
        return clock.to_utc(start, tz), clock.to_utc(stop, tz)

    @workflow_action
    def _compute_figures(self):
        Line = self.env["pm.quality.report.line"]
        self.line_ids.unlink()
        vals_list = []
        for report in self:
            lines, totals = report._figure_lines()
            vals_list += [dict(line, report_id=report.id) for line in lines]
            report.write(
                dict(
                    totals,
                    state="done",
                    generated_on=fields.Datetime.now(),
                )
            )
        Line.create(vals_list)

    def _figure_lines(self):
        """``(line values, headline values)`` of one report, in a handful of
        grouped queries whatever the number of cases."""
        self.ensure_one()
        start, stop = self._utc_bounds()
        lines = []
        seq = iter(range(10, 100000, 10))

        def add(section, count, key=False, **values):
            lines.append(
                dict(
                    values,
                    sequence=next(seq),
                    section=section,
                    key=key,
                    count=count,
                )
            )

        def add_rate(section, key, numerator, denominator, **values):
            """A rate line: what meets it, of what was measured (R-RATE-1)."""
            value = rates.rate(numerator, denominator)
            add(
                section,
                denominator,
                key,
                numerator=numerator,
                rate=value or 0.0,
                has_rate=value is not None,
                **values,
            )

        # rates and breakdowns: one pass over the month's cases
        counts, breakdowns, pairs, persons = self._case_figures(start, stop)
        for key, num, den in (
            ("timeliness", counts["on_time"], counts["resolved"]),
            ("closure", counts["closed"], counts["measured"]),
            ("return_visit", counts["visited"], counts["resolved"]),
            ("satisfaction", counts["satisfied"], counts["rated"]),
            ("first_reply", counts["replied"], counts["reply_needed"]),
            # the seeds' further targets, counted as the KPI board counts them
            *(
                (kpi, counts[num], counts[den])
                for kpi, (num, den) in TARGET_RATES.items()
            ),
        ):
            add_rate("rate", key, num, den)
        # R-KPI-1: each rate against the targets active when the analysis is
        # generated, kept with it
        self._judge_rate_lines(lines)
        for section in ("type", "severity", "channel"):
            for value, count in breakdowns[section]:
                add(section, count, value or "none")
        for team_id, count in breakdowns["team"]:
            add("team", count, str(team_id or "none"), team_id=team_id)
        # per person responsible (the monthly appraisal of each agent): their
        # cases, then the ratios of the sums of their rate terms (R-RATE-1),
        # then their supervisor's sample calls of the month
        samples = self._sample_figures()
        for user_id, terms in self._with_sampled_persons(persons, samples):
            add("person", terms["total"], PERSON_CASES, user_id=user_id)
            for key, (num, den) in PERSON_RATES.items():
                add_rate("person", key, terms[num], terms[den], user_id=user_id)
            sampled, rated, satisfied = samples.get(user_id, (0, 0, 0))
            add("person", sampled, PERSON_SAMPLED, user_id=user_id)
            add_rate(
                "person",
                PERSON_SAMPLE_SATISFACTION,
                satisfied,
                rated,
                user_id=user_id,
            )
        # recurring complaints: same unit and type at least twice; the top ones,
        # then what the others add up to (a month of 10,000 cases stays a page)
        top, recurring, recurring_cases = self._recurring(pairs)
        for unit_id, kind, count in top:
            add("recurring", count, kind, unit_id=unit_id, request_type=kind)
        if recurring > len(top):
            add(
                "recurring",
                recurring_cases - sum(count for _u, _k, count in top),
                "others",
                numerator=recurring - len(top),
            )
        # rectifications
        Rect = self.env["pm.rectification"].sudo()
        prop = [("property_id", "=", self.property_id.id)]
        open_count = Rect.search_count(
            [*prop, ("state", "in", ("draft", "in_progress"))]
        )
        overdue_count = Rect.search_count([*prop, ("is_overdue", "=", True)])
        month_start, month_stop = quality_rules.month_bounds(self.month)
        done = dict(
            Rect._read_group(
                [
                    *prop,
                    ("done_date", ">=", month_start),
                    ("done_date", "<", month_stop),
                ],
                ["on_time"],
                ["__count"],
            )
        )
        add("rectification", open_count, "open")
        add("rectification", overdue_count, "overdue")
        add_rate("rectification", "done_on_time", done.get(True, 0), sum(done.values()))
        # repairs: the addons that make them fill the section
        for key, numerator, denominator in self._repair_section(start, stop):
            add_rate("repair", key, numerator, denominator)
        # director's monthly visits (R-RV-3)
        done_visits, quota = self._director_visits(start, stop)
        add("director", done_visits, "done", numerator=quota)
        add("director", visit_rules.quota_shortfall(done_visits, quota), "shortfall")
        # R-CLOCK-1: visits, visit issues and return visits due in the month
        # that went overdue, per person held to them and per team
        by_person, by_team = self._overdue_visits()
        for (model, user_id), count in by_person:
            add("overdue_person", count, model, user_id=user_id)
        for (model, team_id), count in by_team:
            add("overdue_team", count, model, team_id=team_id)
        rate_lines = {line["key"]: line for line in lines if line["section"] == "rate"}
        totals = {
            "case_count": counts["total"],
            "recurring_count": recurring,
            "open_rectification_count": open_count,
            "overdue_rectification_count": overdue_count,
            "timeliness_rate": rate_lines["timeliness"]["rate"],
            "satisfaction_rate": rate_lines["satisfaction"]["rate"],
        }
        return lines, totals

    def _case_figures(self, start, stop):
        """Everything the analysis counts about the month's cases, from one
        GROUP BY (type, severity, channel, team, unit, responsible) summed up
        here: the numerators and denominators of the five rates, the counts by
        type, severity, channel and team, the (unit, type) pairs and the rate
        terms of each person responsible.

        Returns ``(counts, breakdowns, pairs, persons)``: ``counts`` by rate
        term, ``breakdowns`` by section as ``[(value, count)]`` sorted by value,
        ``pairs`` as ``{(unit id, type): count}``, ``persons`` as ``[(user id
        or False, counts by rate term)]``, most cases first."""
        self.env["pm.case"].flush_model()
        self.env.cr.execute(self._counts_sql(self.property_id.id, start, stop))
        keys = (
            "total",
            "resolved",
            "on_time",
            "measured",
            "closed",
            "visited",
            "rated",
            "satisfied",
            "reply_needed",
            "replied",
            *TERM_KEYS,
            *(f"{kpi}_{part}" for kpi in SHORT_CLOCKS for part in ("n", "d")),
        )
        rows = self.env.cr.fetchall()
        # columns, not rows: sums and tallies run over whole columns at C speed
        columns = list(zip(*rows, strict=True)) or [()] * (GROUPS + len(keys))
        totals = [sum(column) for column in columns[GROUPS:]]
        counts = columns[GROUPS]
        by_section = {}
        for section, column in (
            ("type", 0),
            ("severity", 1),
            ("channel", 2),
            ("team", 3),
        ):
            values = by_section[section] = defaultdict(int)
            for value, count in zip(columns[column], counts, strict=True):
                values[value] += count
        pairs = defaultdict(int)
        for unit_id, kind, count in zip(columns[4], columns[0], counts, strict=True):
            if unit_id:
                pairs[unit_id, kind] += count
        breakdowns = {
            section: sorted(
                values.items(), key=lambda item: (item[0] is None, item[0] or 0)
            )
            for section, values in by_section.items()
        }
        by_person = defaultdict(lambda: [0] * len(keys))
        for row in rows:
            terms = by_person[row[5] or False]
            for index, value in enumerate(row[GROUPS:]):
                terms[index] += value
        persons = sorted(
            by_person.items(), key=lambda item: (-item[1][0], not item[0], item[0])
        )
        return (
            dict(zip(keys, totals, strict=True)),
            breakdowns,
            pairs,
            [
                (user_id, dict(zip(keys, terms, strict=True)))
                for user_id, terms in persons
            ],
        )

    @api.model
    def _counts_sql(self, property_id, start, stop):
        """The counts of a month in one pass: cases by type, severity, channel,
        team, unit and responsible (the ``GROUPS`` first columns), with the
        numerators and denominators of the five rates. The rates measure the
        cases the KPI board measures (the valid ones,
        ``pm.case._pm_measured_domain``). scripts/bench_quality.py times the
        same statement bare, as the anchor of the report's figures. The counts
        of the seeds' further targets follow (``TERM_KEYS``)."""
        Case = self.env["pm.case"]
        measured = Case._pm_measured_sql()
        terms = Case._pm_target_terms_sql()
        return SQL(
            """
    SELECT request_type, severity, channel, team_id, unit_id, user_id,
           count(*),
           count(*) FILTER (WHERE %(measured)s AND resolved_date IS NOT NULL),
           count(*) FILTER (WHERE %(measured)s AND resolved_date IS NOT NULL
                            AND is_resolved_on_time),
           count(*) FILTER (WHERE %(measured)s),
           count(*) FILTER (WHERE %(measured)s AND is_closed),
           count(*) FILTER (WHERE %(measured)s AND resolved_date IS NOT NULL
                            AND return_visit_done),
           count(*) FILTER (WHERE %(measured)s AND satisfaction IS NOT NULL),
           count(*) FILTER (WHERE %(measured)s AND satisfaction IS NOT NULL
                            AND is_satisfied),
           count(*) FILTER (WHERE %(measured)s AND first_reply_measured = 1),
           count(*) FILTER (WHERE %(measured)s AND first_reply_measured = 1
                            AND first_reply_rate = 100),
           %(term_counts)s,
           %(short_clocks)s
      FROM pm_case
     WHERE property_id = %(property_id)s
       AND intake_date >= %(start)s AND intake_date < %(stop)s
  GROUP BY request_type, severity, channel, team_id, unit_id, user_id
""",
            measured=measured,
            term_counts=SQL(", ").join(
                SQL("count(*) FILTER (WHERE %s AND %s)", measured, terms[term])
                for term in TERM_KEYS
            ),
            short_clocks=SQL(", ").join(
                term for pair in short_clock_terms(measured).values() for term in pair
            ),
            property_id=property_id,
            start=start,
            stop=stop,
        )

    def _judge_rate_lines(self, lines):
        """Writes into the rate lines of ``lines`` the active targets of their
        KPI and whether the rate meets them (R-KPI-1); a rate with nothing to
        measure, or without a target, has no verdict."""
        targets = self.env["pm.kpi.board"]._pm_targets()
        judged = (*JUDGED_RATES, *TARGET_RATES)
        for line in lines:
            if line["section"] != "rate" or line["key"] not in judged:
                continue
            kpi_targets = targets.get(line["key"], [])
            value = line["rate"] if line["has_rate"] else None
            line["target"] = target_rules.target_label(kpi_targets)
            line["verdict"] = target_rules.verdict(value, kpi_targets) or False

    def _sample_figures(self):
        """``{agent id: (sample calls, answered with a satisfaction, satisfied)}``
        of the supervisors' sample calls the month drew (of the cases closed
        the month before, ``sample_rules.report_sample_month``), in one grouped
        query whatever the number of agents."""
        self.env["pm.return.visit"].flush_model(
            [
                "kind",
                "property_id",
                "sample_month",
                "sampled_user_id",
                "state",
                "satisfaction",
                "is_satisfied",
                "owner_reached",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
    SELECT sampled_user_id,
           count(*),
           count(*) FILTER (WHERE state = 'done' AND owner_reached
                            AND satisfaction IS NOT NULL),
           count(*) FILTER (WHERE state = 'done' AND owner_reached
                            AND satisfaction IS NOT NULL AND is_satisfied)
      FROM pm_return_visit
     WHERE property_id = %(property)s
       AND kind = 'sample'
       AND state != 'cancelled'
       AND sample_month = %(month)s
  GROUP BY sampled_user_id
                """,
                property=self.property_id.id,
                month=sample_rules.report_sample_month(self.month),
            )
        )
        return {
            user_id or False: (count, rated, satisfied)
            for user_id, count, rated, satisfied in self.env.cr.fetchall()
        }

    @staticmethod
    def _with_sampled_persons(persons, samples):
        """``persons`` (as ``_case_figures`` returns them), and after them,
        before nobody, the agents sampled this month who received no case."""
        known = {user_id for user_id, _terms in persons}
        extra = [
            (user_id, defaultdict(int))
            for user_id in sorted(uid for uid in samples if uid and uid not in known)
        ]
        nobody = [item for item in persons if not item[0]]
        return [item for item in persons if item[0]] + extra + nobody

    def _recurring(self, pairs):
        """R-QA-1 recurring complaints: the (unit, type) pairs seen at least twice,
        the ``limit`` most frequent first.

        Returns ``(top [(unit id, type, count)], pairs, cases)``."""
        limit = settings.get(self.env, RECURRING_LIMIT_PARAM)
        recurring = {
            key: count
            for key, count in pairs.items()
            if count >= quality_rules.RECURRING_THRESHOLD
        }
        top = heapq.nsmallest(
            max(limit, 1), recurring.items(), key=lambda item: (-item[1], item[0])
        )
        return (
            [(unit_id, kind, count) for (unit_id, kind), count in top],
            len(recurring),
            sum(recurring.values()),
        )

    def _overdue_visits(self):
        """``(by person, by team)``, each ``[((model, id), count)]``: the
        visits, visit issues and return visits of the property due in the
        report's month that went overdue (their first escalation level was
        reached), by the person held to them (notified at that level) and by
        the team accountable: the team an issue was passed to, else the
        customer-service team of the property. One grouped query over the
        escalation log."""
        for model in ("pm.escalation.log", "pm.visit", "pm.return.visit"):
            self.env[model].flush_model()
        self.env["pm.visit.issue"].flush_model(["team_id", "visit_date"])
        self.env["pm.property"].flush_model(["team_id"])
        month_start, month_stop = quality_rules.month_bounds(self.month)
        issue_days = settings.get(self.env, "pm_customer_service.visit_issue_days")
        query = SQL(
            """
    SELECT log.res_model, log.user_id, COALESCE(issue.team_id, prop.team_id),
           COUNT(*)
      FROM pm_escalation_log log
      JOIN pm_property prop ON prop.id = log.property_id
 LEFT JOIN pm_visit visit
        ON log.res_model = 'pm.visit' AND visit.id = log.res_id
 LEFT JOIN pm_return_visit return_visit
        ON log.res_model = 'pm.return.visit' AND return_visit.id = log.res_id
 LEFT JOIN pm_visit_issue issue
        ON log.res_model = 'pm.visit.issue' AND issue.id = log.res_id
     WHERE log.property_id = %(property)s
       AND log.level = %(level)s
       AND log.res_model IN %(models)s
       AND COALESCE(visit.due_date, return_visit.due_date,
                    issue.visit_date + %(issue_days)s) >= %(start)s
       AND COALESCE(visit.due_date, return_visit.due_date,
                    issue.visit_date + %(issue_days)s) < %(stop)s
  GROUP BY 1, 2, 3
            """,
            property=self.property_id.id,
            level=LEVEL_RESPONSIBLE,
            models=OVERDUE_MODELS,
            issue_days=issue_days,
            start=month_start,
            stop=month_stop,
        )
        self.env.cr.execute(query)
        by_person = defaultdict(int)
        by_team = defaultdict(int)
        for model, user_id, team_id, count in self.env.cr.fetchall():
            by_person[(model, user_id or False)] += count
            by_team[(model, team_id or False)] += count
        order = {model: index for index, model in enumerate(OVERDUE_MODELS)}

        def ranked(counts):
            # per kind of record, the most overdue first
            return sorted(counts.items(), key=lambda i: (order[i[0][0]], -i[1]))

        return ranked(by_person), ranked(by_team)

    def _repair_section(self, start, stop):
        """The repairs section of the analysis (R-REP-6): ``[(key, meeting,
        measured)]`` of each repair KPI over the orders received between
        ``start`` and ``stop``. None here: the repair addon fills it."""
        return []

    def _director_visits(self, start, stop):
        director = self.property_id.director_id
        quota = settings.get(self.env, "pm_customer_service.director_monthly_visits")
        if not director:
            return 0, quota
        prop = [
            ("property_id", "=", self.property_id.id),
            ("visitor_id", "=", director.id),
        ]
        visits = (
            self.env["pm.visit"]
            .sudo()
            .search_count(
                [
                    *prop,
                    ("state", "in", ("done", "signed")),
                    ("visit_date", ">=", start),
                    ("visit_date", "<", stop),
                ]
            )
        )
        return_visits = (
            self.env["pm.return.visit"]
            .sudo()
            .search_count(
                [
                    *prop,
                    ("state", "=", "done"),
                    ("done_date", ">=", start),
                    ("done_date", "<", stop),
                ]
            )
        )
        return visits + return_visits, quota
