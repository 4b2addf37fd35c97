# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Taking a case (R-DISPATCH-2, R-PICK-1): an agent takes the cases of their
own team(s), or of no team yet; the service-centre director and the managers
take any case of their properties. Neither "Assign to Me" nor editing the
responsible (RPC ``write``) lets an agent take another team's case."""

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "security")
class TestCaseTakeover(TransactionCase):
    """Lakeside Garden's demo staff: the customer-service team (pm_agent, its
    leader, and pm_agent2), the engineering department (led by pm_engineer),
    the director."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.agent = ref("pm_customer_service.res_users_agent_demo")
        cls.agent_2 = ref("pm_customer_service.res_users_agent2_demo")
        cls.engineer = ref("pm_customer_service.res_users_engineering_lead_demo")
        cls.director = ref("pm_customer_service.res_users_director_demo")
        cls.team_cs = ref("pm_customer_service.pm_team_cs_demo")
        cls.team_engineering = ref("pm_customer_service.pm_team_engineering_demo")
        unit = ref("pm_customer_service.pm_unit_demo_lsg-b1_101")
        Case = cls.env["pm.case"]
        values = {
            "property_id": unit.property_id.id,
            "unit_id": unit.id,
            "partner_id": unit.owner_ids[:1].id,
            "request_type": "complaint",
            "description": "Water on the stairs.",
        }
        cls.case_engineering = Case.create(
            dict(
                values,
                subject="Pipe leak",
                team_id=cls.team_engineering.id,
                user_id=cls.engineer.id,
            )
        )
        cls.case_cs = Case.create(
            dict(values, subject="Noise", team_id=cls.team_cs.id, user_id=False)
        )
        cls.case_no_team = Case.create(dict(values, subject="Question"))
        cls.case_no_team.team_id = False

    def test_agent_cannot_take_another_teams_case(self):
        case = self.case_engineering.with_user(self.agent)
        with self.assertRaises(UserError):
            case.action_assign_to_me()
        with self.assertRaises(UserError):
            case.write({"user_id": self.agent.id})
        # nor by moving it to their own team at the same time
        with self.assertRaises(UserError):
            case.write({"team_id": self.team_cs.id, "user_id": self.agent.id})
        self.assertEqual(
            (self.case_engineering.user_id, self.case_engineering.team_id),
            (self.engineer, self.team_engineering),
        )

    def test_agent_takes_own_teams_and_unassigned_cases(self):
        self.case_cs.with_user(self.agent_2).action_assign_to_me()
        self.assertEqual(self.case_cs.user_id, self.agent_2)
        # the leader of the team takes it over from a member
        self.case_cs.with_user(self.agent).action_assign_to_me()
        self.assertEqual(self.case_cs.user_id, self.agent)
        self.case_no_team.with_user(self.agent_2).action_assign_to_me()
        self.assertEqual(self.case_no_team.user_id, self.agent_2)

    def test_director_takes_any_case_of_the_property(self):
        self.case_engineering.with_user(self.director).action_assign_to_me()
        self.assertEqual(self.case_engineering.user_id, self.director)

    def test_desk_still_hands_a_case_to_another_team(self):
        # the front desk routes a case to the team that does the work: not a
        # take, the responsible is one of that team
        self.case_cs.with_user(self.agent).write(
            {"team_id": self.team_engineering.id, "user_id": self.engineer.id}
        )
        self.assertEqual(self.case_cs.user_id, self.engineer)
