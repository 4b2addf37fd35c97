# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A field naming staff is declared one way: ``pm_base.tools.staff`` gives the
user or users field, internal users only."""

from ast import literal_eval

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.pm_base.tools import staff

from .kernel_sources import product_files

# (model, field, relation table or None, label, tracked)
STAFF_FIELDS = (
    ("pm.property", "director_id", None, "Service Centre Director", True),
    ("pm.property", "user_ids", "pm_property_res_users_rel", "Assigned Staff", False),
    ("pm.property", "duty_user_ids", "pm_property_duty_user_rel", "On Duty", False),
    ("pm.team", "leader_id", None, "Team Leader", True),
    ("pm.team", "member_ids", "pm_team_res_users_rel", "Members", False),
    ("pm.visit.plan", "visitor_ids", "pm_visit_plan_res_users_rel", "Visitors", False),
    ("pm.survey.campaign", "user_id", None, "Responsible", True),
    ("pm.survey.campaign", "staff_ids", "pm_survey_campaign_staff_rel", "Staff", False),
    ("pm.survey.opinion", "user_id", None, "Responsible", True),
    (
        "pm.survey.symposium",
        "staff_ids",
        "pm_survey_symposium_user_rel",
        "Staff Attending",
        False,
    ),
    ("pm.survey.distribution", "distributed_by_id", None, "Handed Out By", False),
)
# the files whose staff fields all come from the one helper
HELPED = (
    "pm_base/models/pm_property.py",
    "pm_base/models/pm_team.py",
    "pm_customer_service/models/pm_property.py",
    "pm_customer_service/models/pm_visit_plan.py",
    "pm_survey/models/pm_survey_campaign.py",
    "pm_survey/models/pm_survey_opinion.py",
    "pm_survey/models/pm_survey_symposium.py",
    "pm_survey/models/pm_survey_distribution.py",
)


class TestStaffFields(TransactionCase):
    def test_staff_fields(self):
        for model, name, relation, label, tracked in STAFF_FIELDS:
            with self.subTest(field=f"{model}.{name}"):
                field = self.env[model]._fields[name]
                self.assertEqual(field.comodel_name, "res.users")
                self.assertEqual(field.domain, staff.STAFF_DOMAIN)
                self.assertEqual(field.string, label)
                self.assertEqual(bool(getattr(field, "tracking", None)), tracked)
                if relation:
                    self.assertEqual(field.type, "many2many")
                    self.assertEqual(field.relation, relation)
                    self.assertEqual(field.column2, "user_id")
                else:
                    self.assertEqual(field.type, "many2one")
        # an owner's portal account is never offered, a staff user is
        portal = new_test_user(self.env, "staff_owner", groups="base.group_portal")
        internal = new_test_user(self.env, "staff_agent", groups="base.group_user")
        offered = self.env["res.users"].search(literal_eval(staff.STAFF_DOMAIN))
        self.assertNotIn(portal, offered)
        self.assertIn(internal, offered)

    def test_written_once(self):
        files = product_files()
        for path in HELPED:
            with self.subTest(path=path):
                self.assertNotIn("('share', '=', False)", files[path])
                self.assertIn("staff.user", files[path])
