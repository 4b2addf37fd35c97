# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import subprocess
import tempfile
import unicodedata
from collections import Counter
from contextlib import contextmanager

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.mail.tests.common import MailCase

# CJK fonts map some glyphs to radical code points that NFKC leaves alone
_RADICALS = str.maketrans(
    "⺠⻁⻄⻅⻆⻉⻊⻋⻌⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻩⻬⻮⻰⻳",
    "民虎西见角贝言车辶长门青韦页风飞食马骨鬼鱼鸟黄齐齿龙龟",
)


def pdf_to_text(pdf):
    """Text of a PDF as a reader would copy it (poppler's pdftotext), with the CJK
    radicals some fonts produce mapped back to the usual characters."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return unicodedata.normalize("NFKC", text).translate(_RADICALS)


def pdf_images(pdf):
    """The rows of poppler's ``pdfimages -list`` for a PDF, one per image (page,
    number, type, width, height, ...), without the two header lines."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdfimages", "-list", handle.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[2:]


class PmCommon(TransactionCase):
    """Two properties A and B of the current company, a property of another company,
    and one user per group with the fewest groups needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Other Property Co."})
        cls.property_a = cls.env["pm.property"].create(
            {"name": "Property A", "code": "PA", "total_floor_area": 45000}
        )
        cls.property_b = cls.env["pm.property"].create(
            {"name": "Property B", "code": "PB", "total_floor_area": 52000}
        )
        cls.building_a = cls.env["pm.building"].create(
            {"name": "A1", "code": "PA-1", "property_id": cls.property_a.id}
        )
        cls.building_b = cls.env["pm.building"].create(
            {"name": "B1", "code": "PB-1", "property_id": cls.property_b.id}
        )
        cls.owner = cls.env["res.partner"].create(
            {"name": "Owner Wang", "email": "wang@example.com"}
        )
        cls.unit_a = cls.env["pm.unit"].create(
            {
                "building_id": cls.building_a.id,
                "number": "101",
                "floor": 1,
                "area": 90,
                "state": "occupied",
                "owner_ids": [(6, 0, cls.owner.ids)],
            }
        )
        cls.unit_b = cls.env["pm.unit"].create(
            {"building_id": cls.building_b.id, "number": "101", "floor": 1, "area": 120}
        )
        group = "pm_customer_service.group_pm_"
        cls.user_technician = new_test_user(
            cls.env, "pm_t_tech", groups=group + "technician", name="Tech A"
        )
        cls.user_agent = new_test_user(
            cls.env, "pm_t_agent", groups=group + "agent", name="Agent A"
        )
        cls.user_director = new_test_user(
            cls.env, "pm_t_director", groups=group + "director", name="Director A"
        )
        cls.user_quality = new_test_user(
            cls.env, "pm_t_quality", groups=group + "quality", name="Quality"
        )
        cls.user_manager = new_test_user(
            cls.env, "pm_t_manager", groups=group + "manager", name="Manager"
        )
        cls.property_a.write(
            {
                "director_id": cls.user_director.id,
                "user_ids": [
                    (4, cls.user_technician.id),
                    (4, cls.user_agent.id),
                ],
            }
        )

    def _mail_mark(self):
        """The last mail.mail and mail.notification ids: what comes after them is
        what a step sent (``_mail_sent``)."""
        self.env.flush_all()
        return tuple(
            self.env[model].sudo().search([], order="id desc", limit=1).id
            for model in ("mail.mail", "mail.notification")
        )

    def _mail_sent(self, record, since):
        """Per recipient partner: (emails queued, notifications made) on
        ``record`` after ``since`` (``_mail_mark``), every email and notification
        counted, whatever its subject."""
        self.env.flush_all()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("id", ">", since[0]),
                    ("model", "=", record._name),
                    ("res_id", "=", record.id),
                ]
            )
        )
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("id", ">", since[1]),
                    ("mail_message_id.model", "=", record._name),
                    ("mail_message_id.res_id", "=", record.id),
                ]
            )
        )
        emails = Counter(p for mail in mails for p in mail.recipient_ids)
        notified = Counter(n.res_partner_id for n in notifications)
        return {
            partner: (emails[partner], notified[partner])
            for partner in set(emails) | set(notified)
        }


class PmCaseCommon(PmCommon, MailCase):
    """Cases of property A (Shanghai, standard 40 h calendar) with a responsible
    team, its leader, a director and a quality department, and mail mocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "pm_customer_service.group_pm_"
        cls.user_leader = new_test_user(
            cls.env,
            "pm_t_leader",
            groups=group + "agent",
            name="Leader A",
            email="leader@example.com",
        )
        cls.user_agent.email = "agent@example.com"
        cls.user_director.email = "director@example.com"
        cls.user_quality.email = "quality@example.com"
        cls.user_technician.email = "tech@example.com"
        cls.property_a.write(
            {
                "tz": "Asia/Shanghai",
                "resource_calendar_id": cls.env.ref(
                    "resource.resource_calendar_std"
                ).id,
                "user_ids": [(4, cls.user_leader.id)],
            }
        )
        cls.team = cls.env["pm.team"].create(
            {
                "name": "Engineering A",
                "team_type": "engineering",
                "property_id": cls.property_a.id,
                "leader_id": cls.user_leader.id,
                "member_ids": [(6, 0, (cls.user_leader | cls.user_technician).ids)],
            }
        )
        cls.quality_team = cls.env["pm.team"].create(
            {
                "name": "Quality Dept",
                "team_type": "quality",
                "leader_id": cls.user_quality.id,
            }
        )
        # other quality teams (demo data) must not catch the escalation
        cls.env["pm.team"].search(
            [("team_type", "=", "quality"), ("id", "!=", cls.quality_team.id)]
        ).write({"active": False})
        cls.Case = cls.env["pm.case"].with_user(cls.user_agent)

    def _case_vals(self, **values):
        vals = {
            "subject": "Water leaking",
            "description": "Water leaks from the ceiling of the bathroom.",
            "property_id": self.property_a.id,
            "unit_id": self.unit_a.id,
            "partner_id": self.owner.id,
            "team_id": self.team.id,
            "user_id": self.user_technician.id,
        }
        vals.update(values)
        return vals

    def _create_case(self, **values):
        return self.Case.create(self._case_vals(**values))

    def _mails_to(self, partner, subject_part=""):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", partner.ids)])
            .filtered(lambda m: subject_part in (m.subject or ""))
        )

    def _investigate_and_decide(self, case):
        case.write(
            {
                "investigation_facts": "Pipe joint cracked.",
                "investigation_cause": "Ageing pipe.",
                "proposed_solution": "Replace the joint.",
                "decision_measures": "Replace the joint and repaint the ceiling.",
                "decision_deadline": "2026-03-06",
            }
        )

    def _owner_decision(self, case, satisfaction, note=False, channel="phone"):
        """R-OWNER-1: the owner's answer given by phone, recorded by the agent
        with the tracked wizard (never a plain action of the staff)."""
        wizard = (
            self.env["pm.case.owner.decision"]
            .with_user(self.user_agent)
            .create(
                {
                    "case_id": case.id,
                    "channel": channel,
                    "satisfaction": satisfaction,
                    "note": note,
                }
            )
        )
        return wizard.action_confirm()

    @contextmanager
    def assertRaisesText(self, exception, text):
        """assertRaises (which rolls back to a savepoint, like a request would)
        that also checks the message shown to the user."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertIn(text, str(caught.exception))
