# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrent edits of a case (issue 27): two agents have the same case open;
the first saves; the second's save, made from the version the form loaded
before, is refused with who changed the case and when, and the first agent's
value stays. Each step is a request of its own, committed on a cursor of its
own; the race runs both saves at once on two threads. The tour checks that
the case form really sends the version it loaded."""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.pm_base.models.pm_edit_version import EDIT_VERSION_KEY
from odoo.addons.pm_base.tests.concurrency import PmConcurrencyCase
from odoo.addons.pm_base.tools import clock

DEMO = "pm_customer_service."


@tagged("post_install", "-at_install")
class TestCaseEditVersions(PmConcurrencyCase):
    def setUp(self):
        super().setUp()

        def create(env):
            ref = env.ref
            case = (
                env["pm.case"]
                .with_user(ref(DEMO + "res_users_agent_demo"))
                .with_context(mail_notify_force_send=False)
                .create(
                    {
                        "subject": "Tap dripping",
                        "description": "The kitchen tap drips day and night.",
                        "property_id": ref(DEMO + "pm_property_demo").id,
                        "unit_id": ref(DEMO + "pm_unit_demo_lsg-b3_101").id,
                        "partner_id": ref(
                            DEMO + "res_partner_owner_demo_lsg-b3_101"
                        ).id,
                    }
                )
            )
            return case.id

        self.case_id = self.transaction(create)
        self.purge_later("pm.case", [self.case_id])
        self.agent, self.agent2 = self.transaction(
            lambda env: (
                env.ref(DEMO + "res_users_agent_demo").id,
                env.ref(DEMO + "res_users_agent2_demo").id,
            )
        )

    # ------------------------------------------------------------
    # the requests of the web client
    # ------------------------------------------------------------

    def open_form(self, uid):
        """The version of the case a form of ``uid`` loads."""
        return self.transaction(
            lambda env: env["pm.case"]
            .browse(self.case_id)
            .web_read({"subject": {}, "pm_edit_version": {}})[0]["pm_edit_version"],
            uid=uid,
        )

    def form_context(self, version):
        return {
            EDIT_VERSION_KEY: {
                "model": "pm.case",
                "id": self.case_id,
                "version": version,
            }
        }

    def save(self, env, version, **vals):
        """The form's save (its context names the version it loaded); return
        the version the form reads back."""
        case = (
            env["pm.case"]
            .browse(self.case_id)
            .with_context(**self.form_context(version))
        )
        return case.web_save(vals, {"pm_edit_version": {}})[0]["pm_edit_version"]

    def click(self, env, version, method):
        """A button of the form (after its save, as the web client does)."""
        case = (
            env["pm.case"]
            .browse(self.case_id)
            .with_context(**self.form_context(version))
        )
        return getattr(case, method)()

    def committed(self, *names):
        return self.transaction(
            lambda env: env["pm.case"].browse(self.case_id).read(list(names))[0]
        )

    # ------------------------------------------------------------
    # tests
    # ------------------------------------------------------------

    def test_second_save_of_the_same_version_is_refused(self):
        version = self.open_form(self.agent)
        self.assertEqual(self.open_form(self.agent2), version)
        # the first agent saves
        self.transaction(
            lambda env: self.save(env, version, subject="Tap dripping, flat 101"),
            uid=self.agent,
        )
        # the second agent's form still holds the version both loaded
        with self.assertRaises(UserError) as caught:
            self.transaction(
                lambda env: self.save(env, version, subject="Tap replaced"),
                uid=self.agent2,
                context={"lang": "zh_CN"},
            )
        stored = self.committed("name", "subject", "write_date", "write_uid")
        self.assertEqual(stored["subject"], "Tap dripping, flat 101")
        self.assertEqual(stored["write_uid"][0], self.agent)
        # what the record is, who changed it and when on the property's clock
        # (Asia/Shanghai), in the agent's language
        when = clock.local_stamp(stored["write_date"], "Asia/Shanghai")
        self.assertEqual(
            str(caught.exception),
            f"报事 {stored['name']} 在您打开后已由 李娜 于 {when} 修改。"
            "请刷新页面查看这些修改，然后重新进行您的修改。",
        )

    def test_the_ladder_stepping_on_keeps_the_version(self):
        """The escalation cron steps on while the agent has the case open: the
        case changed, but nobody edited it, so her save goes through; the next
        person's stale save is still refused, naming her."""
        version = self.open_form(self.agent)

        def step_on(env):
            case = env["pm.case"].browse(self.case_id)
            case._pm_escalation_reschedule()
            case.escalation_level = "1"

        self.transaction(step_on)
        self.assertEqual(self.committed("escalation_level")["escalation_level"], "1")
        self.assertEqual(self.open_form(self.agent2), version)
        self.transaction(
            lambda env: self.save(env, version, subject="Tap dripping, flat 101"),
            uid=self.agent,
        )
        with self.assertRaisesRegex(UserError, "李娜"):
            self.transaction(
                lambda env: self.save(env, version, subject="Tap replaced"),
                uid=self.agent2,
                context={"lang": "zh_CN"},
            )
        self.assertEqual(self.committed("subject")["subject"], "Tap dripping, flat 101")

    def test_saves_at_the_same_time_keep_the_first(self):
        version = self.open_form(self.agent)
        uids = [self.agent, self.agent2]
        subjects = ["Tap dripping, flat 101", "Tap replaced"]

        def save(env, index):
            env = env(user=uids[index])
            return self.save(env, version, subject=subjects[index])

        results = self.race(save, 2)
        errors = self.errors(results)
        self.assertEqual(len(errors), 1, results)
        self.assertIsInstance(errors[0], UserError)
        winner = 1 - results.index(errors[0])
        stored = self.committed("subject", "write_uid")
        self.assertEqual(stored["subject"], subjects[winner])
        self.assertEqual(stored["write_uid"][0], uids[winner])

    def test_buttons_of_a_stale_form_are_refused(self):
        version = self.open_form(self.agent)
        # another agent changes the case meanwhile
        newer = self.transaction(
            lambda env: self.save(
                env, self.open_form(self.agent2), severity="important"
            ),
            uid=self.agent2,
        )
        self.assertNotEqual(newer, version)
        with self.assertRaises(UserError):
            self.transaction(
                lambda env: self.click(env, version, "action_acknowledge"),
                uid=self.agent,
            )
        self.assertEqual(self.committed("state")["state"], "received")
        # reloaded, the form saves, then its button runs (the web client's
        # order): nothing refused
        reloaded = self.open_form(self.agent)
        self.assertEqual(reloaded, newer)

        def save_and_acknowledge(env):
            saved = self.save(env, reloaded, subject="Tap dripping, flat 101")
            return self.click(env, saved, "action_acknowledge")

        self.transaction(save_and_acknowledge, uid=self.agent)
        # as two requests, with the version the save read back
        investigation = {
            "investigation_facts": "The tap's washer is worn.",
            "investigation_cause": "Wear.",
            "proposed_solution": "Replace the washer.",
        }
        version = self.open_form(self.agent)
        saved = self.transaction(
            lambda env: self.save(env, version, **investigation), uid=self.agent
        )
        self.transaction(
            lambda env: self.click(env, saved, "action_decide"), uid=self.agent
        )
        stored = self.committed("state", "subject", *investigation)
        self.assertEqual(
            stored,
            {
                "id": self.case_id,
                "state": "decided",
                "subject": "Tap dripping, flat 101",
                **investigation,
            },
        )

    def test_writes_without_a_loaded_version_are_not_checked(self):
        version = self.open_form(self.agent)
        self.transaction(
            lambda env: self.save(env, version, subject="Tap dripping, flat 101"),
            uid=self.agent2,
        )
        # RPC and server code name no version: written as before
        self.transaction(
            lambda env: env["pm.case"]
            .browse(self.case_id)
            .write({"subject": "By RPC"}),
            uid=self.agent,
        )
        # a version of another record (the form a wizard was opened from) is
        # not this case's
        other = dict(self.form_context(version)[EDIT_VERSION_KEY], id=self.case_id + 1)
        self.transaction(
            lambda env: env["pm.case"]
            .browse(self.case_id)
            .with_context(**{EDIT_VERSION_KEY: other})
            .write({"subject": "From a wizard"}),
            uid=self.agent,
        )
        self.assertEqual(self.committed("subject")["subject"], "From a wizard")


@tagged("post_install", "-at_install")
class TestCaseFormSendsItsVersion(HttpCase):
    def test_stale_form_gets_the_error_then_saves_once_reloaded(self):
        ref = self.env.ref
        agent = ref(DEMO + "res_users_agent_demo")
        case = (
            self.env["pm.case"]
            .with_user(agent)
            .create(
                {
                    "subject": "Tap dripping",
                    "description": "The kitchen tap drips day and night.",
                    "property_id": ref(DEMO + "pm_property_demo").id,
                    "unit_id": ref(DEMO + "pm_unit_demo_lsg-b3_101").id,
                    "partner_id": ref(DEMO + "res_partner_owner_demo_lsg-b3_101").id,
                }
            )
        )
        # the refused save is a user error, which the server logs
        with mute_logger("odoo.http"):
            self.start_tour(
                f"/odoo/pm.case/{case.id}", "pm_case_version_tour", login="pm_agent"
            )
        case.invalidate_recordset()
        # the refused save changed nothing; the change made meanwhile stays;
        # the save and the button of the reloaded form went through
        self.assertEqual(case.subject, "水龙头已修好")
        self.assertEqual(case.description, "业主补充：厨房水龙头一直滴水。")
        self.assertEqual(case.state, "investigating")
