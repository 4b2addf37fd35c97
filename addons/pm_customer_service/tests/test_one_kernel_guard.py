# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 22: the write guard, the retention rule and the escalation ladder are
each written once, in pm_base, and every model uses that one definition."""

import inspect

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.pm_base.models.pm_escalation_mixin import PmEscalationMixin
from odoo.addons.pm_base.models.pm_write_guard import (
    GUARD_MIXIN,
    PmWorkflowGuardMixin,
)
from odoo.addons.pm_base.tools import write_guard

from .common import PmCaseCommon

MONDAY_10 = "2026-03-02 02:00:00"


def _definers(model, name):
    """The classes of ``model``'s registry class that define method ``name``."""
    return [cls for cls in type(model).mro() if name in vars(cls)]


@tagged("post_install", "-at_install")
class TestOneKernelGuard(PmCaseCommon):
    def _rectification(self, **values):
        # recorded by the front desk, as the quality check's finding is
        with freeze_time(MONDAY_10):
            rect = (
                self.env["pm.rectification"]
                .with_user(self.user_agent)
                .create(
                    {
                        "property_id": self.property_a.id,
                        "problem": "Broken lobby door",
                        "team_id": self.team.id,
                        "deadline": "2026-03-03",
                        **values,
                    }
                )
            )
        return rect.with_env(self.env)

    def _guarded(self):
        names = self.env[GUARD_MIXIN]._pm_guarded_models()
        self.assertIn("pm.case", names)
        self.assertIn("pm.rectification", names)
        return [self.env[name] for name in names]

    def test_one_write_guard(self):
        # the owner-answer guard is the write guard: no second mixin
        self.assertNotIn("pm.owner.answer.mixin", self.env)
        for model in self._guarded():
            # each field listed once: an owner's answer is not also a
            # workflow field of the same model
            both = set(model._pm_protected_fields) & set(
                model._pm_owner_decision_fields
            )
            self.assertFalse(both, f"{model._name} lists {both} twice")
            # both checks come from the one mixin, which guards every field
            for name in ("_pm_check_owner_fields", "_pm_guarded_fields"):
                self.assertEqual(
                    _definers(model, name), [PmWorkflowGuardMixin], model._name
                )
            self.assertLessEqual(
                set(model._pm_owner_decision_fields), model._pm_guarded_fields()
            )
        case = self.env["pm.case"]
        self.assertEqual(case._pm_owner_decision_fields, ("satisfaction",))
        self.assertNotIn("satisfaction", case._pm_protected_fields)

    def test_one_write_refuses_owner_answers_first(self):
        # one staff write of the owner's rating meets one guard, one message
        case = self._create_case()
        with self.assertRaisesText(AccessError, "Record Owner Decision"):
            case.with_user(self.user_manager).write({"satisfaction": "5"})
        # a workflow action is no owner's decision either
        with (
            write_guard.workflow_writes(),
            self.assertRaisesText(AccessError, "Record Owner Decision"),
        ):
            case.with_user(self.user_manager).write({"satisfaction": "5"})

    def test_one_retention_rule(self):
        for model in self._guarded():
            ondelete = [
                name
                for name, func in inspect.getmembers(type(model), callable)
                if hasattr(func, "_ondelete")
                and func.__module__.startswith("odoo.addons.pm_")
            ]
            self.assertEqual(ondelete, ["_unlink_retention_kept"], model._name)
        self.assertEqual(
            _definers(self.env["pm.case"], "_unlink_retention_kept"),
            [PmWorkflowGuardMixin],
        )
        # one message, whatever the model; the purge alone deletes
        case = self._create_case()
        case.with_user(self.user_agent).action_acknowledge()
        rect = self._rectification(measure="Replace the hinge")
        rect.with_user(self.user_agent).action_start()
        for record in (case, rect):
            with self.assertRaisesText(
                UserError, "must be kept for the retention period"
            ):
                record.with_user(self.user_manager).unlink()
        # the administrator's purge (server code) deletes what the manager may not
        with write_guard.retention_purge():
            case.with_user(self.user_manager).unlink()
            rect.with_user(self.user_manager).unlink()
        self.assertFalse(case.exists() or rect.exists())

    def test_one_escalation_ladder(self):
        for name in (
            "_pm_escalation_recipient",
            "_pm_escalation_quality_user",
            "_pm_escalation_notify",
            "_pm_escalation_send",
            "_pm_escalate",
        ):
            for model in ("pm.case", "pm.rectification"):
                self.assertEqual(
                    _definers(self.env[model], name), [PmEscalationMixin], name
                )
        # one quality person for the company, whoever escalates
        case = self._create_case()
        rect = self._rectification()
        self.assertEqual(
            case._pm_escalation_recipient(4), rect._pm_escalation_recipient(4)
        )
        self.assertEqual(case._pm_escalation_recipient(4), self.quality_team.leader_id)

    def test_rectification_escalates_by_its_mail_template(self):
        rect = self._rectification(
            measure="Replace the hinge", user_id=self.user_leader.id
        )
        since = self._mail_mark()
        with freeze_time("2026-03-03 16:30:00"):
            self.env["pm.rectification"]._cron_pm_escalate()
            self.env["pm.rectification"]._cron_pm_escalate()
        leader = self.user_leader.partner_id
        # one email, no notification on top: as for a case
        self.assertEqual(self._mail_sent(rect, since), {leader: (1, 0)})
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("model", "=", rect._name), ("res_id", "=", rect.id)],
                order="id desc",
                limit=1,
            )
        )
        # the template's subject is the step's summary, its body the record
        self.assertEqual(
            mail.subject,
            f"Rectification {rect.name} is overdue - escalated to Responsible "
            f"Person ({self.property_a.name})",
        )
        self.assertIn("Problem: Broken lobby door", str(mail.body_html))
        self.assertIn("Corrective measure: Replace the hinge", str(mail.body_html))
        # queued, never sent synchronously
        self.assertEqual(mail.state, "outgoing")
