# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import BaseCase, tagged

from ..models import dispatch_rules
from .common import PmCaseCommon


class TestDispatchRules(BaseCase):
    def test_parse_keywords(self):
        cases = [
            ("lift, elevator", ["lift", "elevator"]),
            ("电梯，漏水；Noise\nGate", ["电梯", "漏水", "noise", "gate"]),
            ("", [""]),
        ]
        for text, expected in cases:
            self.assertEqual(dispatch_rules.parse_keywords(text), expected, text)

    def test_rule_matches(self):
        values = {"request_type": "complaint", "building_id": 7, "property_id": 1}
        cases = [
            # criteria, keywords, text, expected
            ({}, [], "", True),
            ({"request_type": "complaint"}, [], "", True),
            ({"request_type": "help"}, [], "", False),
            ({"request_type": "complaint", "building_id": 8}, [], "", False),
            ({"building_id": False}, [], "", True),
            ({}, ["lift"], "The LIFT is stuck", True),
            ({}, ["lift", "电梯"], "3号楼电梯故障", True),
            ({}, ["lift"], "Water leak", False),
            ({}, [""], "Water leak", True),
            ({"request_type": "help"}, ["lift"], "lift", False),
        ]
        for criteria, keywords, text, expected in cases:
            self.assertEqual(
                dispatch_rules.rule_matches(criteria, keywords, values, text),
                expected,
                (criteria, keywords, text),
            )

    def test_pick_round_robin(self):
        cases = [
            ([], 1, None),
            ([3, 5, 9], 1, 3),
            ([3, 5, 9], 2, 5),
            ([3, 5, 9], 3, 9),
            ([3, 5, 9], 4, 3),  # around the team
            ([3, 5, 9], 3001, 3),
            ([5, 9], 4, 9),  # a member left: the turns go on among the others
        ]
        for members, turn, expected in cases:
            self.assertEqual(
                dispatch_rules.pick_round_robin(members, turn), expected, turn
            )

    def test_pick_least_load(self):
        cases = [
            ([], {}, None),
            ([3, 5, 9], {}, 3),
            ([3, 5, 9], {3: 2, 5: 1, 9: 1}, 5),
            ([3, 5, 9], {3: 2, 5: 4}, 9),
        ]
        for members, loads, expected in cases:
            self.assertEqual(
                dispatch_rules.pick_least_load(members, loads), expected, loads
            )


@tagged("pm_case")
class TestCaseDispatch(PmCaseCommon):
    """R-DISPATCH-2 at intake, R-DISPATCH-1 notice, and Assign to Me."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_tech_2 = cls._pm_user(
            "pm_t_tech2", "technician", name="Tech B", email="tech2@example.com"
        )
        cls.property_a.user_ids = [(4, cls.user_tech_2.id)]
        cls.team.member_ids = [(4, cls.user_tech_2.id)]
        cls.Rule = cls.env["pm.dispatch.rule"]
        cls.lift_rule = cls.Rule.create(
            {
                "name": "Lifts",
                "sequence": 1,
                "keywords": "lift, 电梯",
                "team_id": cls.team.id,
                "assign_method": "round_robin",
            }
        )
        cls.building_rule = cls.Rule.create(
            {
                "name": "Building A1 complaints",
                "sequence": 2,
                "property_id": cls.property_a.id,
                "request_type": "complaint",
                "building_id": cls.building_a.id,
                "team_id": cls.team.id,
                "assign_method": "least_load",
            }
        )

    def _new(self, **values):
        vals = {"team_id": False, "user_id": False}
        vals.update(values)
        return self._create_case(**vals)

    def test_round_robin_by_keyword(self):
        members = self.team.member_ids
        cases = [self._new(subject=f"Lift stuck {n}") for n in range(4)]
        users = [case.user_id for case in cases]
        self.assertTrue(all(case.team_id == self.team for case in cases))
        self.assertEqual(users[0] | users[1] | users[2], members)
        self.assertEqual(users[3], users[0])
        # in the team's order, from wherever the rule's turns stood
        order = members.ids
        start = order.index(users[0].id)
        self.assertEqual(
            [user.id for user in users],
            [order[(start + n) % len(order)] for n in range(4)],
        )
        self.assertTrue(
            any("Lifts" in (m.body or "") for m in cases[0].message_ids),
            "the rule is named in the chatter",
        )

    def test_turns_of_a_rule_made_before_they_were_numbered(self):
        # a rule of an upgraded database has no sequence of turns yet: the
        # first request it takes makes one, the turns start at the first member
        old = self.lift_rule.turn_sequence_id
        self.assertEqual(old.implementation, "standard")
        self.lift_rule.turn_sequence_id = False
        old.unlink()
        members = self.team.member_ids
        cases = [self._new(subject=f"Lift {n}") for n in range(2)]
        sequence = self.lift_rule.turn_sequence_id
        self.assertTrue(sequence)
        self.assertEqual([case.user_id for case in cases], [members[0], members[1]])
        # a copy counts its own turns; a deleted rule takes its sequence along
        copy = self.lift_rule.copy()
        self.assertTrue(copy.turn_sequence_id)
        self.assertNotEqual(copy.turn_sequence_id, sequence)
        copy_sequence = copy.turn_sequence_id
        copy.unlink()
        self.assertFalse(copy_sequence.exists())

    def test_front_desk_repair_intake_with_a_rule(self):
        # issue 21: the front desk (pm_agent) records a repair request by phone
        # that a rule takes: the rule assigns it, the desk is not refused
        self.Rule.create(
            {
                "name": "Repairs",
                "sequence": 0,
                "request_type": "repair",
                "team_id": self.team.id,
                "assign_method": "least_load",
            }
        )
        case = self.Case.create(
            self._case_vals(
                request_type="repair", subject="Tap", team_id=False, user_id=False
            )
        )
        self.assertEqual(case.create_uid, self.user_agent)
        self.assertEqual(case.team_id, self.team)
        self.assertIn(case.user_id, self.team.member_ids)
        self.assertEqual(case.first_contact_user_id, self.user_agent)

    def test_least_load_by_building_and_type(self):
        # the leader and the technician already have open cases
        self._create_case(user_id=self.user_leader.id)
        self._create_case(user_id=self.user_technician.id)
        case = self._new(subject="Noise", request_type="complaint")
        self.assertEqual(case.team_id, self.team)
        self.assertEqual(case.user_id, self.user_tech_2)
        # not a complaint: no rule
        help_case = self._new(subject="Noise", request_type="help")
        self.assertFalse(help_case.team_id)
        self.assertFalse(help_case.user_id)

    def test_explicit_team_wins_and_inactive_rule(self):
        case = self._new(subject="Lift", team_id=self.team.id)
        self.assertFalse(case.user_id, "a staff choice is kept")
        self.lift_rule.active = False
        other = self._new(subject="Lift", unit_id=False)
        self.assertFalse(other.team_id)

    def test_team_leader_method_and_notice(self):
        self.lift_rule.assign_method = "leader"
        with self.mock_mail_gateway():
            case = self._new(subject="Lift door")
        self.assertEqual(case.user_id, self.user_leader)
        self.assertTrue(self._mails_to(self.user_leader.partner_id))

    def test_rule_checks(self):
        with self.assertRaises(ValidationError):
            self.Rule.create(
                {
                    "name": "Wrong",
                    "property_id": self.property_b.id,
                    "team_id": self.team.id,
                }
            )
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.user_agent).create(
                {"name": "Mine", "team_id": self.team.id}
            )

    def test_assign_to_me(self):
        case = self._new(subject="Noise", request_type="help")
        case.with_user(self.user_agent).action_assign_to_me()
        self.assertEqual(case.user_id, self.user_agent)
        self.assertIn(self.user_agent.partner_id, case.message_partner_ids)
