# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import subprocess
import tempfile
import unicodedata
from collections import Counter
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.mail.tests.common import MailCase
from odoo.addons.pm_base.models.pm_catalog_mixin import (
    PmCatalogMixin,
    PmListEntryMixin,
)
from odoo.addons.pm_base.tools.write_guard import retention_purge

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


def mixin_field_names(mixin_class):
    """The fields a mixin class defines itself."""
    return {
        name
        for name, value in vars(mixin_class).items()
        if isinstance(value, fields.Field)
    }


class SharedFieldsCase(TransactionCase):
    """Checks that models take the fields a mixin defines from it."""

    def assertFieldsFromMixin(self, mixin_class, model_classes, through=None):
        """The models take the fields of ``mixin_class`` from it, inheriting it
        (or ``through``, a mixin inheriting it) and defining none again."""
        names = mixin_field_names(mixin_class)
        self.assertTrue(names)
        for model_class in model_classes:
            model = self.env[model_class._name]
            if through:
                # a later module extending the model lists its own _inherit
                for parent in (through, mixin_class):
                    self.assertIsInstance(model, type(self.env[parent._name]))
            else:
                self.assertIn(mixin_class._name, model._inherit, model_class._name)
            self.assertFalse(names & set(vars(model_class)), model_class._name)
            mixin = self.env[mixin_class._name]
            for name in names:
                self.assertEqual(
                    self._field_signature(model._fields[name]),
                    self._field_signature(mixin._fields[name]),
                    f"{model_class._name}.{name}",
                )

    def assertCatalogEntries(self, model_class):
        """``model_class`` takes its list entry fields and order from pm_base."""
        self.assertFieldsFromMixin(PmCatalogMixin, [model_class])
        self.assertListEntries(model_class, PmCatalogMixin)
        model = self.env[model_class._name]
        self.assertEqual(model._order, "sequence, name, id")
        self.assertTrue(model._fields["name"].translate)

    def assertListEntries(self, model_class, mixin_class=PmListEntryMixin):
        """``model_class`` takes the name, order and archiving of a list entry
        from pm_base (through ``mixin_class``) and defines none of them."""
        names = mixin_field_names(PmListEntryMixin)
        self.assertEqual(names, {"name", "sequence", "active"})
        self.assertFieldsFromMixin(PmListEntryMixin, [model_class], mixin_class)
        model = self.env[model_class._name]
        self.assertTrue(model._fields["name"].translate)
        self.assertEqual(model._fields["sequence"].default(model), 10)
        self.assertTrue(model._fields["active"].default(model))

    @staticmethod
    def _field_signature(field):
        # a related field's compute is a method bound to its own field
        compute = None if field.related else field.compute
        return (field.type, field.required, field.store, field.related, compute)


class TwoProcessesCase(TransactionCase):
    """Two processes at once, with real cursors and commits: ``_create_data``
    commits the records the test needs (its result is ``self.data``), ``_envs``
    gives the two processes' environments, and ``_remove_data`` removes the
    records afterwards (kept records included)."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            self.data = self._create_data(api.Environment(cr, SUPERUSER_ID, {}))
            cr.commit()  # pylint: disable=invalid-commit
        self.crs = [self.registry.cursor(), self.registry.cursor()]
        self.addCleanup(self._clean_up)

    def _create_data(self, env):
        raise NotImplementedError

    def _remove_data(self, env):
        raise NotImplementedError

    def _clean_up(self):
        for cr in self.crs:
            cr.rollback()
            cr.close()
        with self.registry.cursor() as cr, retention_purge():
            self._remove_data(api.Environment(cr, SUPERUSER_ID, {}))
            cr.commit()  # pylint: disable=invalid-commit

    def _envs(self):
        return [api.Environment(cr, SUPERUSER_ID, {}) for cr in self.crs]

    def _committed_count(self, model, domain):
        """How many records match in what the processes committed."""
        with self.registry.cursor() as cr:
            return api.Environment(cr, SUPERUSER_ID, {})[model].search_count(domain)


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
        group = "pm_base.group_pm_"
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

    @classmethod
    def _visit_plan(cls, **vals):
        """A visit plan of property A for 2026 Q2 with unit A as target."""
        return cls.env["pm.visit.plan"].create(
            {
                "name": "Q2 visits",
                "property_id": cls.property_a.id,
                "date_start": "2026-04-01",
                "date_end": "2026-06-30",
                "unit_ids": [(6, 0, cls.unit_a.ids)],
                **vals,
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

    @classmethod
    def _team_a(cls, name, leader, members, team_type="engineering"):
        """A team of property A led by ``leader``."""
        return cls.env["pm.team"].create(
            {
                "name": name,
                "team_type": team_type,
                "property_id": cls.property_a.id,
                "leader_id": leader.id,
                "member_ids": [(6, 0, members.ids)],
            }
        )

    @classmethod
    def _technician_a(cls, login, name):
        """A technician of property A, in no team yet."""
        user = new_test_user(
            cls.env,
            login,
            groups="pm_base.group_pm_technician",
            name=name,
        )
        user.pm_property_ids = cls.property_a
        return user


class PmCaseCommon(PmCommon, MailCase):
    """Cases of property A (Shanghai, standard 40 h calendar) with a responsible
    team, its leader, a director and a quality department, and mail mocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "pm_base.group_pm_"
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
        cls.team = cls._team_a(
            "Engineering A", cls.user_leader, cls.user_leader | cls.user_technician
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
