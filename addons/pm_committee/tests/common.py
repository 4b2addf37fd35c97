# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.pm_customer_service.tests.common import PmCommon


class CommitteeCommon(PmCommon):
    """Property A (Shanghai) with its owners' committee: owner Wang chairs it,
    owner Zhao sits on it; owner Qian owns a unit of A but is no member; owner Li
    owns a unit of property B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.property_a.tz = "Asia/Shanghai"
        Partner = cls.env["res.partner"]
        cls.owner_member = Partner.create(
            {"name": "Owner Zhao", "email": "zhao@example.com"}
        )
        cls.owner_other = Partner.create(
            {"name": "Owner Qian", "email": "qian@example.com"}
        )
        cls.owner_b = Partner.create({"name": "Owner Li", "email": "li@example.com"})
        cls.unit_a2 = cls._occupied_unit(cls.building_a, "102", cls.owner_member)
        cls.unit_a3 = cls._occupied_unit(cls.building_a, "103", cls.owner_other)
        cls.unit_b.write({"owner_ids": [(6, 0, cls.owner_b.ids)], "state": "occupied"})
        cls.team = cls._team_a("Engineering A", cls.user_agent, cls.user_technician)
        cls.committee = (
            cls.env["pm.committee"]
            .with_user(cls.user_agent)
            .create(
                {
                    "name": "Committee of A",
                    "property_id": cls.property_a.id,
                    "term_start": "2026-01-01",
                    "term_end": "2030-12-31",
                    "member_ids": [
                        (0, 0, {"partner_id": cls.owner.id, "role": "chair"}),
                        (0, 0, {"partner_id": cls.owner_member.id, "role": "member"}),
                    ],
                    "staff_ids": [(6, 0, cls.user_agent.ids)],
                }
            )
        )

    def _meeting(self, **values):
        """A committee meeting of property A prepared by the agent: the two
        members and the director invited."""
        return (
            self.env["pm.meeting"]
            .with_user(self.user_agent)
            .create(
                {
                    "name": "Monthly committee meeting",
                    "kind": "committee",
                    "property_id": self.property_a.id,
                    "committee_id": self.committee.id,
                    "date_start": "2026-04-02 11:30:00",
                    "location": "Clubhouse",
                    "attendee_ids": [
                        (0, 0, {"attendee_type": "member", "partner_id": p.id})
                        for p in (self.owner, self.owner_member)
                    ]
                    + [
                        (
                            0,
                            0,
                            {
                                "attendee_type": "staff",
                                "user_id": self.user_director.id,
                            },
                        )
                    ],
                    "agenda": "<p>Garage lighting</p>",
                    **values,
                }
            )
        )

    def _approved_meeting(self, **values):
        """A meeting held, its minutes submitted by the agent and approved by
        the director."""
        meeting = self._meeting(**values)
        meeting.attendee_ids[:2].action_mark_present()
        meeting.action_hold()
        meeting.write({"minutes": "<p>The garage is too dark at night.</p>"})
        meeting.action_submit()
        meeting.with_user(self.user_director).action_approve()
        return meeting
