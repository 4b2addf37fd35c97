# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Requests and cron runs arriving at the same time, on real committed
transactions: the round robin of a dispatch rule serializes nobody, and two runs
of a cron end cleanly without doing anything twice."""

import logging
import math
import re
from collections import Counter
from datetime import timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields

from odoo.addons.pm_base.tests.concurrency import PmConcurrencyCase

OWNER = "pm_customer_service.res_users_portal_owner_demo"
LIFT_RULE = "pm_customer_service.pm_dispatch_rule_lift_demo"
UNIT = "pm_customer_service.pm_unit_demo_lsg-b1_101"
TECHNICIAN = "pm_customer_service.res_users_technician_demo"
ENGINEERING = "pm_customer_service.pm_team_engineering_demo"


class TestHotRows(PmConcurrencyCase):
    def _members(self, team):
        return team.member_ids.filtered(lambda u: u.active and u._is_internal())

    def test_round_robin_of_simultaneous_portal_requests(self):
        # eight owners' requests submitted from the portal at the same moment
        # all go to the lift rule's team, without one request waiting for (and
        # being retried after) another, and its members get their turns evenly
        count = 8

        def demo(env):
            rule = env.ref(LIFT_RULE)
            unit = env.ref(UNIT)
            return {
                "owner": env.ref(OWNER).id,
                "team": rule.team_id.id,
                "members": self._members(rule.team_id).ids,
                "unit": unit.id,
                "property": unit.property_id.id,
            }

        demo = self.transaction(demo)
        attempts = [0] * count

        def submit(env, index):
            attempts[index] += 1
            partner = env.user.partner_id
            # what the portal's form creates (controller ``_pm_case_create``):
            # the owner's values, created by the owner's request with sudo
            case = (
                env["pm.case"]
                .sudo()
                .create(
                    {
                        "subject": f"电梯停在3楼 {index}",
                        "description": "1栋的电梯停在3楼不动了。",
                        "request_type": "help",
                        "channel": "portal",
                        "partner_id": partner.id,
                        "contact_name": partner.name,
                        "contact_method": "email" if partner.email else "phone",
                        "contact_info": partner.email or partner.phone,
                        "property_id": demo["property"],
                        "unit_id": demo["unit"],
                        "location": "",
                    }
                )
            )
            return case.id, case.team_id.id, case.user_id.id

        results = self.race(submit, count, uid=demo["owner"])
        made = [result for result in results if isinstance(result, tuple)]
        self.purge_later("pm.case", [case_id for case_id, _team, _user in made])
        errors = self.errors(results)
        retries = sum(attempts) - count
        self.assertFalse(
            errors,
            f"{len(errors)} of {count} requests failed ({retries} retries): {errors}",
        )
        self.assertEqual(
            retries, 0, f"requests retried after serialization failures: {attempts}"
        )
        self.assertEqual({team for _case, team, _user in made}, {demo["team"]})
        turns = Counter(user for _case, _team, user in made)
        self.assertLessEqual(set(turns), set(demo["members"]))
        most = math.ceil(count / len(demo["members"]))
        self.assertLessEqual(max(turns.values()), most, f"uneven turns: {turns}")

    # ------------------------------------------------------------
    # CRON RUNS
    # ------------------------------------------------------------

    def _park_due_cases(self):
        """Take the demo's due cases out of the escalation while the test runs
        (restored at the end): the runs work on this test's cases only."""

        def park(env):
            env.cr.execute(
                "UPDATE pm_case SET escalation_next_date = NULL "
                "WHERE escalation_next_date <= %s RETURNING id, escalation_next_date",
                (fields.Datetime.now() + timedelta(days=30),),
            )
            return env.cr.fetchall()

        parked = self.transaction(park)

        def restore(env):
            for case_id, due in parked:
                env.cr.execute(
                    "UPDATE pm_case SET escalation_next_date = %s WHERE id = %s",
                    (due, case_id),
                )

        self.addCleanup(self.transaction, restore)

    def _overdue_cases(self, count):
        """``count`` committed cases received four days ago, never acknowledged:
        every level of the acknowledgement's escalation is due."""
        self._park_due_cases()

        def make(env):
            unit = env.ref(UNIT)
            # a minute more: the last level is due strictly after its time
            with freeze_time(fields.Datetime.now() - timedelta(days=4, minutes=1)):
                cases = env["pm.case"].create(
                    [
                        {
                            "subject": f"Overdue {index}",
                            "description": "Nobody acknowledged this case.",
                            "request_type": "help",
                            "channel": "phone",
                            "property_id": unit.property_id.id,
                            "unit_id": unit.id,
                            "team_id": env.ref(ENGINEERING).id,
                            "user_id": env.ref(TECHNICIAN).id,
                        }
                        for index in range(count)
                    ]
                )
            return cases.ids

        case_ids = self.transaction(make)
        self.purge_later("pm.case", case_ids)
        self.addCleanup(self._purge_logs, case_ids)
        return case_ids

    def _purge_logs(self, case_ids):
        def purge(env):
            env.cr.execute(
                "DELETE FROM pm_escalation_log WHERE res_model = 'pm.case' "
                "AND res_id IN %s",
                (tuple(case_ids),),
            )

        self.transaction(purge)

    def _escalation_state(self, case_ids):
        """({case id: escalation level}, [(case, kind, level)] logged, Counter of
        the emails queued per case, subject and recipients, cases still due)."""

        def read(env):
            cases = env["pm.case"].browse(case_ids)
            env.cr.execute(
                "SELECT res_id, kind, level FROM pm_escalation_log "
                "WHERE res_model = 'pm.case' AND res_id IN %s",
                (tuple(case_ids),),
            )
            logs = env.cr.fetchall()
            mails = env["mail.mail"].search(
                [("model", "=", "pm.case"), ("res_id", "in", case_ids)]
            )
            mails = Counter(
                (mail.res_id, mail.subject, tuple(mail.recipient_ids.ids))
                for mail in mails
            )
            due = cases.filtered(
                lambda c: c.escalation_next_date
                and c.escalation_next_date <= fields.Datetime.now()
            )
            return (
                {case.id: case.escalation_level for case in cases},
                logs,
                mails,
                due.ids,
            )

        return self.transaction(read)

    def test_two_escalation_runs_at_once(self):
        # the hourly escalation runs twice at the same moment (a cron worker
        # and "Run Manually", or two servers): both end cleanly, every step is
        # sent once
        case_ids = self._overdue_cases(12)

        def run(env, _index):
            return env["pm.case"]._cron_pm_escalate(batch_size=4)

        results = self.race(run, 2, retry=False)
        self.assertFalse(self.errors(results), "a run of the cron failed")
        levels, logs, mails, due = self._escalation_state(case_ids)
        self.assertEqual(len(logs), len(set(logs)))
        self.assertEqual(set(levels.values()), {"4"}, "every level was reached")
        self.assertFalse(due, "the runs did everything due")
        self.assertTrue(mails)
        self.assertEqual(
            [key for key, number in mails.items() if number > 1],
            [],
            "an email was queued twice",
        )
        # the four levels of each case (its reminder was due before the deadline)
        self.assertEqual(len(logs), 4 * len(case_ids))

    def test_escalation_leaves_a_case_being_saved(self):
        # a user is saving one of the overdue cases while the cron runs: the
        # run escalates the others and leaves that one to the next run, instead
        # of waiting for the user and failing
        case_ids = self._overdue_cases(3)
        held = case_ids[0]
        with self.registry.cursor() as user_cr:
            user_cr.execute("SELECT id FROM pm_case WHERE id = %s FOR UPDATE", (held,))

            def run(env):
                # a run that waited for the user would fail here, not hang
                env.cr.execute("SET LOCAL lock_timeout = '5s'")
                return env["pm.case"]._cron_pm_escalate()

            self.transaction(run, retry=False)
            user_cr.rollback()
        levels, _logs, _mails, due = self._escalation_state(case_ids)
        self.assertEqual(due, [held])
        self.assertEqual(levels[held], "0")
        self.assertEqual({levels[case_id] for case_id in case_ids[1:]}, {"4"})
        # the next run escalates it
        self.transaction(lambda env: env["pm.case"]._cron_pm_escalate(), retry=False)
        levels, _logs, _mails, due = self._escalation_state(case_ids)
        self.assertFalse(due)
        self.assertEqual(levels[held], "4")

    def test_every_cron_runs_once_at_a_time(self):
        # while a run of a product cron holds its lock, a second run of the same
        # job says so and returns, touching nothing
        from odoo.addons.pm_base.tools import cron

        def product_jobs(env):
            jobs = env["ir.cron"].with_context(active_test=False).search([])
            found = []
            for job in jobs:
                match = re.fullmatch(
                    r"model\.(_cron_\w+)\(\)", (job.code or "").strip()
                )
                if match and job.model_id.model.startswith("pm."):
                    found.append((job.model_id.model, match.group(1)))
            return found

        jobs = self.transaction(product_jobs)
        self.assertGreaterEqual(len(jobs), 7, jobs)
        stopped = []
        for model, method in jobs:
            with self.registry.cursor() as first_cr:
                first = api.Environment(first_cr, SUPERUSER_ID, {})
                self.assertTrue(
                    cron.take_run_lock(first, cron.job_name(first[model], method))
                )
                # (logging.INFO: Odoo names its level 25 "INFO" too)
                with self.assertLogs(cron.__name__, logging.INFO) as log:
                    result = self.transaction(
                        lambda env, m=model, f=method: getattr(env[m], f)(),
                        retry=False,
                    )
                first_cr.rollback()
            if result is False and "another run is in progress" in log.output[0]:
                stopped.append((model, method))
        self.assertEqual(stopped, jobs)
