# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PmCommon

APPROVAL = "pm_base.mail_activity_type_pm_approval"
GROUP = "pm_base.group_pm_"


class ApprovalCommon(PmCommon):
    """Two directors of property A, one of property B, a second quality user and
    a quality user of another company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_director_2 = cls._pm_user(
            "pm_t_director2", "director", name="Director A2"
        )
        cls.user_director_b = cls._pm_user(
            "pm_t_director_b", "director", name="Director B"
        )
        cls.user_quality_2 = cls._pm_user("pm_t_quality2", "quality", name="Quality 2")
        cls.user_quality_other = cls._company_2_user(
            "pm_t_quality_c2", "quality", name="Quality Other Co"
        )
        cls.property_a.user_ids = [(4, cls.user_director_2.id)]
        cls.property_b.director_id = cls.user_director_b

    def _approvals(self, record):
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("activity_type_id", "=", self.env.ref(APPROVAL).id),
                ]
            )
        )

    def _role_users(self, role, above):
        """Active staff of the company whose highest approving group is ``role``
        (the demo data adds some)."""
        return self.env["res.users"].search(
            [
                ("group_ids", "in", self.env.ref(GROUP + role).id),
                ("group_ids", "not in", self.env.ref(GROUP + above).id),
                ("company_ids", "in", self.company.id),
                ("share", "=", False),
            ]
        )

    def _to_approve(self, model, user):
        return self.env[model].with_user(user).search([("pm_to_approve", "=", True)])


@tagged("pm_case")
class TestVisitPlanApproval(ApprovalCommon):
    """R-APPROVE-1 on visit plans (R-VIS-2): agent submits, director reviews,
    quality approves; each step asks the next approvers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._visit_plan()

    def test_empty_plan_refused(self):
        plan = self.plan.copy({"name": "Empty", "unit_ids": False})
        with self.assertRaisesRegex(UserError, "has no target units"):
            plan.with_user(self.user_agent).action_submit()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.submitted_by_id)
        self.assertFalse(self._approvals(plan))

    @freeze_time("2026-03-20 08:00:00")
    def test_each_step_notifies_next_approvers(self):
        plan = self.plan
        plan.with_user(self.user_agent).action_submit()
        asked = self._approvals(plan)
        # the directors of the property, one activity each; not the director of
        # another property, nor quality or managers
        self.assertEqual(len(asked), 2)
        self.assertEqual(asked.user_id, self.user_director | self.user_director_2)
        self.assertEqual(set(asked.mapped("summary")), {"Review the visit plan"})
        model = "pm.visit.plan"
        self.assertEqual(self._to_approve(model, self.user_director), plan)
        self.assertFalse(self._to_approve(model, self.user_director_b))
        self.assertFalse(self._to_approve(model, self.user_agent))
        self.assertFalse(self._to_approve(model, self.user_quality))
        # one director reviews: done for them, removed for the other; quality of
        # the company asked (not the other company's, nor the manager). Since
        # 19.0 a done activity stays, archived, as its history
        plan.with_user(self.user_director_2).action_review()
        self.assertEqual(asked.exists().user_id, self.user_director_2)
        self.assertFalse(asked.exists().filtered("active"))
        done = plan.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.env.ref(APPROVAL)
        )
        self.assertEqual(done.author_id, self.user_director_2.partner_id)
        asked = self._approvals(plan)
        quality = self._role_users("quality", "manager")
        self.assertEqual(asked.user_id, quality)
        self.assertEqual(len(asked), len(quality))
        self.assertIn(self.user_quality_2, asked.user_id)
        self.assertNotIn(self.user_quality_other, asked.user_id)
        self.assertNotIn(self.user_manager, asked.user_id)
        self.assertEqual(self._to_approve(model, self.user_quality), plan)
        self.assertFalse(self._to_approve(model, self.user_director))
        plan.with_user(self.user_quality).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertFalse(self._approvals(plan))
        self.assertFalse(self._to_approve(model, self.user_quality))

    def test_rejection_clears_approvals(self):
        self.plan.with_user(self.user_agent).action_submit()
        self.assertTrue(self._approvals(self.plan))
        self.plan.with_user(self.user_director)._pm_approval_reject("Add Building 2")
        self.assertEqual(self.plan.state, "draft")
        self.assertFalse(self._approvals(self.plan))

    def test_no_director_asks_quality(self):
        self.property_a.write({"director_id": False})
        self.property_a.user_ids = [(3, self.user_director.id)]
        self.property_a.user_ids = [(3, self.user_director_2.id)]
        self.plan.with_user(self.user_agent).action_submit()
        asked = self._approvals(self.plan).user_id
        self.assertLessEqual(self.user_quality | self.user_quality_2, asked)
        self.assertEqual(asked, self._role_users("quality", "manager"))
