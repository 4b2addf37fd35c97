# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from itertools import pairwise

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.pm_base.models.pm_approval_mixin import PmApprovalMixin
from odoo.addons.pm_base.tools.approvals import APPROVAL_ACTIVITY, REJECT_WIZARD
from odoo.addons.pm_base.wizard.pm_approval_reject_wizard import (
    PmApprovalRejectWizard,
)

from .common import SurveyCommon

APPROVED_MODELS = ("pm.visit.plan", "pm.survey.campaign", "pm.survey.analysis")
# the engine's methods: none is written again by a model using it
ENGINE = (
    "_pm_approval_advance",
    "_pm_approval_reject",
    "_pm_approval_request",
    "_pm_approval_close",
    "_pm_approval_submit",
    "_pm_engine_fields",
    "_pm_approvers",
    "_pm_states_to_approve",
    "action_open_reject_wizard",
)


@tagged("pm_survey", "-at_install", "post_install")
class TestOneApprovalEngine(SurveyCommon):
    """Visit plans and survey campaigns take their steps, ask their approvers and
    are sent back through the one approval engine of pm_base and its one wizard
    (R-APPROVE-1, R-VIS-2, R-SUR-2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._visit_plan()
        cls.campaign = cls._campaign()
        cls.campaign.action_generate_distribution()
        cls.approval = cls.env.ref(APPROVAL_ACTIVITY)

    def _asked(self, record):
        return record.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.approval
        )

    def _reject(self, record, user, reason):
        """Send ``record`` back through the wizard its button opens, as ``user``."""
        action = record.with_user(user).action_open_reject_wizard()
        self.assertEqual(action["res_model"], REJECT_WIZARD)
        form = Form(
            self.env[REJECT_WIZARD].with_user(user).with_context(**action["context"])
        )
        form.reason = reason
        return form.save().action_reject()

    def test_one_engine(self):
        for model in APPROVED_MODELS:
            Model = type(self.env[model])
            with self.subTest(model=model):
                self.assertIn(model, self.env["pm.approval.mixin"]._inherit_children)
                for method in ENGINE:
                    self.assertIs(
                        getattr(Model, method), getattr(PmApprovalMixin, method), method
                    )
                # the step table names fields of the model, in order of the states
                steps = self.env[model]._pm_approval_steps()
                states = [key for key, _label in Model._fields["state"].selection]
                for step, following in pairwise(steps):
                    self.assertEqual(step.state_to, following.state_from)
                for step in steps:
                    self.assertIn(step.state_to, states)
                    self.assertEqual(
                        Model._fields[step.user_field].comodel_name, "res.users"
                    )
                    self.assertEqual(Model._fields[step.date_field].type, "datetime")
                # the engine guards the state and the fields of every step:
                # a model does not list them again
                guarded = self.env[model]._pm_guarded_fields()
                engine_fields = {
                    "state",
                    "reject_reason",
                    "reject_user_id",
                    "reject_date",
                }
                for step in steps:
                    engine_fields.update((step.user_field, step.date_field))
                self.assertLessEqual(engine_fields, guarded)
                self.assertFalse(engine_fields & set(Model._pm_protected_fields))
                # the engine's state: drafted, submitted, then the model's
                self.assertEqual(states[:2], ["draft", "submitted"])
                self.assertFalse(Model._fields["state"].copy)
                self.assertTrue(Model._fields["state"].tracking)
        # the two wizards of before are gone: one wizard, in pm_base
        self.assertIs(
            type(self.env[REJECT_WIZARD]).action_reject,
            PmApprovalRejectWizard.action_reject,
        )
        for old in ("pm.visit.plan.reject", "pm.survey.reject.wizard"):
            self.assertNotIn(old, self.env)

    def test_one_wizard_sends_each_back(self):
        """The director alone (no higher group) is asked for both records once
        they are submitted, and sends each back with a reason through the one
        wizard: their activity is closed, the reason and who sent it back kept."""
        self.plan.with_user(self.user_agent).action_submit()
        self.campaign.with_user(self.user_agent).action_submit()
        for record, summary in (
            (self.plan, "Review the visit plan"),
            (self.campaign, "Campaign to be confirmed"),
        ):
            with self.subTest(model=record._name):
                asked = self._asked(record)
                self.assertEqual(asked.user_id, self.user_director)
                self.assertEqual(asked.summary, summary)
                self.assertTrue(record.with_user(self.user_director).pm_to_approve)
                # the drafter may not send it back
                with self.assertRaises(AccessError):
                    self._reject(record, self.user_agent, "not mine")
                with self.assertRaisesRegex(UserError, "reason"):
                    self._reject(record, self.user_director, "  ")
                self._reject(record, self.user_director, f"Redo {record._name}")
                self.assertEqual(record.state, "draft")
                self.assertEqual(record.reject_reason, f"Redo {record._name}")
                self.assertEqual(record.reject_user_id, self.user_director)
                self.assertTrue(record.reject_date)
                self.assertFalse(asked.exists())
                self.assertFalse(self._asked(record))
                self.assertFalse(record.with_user(self.user_director).pm_to_approve)
                self.assertIn(f"Redo {record._name}", record.message_ids[0].body)
                # a draft waits for nobody: nothing to send back
                with self.assertRaisesRegex(UserError, "not waiting for an approval"):
                    record.with_user(self.user_director)._pm_approval_reject("again")
        # what each model keeps when sent back comes from its step table
        self.assertFalse(self.plan.submitted_by_id)
        self.assertEqual(self.campaign.submit_user_id, self.user_agent)

    def test_next_step_schedules_next_approvers(self):
        """A step closes the activity of whoever took it and asks the next
        group; the higher step is refused to the lower approver."""
        for record, step, following in (
            (self.plan, "action_review", "Approve the visit plan"),
            (self.campaign, "action_confirm", "Campaign to be reviewed"),
        ):
            with self.subTest(model=record._name):
                record.with_user(self.user_agent).action_submit()
                asked = self._asked(record)
                getattr(record.with_user(self.user_director), step)()
                # the director's is done: since 19.0 kept, archived, as history
                self.assertEqual(asked.exists().user_id, self.user_director)
                self.assertFalse(asked.exists().filtered("active"))
                self.assertEqual(
                    set(self._asked(record).mapped("summary")), {following}
                )
                self.assertIn(self.user_quality, self._asked(record).user_id)
                self.assertNotIn(self.user_director, self._asked(record).user_id)
                # the quality user sends it back from there; the director may for
                # a visit plan only (its table says so)
                self._reject(record, self.user_quality, "Not now")
                self.assertEqual(record.state, "draft")
                self.assertFalse(self._asked(record))

    def test_wizard_only_for_approvals(self):
        wizard = self.env[REJECT_WIZARD].create(
            {"res_model": "res.partner", "res_id": self.owner.id, "reason": "no"}
        )
        with self.assertRaisesRegex(UserError, "no approval"):
            wizard.action_reject()
