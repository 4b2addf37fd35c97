# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.pm_customer_service.tests.common import PmCommon


class NoticeCommon(PmCommon):
    """Property A (Shanghai clock) with two buildings: A1 (unit 101 of owner
    Wang, rented by tenant Sun; unit 102 of owner Zhao) and A2 (unit 201 of owner
    Qian); property B (unit 101 of owner Li). Second agent and director of
    property A for the refusals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.property_a | cls.property_b).write({"tz": "Asia/Shanghai"})
        cls.env.company.email = "service@example.com"
        Partner = cls.env["res.partner"]
        cls.tenant = Partner.create({"name": "Tenant Sun", "email": "sun@example.com"})
        cls.unit_a.tenant_ids = cls.tenant
        cls.owner_zhao = Partner.create(
            {"name": "Owner Zhao", "email": "zhao@example.com"}
        )
        cls.unit_a2 = cls._occupied_unit(cls.building_a, "102", cls.owner_zhao)
        cls.building_a2 = cls.env["pm.building"].create(
            {"name": "A2", "code": "PA-2", "property_id": cls.property_a.id}
        )
        cls.owner_qian = Partner.create(
            {"name": "Owner Qian", "email": "qian@example.com"}
        )
        cls.unit_a201 = cls._occupied_unit(cls.building_a2, "201", cls.owner_qian)
        cls.owner_li = Partner.create({"name": "Owner Li", "email": "li@example.com"})
        cls.unit_b.write({"owner_ids": [(6, 0, cls.owner_li.ids)], "state": "occupied"})
        cls.Notice = cls.env["pm.notice"].with_user(cls.user_agent)
        # the demo notices' emails are not what these tests count
        cls.env["pm.notice"].search([("send_pending", "=", True)]).write(
            {"send_pending": False}
        )

    def _draft(self, **vals):
        """A notice of property A drafted by the agent."""
        return self.Notice.create(
            {
                "name": "Water cut on Saturday",
                "property_id": self.property_a.id,
                "body": "<p>The water is cut from 8:00 to 14:00.</p>",
                **vals,
            }
        )

    def _approved(self, **vals):
        notice = self._draft(**vals)
        notice.action_submit()
        notice.with_user(self.user_director).action_approve()
        return notice

    def _published(self, **vals):
        notice = self._approved(**vals)
        notice.with_user(self.user_director).action_publish()
        return notice
