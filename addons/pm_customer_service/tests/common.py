# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import subprocess
import tempfile
import unicodedata
from collections import Counter
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.mail.tests.common import MailCase
from odoo.addons.pm_base.models.pm_catalog_mixin import (
    PmCatalogMixin,
    PmListEntryMixin,
)
from odoo.addons.pm_base.tools.write_guard import retention_purge

ESCALATION = "pm_base.mail_activity_type_pm_escalation"

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


def assert_table(case, function, rows):
    """Each row of ``rows`` is the arguments of ``function`` then what it returns:
    one subtest a row."""
    for *args, expected in rows:
        with case.subTest(args=args):
            case.assertEqual(function(*args), expected)


def about(records, prefix="", model_field="model"):
    """The domain of what is about ``records`` (mails; notifications with
    ``prefix`` ``mail_message_id.``; activities and log rows with ``model_field``
    ``res_model``)."""
    return [
        (prefix + model_field, "=", records._name),
        (prefix + "res_id", "in", records.ids),
    ]


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
            # whatever a later extension of the model lists in its own _inherit
            for parent in (through, mixin_class) if through else (mixin_class,):
                self.assertIsInstance(
                    model, type(self.env[parent._name]), model_class._name
                )
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

    def _commit(self, *envs):
        """The processes of ``envs`` commit, one after the other."""
        for env in envs:
            env.cr.commit()

    @staticmethod
    def _new_property(env, name, code, building, **values):
        """A property of 1,000 m2 (with ``values``) and its building named
        ``building``."""
        prop = env["pm.property"].create(
            {"name": name, "code": code, "total_floor_area": 1000, **values}
        )
        return prop, env["pm.building"].create(
            {"name": building, "code": f"{code}-1", "property_id": prop.id}
        )

    @staticmethod
    def _data_of(prop, building, **ids):
        """What ``_create_data`` returns: the ids of ``prop``, ``building`` and
        ``ids``, as ``_remove_property`` reads them."""
        return {"property": prop.id, "building": building.id, **ids}

    def _remove_property(self, env, models=()):
        """Removes the records of ``models`` (archived ones too) of the property
        ``self.data["property"]``, then its units, its building and itself."""
        prop = self.data["property"]
        for model in models:
            env[model].with_context(active_test=False).search(
                [("property_id", "=", prop)]
            ).unlink()
        env["pm.unit"].with_context(active_test=False).search(
            [("building_id", "=", self.data["building"])]
        ).unlink()
        env["pm.building"].browse(self.data["building"]).unlink()
        env["pm.property"].browse(prop).unlink()

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
        cls.unit_a = cls._occupied_unit(cls.building_a, "101", cls.owner)
        cls.unit_b = cls.env["pm.unit"].create(
            {"building_id": cls.building_b.id, "number": "101", "floor": 1, "area": 120}
        )
        cls.user_technician = cls._pm_user("pm_t_tech", "technician", name="Tech A")
        cls.user_agent = cls._pm_user("pm_t_agent", "agent", name="Agent A")
        cls.user_director = cls._pm_user("pm_t_director", "director", name="Director A")
        cls.user_quality = cls._pm_user("pm_t_quality", "quality", name="Quality")
        cls.user_manager = cls._pm_user("pm_t_manager", "manager", name="Manager")
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
    def _pm_user(cls, login, role, **values):
        """A test user (password = login) of the group ``pm_base.group_pm_<role>``,
        or of the group ``role`` when it is a full XML id."""
        groups = role if "." in role else "pm_base.group_pm_" + role
        return new_test_user(cls.env, login, groups=groups, **values)

    @classmethod
    def _company_2_user(cls, login, role, **values):
        """A user of ``role`` (as ``_pm_user``) of the other company only."""
        return cls._pm_user(
            login,
            role,
            company_id=cls.company_2.id,
            company_ids=[(6, 0, cls.company_2.ids)],
            **values,
        )

    @classmethod
    def _occupied_unit(cls, building, number, owners):
        """An occupied unit of 90 m2 on the first floor owned by ``owners``."""
        return cls.env["pm.unit"].create(
            {
                "building_id": building.id,
                "number": number,
                "floor": 1,
                "area": 90,
                "state": "occupied",
                "owner_ids": [(6, 0, owners.ids)],
            }
        )

    @classmethod
    def _chinese_env(cls):
        """zh_CN active with this addon's translations (the scripts load it at
        install time; a bare database loads it here): the environment in
        Chinese."""
        if not cls.env["res.lang"]._lang_get("zh_CN"):
            cls.env["res.lang"]._activate_lang("zh_CN")
            cls.env.ref("base.module_pm_customer_service")._update_translations(
                ["zh_CN"]
            )
        return cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def _owner_case_vals(self, defaults, **values):
        """A case of owner Wang on unit A-101: ``defaults``, then ``values``."""
        return {
            "property_id": self.property_a.id,
            "unit_id": self.unit_a.id,
            "partner_id": self.owner.id,
            **defaults,
            **values,
        }

    def _escalations(self, record, active=True):
        """The escalation activities of ``record``: the open ones, or the done
        ones kept as history (``active`` false)."""
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    *about(record, model_field="res_model"),
                    ("activity_type_id", "=", self.env.ref(ESCALATION).id),
                    ("active", "=", active),
                ]
            )
        )

    def _run_manually(self, xmlid, user=None):
        """ "Run Manually" on the scheduled action ``xmlid`` (as ``user``): the
        job runs as the scheduler runs it, in a transaction of its own (here a
        test cursor), as the cron's user, again while it reports work left."""
        cron = self.env.ref(xmlid)
        if user:
            cron = cron.with_user(user)
        with self.enter_registry_test_mode():
            result = cron.method_direct_trigger()
        # a failed run is logged and shown to the user, not raised
        self.assertIs(result, True, f"the run of {xmlid} failed")

    def _cron_worker_runs(self, xmlid, job, limit=20):
        """Run ``job(env)`` as a cron worker runs the scheduled action ``xmlid``:
        one run after the other, each in a transaction of its own with its
        progress record, while the last one reports work left (``limit`` runs at
        most). Returns the progress records, one per run."""
        cron = self.env.ref(xmlid)
        progress_ids = []
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            env = self.env(cr=cr, context=dict(self.env.context, cron_id=cron.id))
            for _run in range(limit):
                worker, progress = env["ir.cron"].browse(cron.id)._add_progress()
                # the test cursor's commits end a savepoint of the test
                cr.commit()  # pylint: disable=invalid-commit
                job(worker.env)
                cr.commit()  # pylint: disable=invalid-commit
                progress_ids.append(progress.id)
                if not progress.remaining:
                    break
        return self.env["ir.cron.progress"].browse(progress_ids)

    def _assert_agent_reads_property_a_only(self, record_a, record_b):
        """The agent finds records of property A only, reads ``record_a`` (of A)
        and not ``record_b`` (of B)."""
        Model = self.env[record_a._name].with_user(self.user_agent)
        self.assertEqual(Model.search([]).property_id, self.property_a)
        record_a.with_user(self.user_agent).read(["name"])
        with self.assertRaises(AccessError):
            record_b.with_user(self.user_agent).read(["name"])

    def _trace_counts(self, record):
        """How many activities, emails, notifications and escalation log rows
        there are about ``record``."""
        self.env.flush_all()
        return tuple(
            self.env[model].sudo().search_count(about(record, *where))
            for model, where in (
                ("mail.activity", ("", "res_model")),
                ("mail.mail", ()),
                ("mail.notification", ("mail_message_id.",)),
                ("pm.escalation.log", ("", "res_model")),
            )
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

    def _set_setting(self, field_name, value):
        """An administrator saves ``field_name`` in Settings › Property Service,
        as the settings screen does."""
        self._set_settings({field_name: value})

    def _set_settings(self, values):
        admin = self.env.ref("base.user_admin")
        self.env["res.config.settings"].with_user(admin).create(values).execute()

    @classmethod
    def _pm_production_mail(cls):
        """Mail as in production: tracking and its notifications on, the
        agent's ``Case``, the company's sender address."""
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.Case = cls.env["pm.case"].with_user(cls.user_agent)
        cls.env.company.email = "service@example.com"

    def _commit_work(self):
        """What a commit runs: tracking (pre-commit), flush, post-commit work."""
        self.env.cr.precommit.run()
        self.env.flush_all()
        self.env.cr.postcommit.run()

    def _emails_since(self, mark):
        """(new mail.mail, {partner: number of emails}) after the transaction's
        post-commit work since ``mark`` (``_mail_mark``): every mail.mail and
        every email notification counts, whatever its record or subject."""
        self._commit_work()
        mails = self.env["mail.mail"].sudo().search([("id", ">", mark[0])])
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search([("id", ">", mark[1]), ("notification_type", "=", "email")])
        )
        per_partner = Counter(p for mail in mails for p in mail.recipient_ids)
        for notification in notifications:
            # an email notification always has its mail.mail among the above;
            # one without would be an email sent some other way
            if (
                notification.res_partner_id
                not in notification.mail_mail_id.recipient_ids
            ):
                per_partner[notification.res_partner_id] += 1
        return mails, per_partner

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
        mails, notifications = (
            self.env[model].sudo().search([("id", ">", last), *about(record, prefix)])
            for model, last, prefix in (
                ("mail.mail", since[0], ""),
                ("mail.notification", since[1], "mail_message_id."),
            )
        )
        emails = Counter(p for mail in mails for p in mail.recipient_ids)
        notified = Counter(n.res_partner_id for n in notifications)
        return {
            partner: (emails[partner], notified[partner])
            for partner in set(emails) | set(notified)
        }

    @classmethod
    def _team(cls, name, leader, team_type, **values):
        """A team of ``team_type`` led by ``leader``."""
        return cls.env["pm.team"].create(
            {"name": name, "team_type": team_type, "leader_id": leader.id, **values}
        )

    @classmethod
    def _team_a(cls, name, leader, members, team_type="engineering"):
        """A team of property A led by ``leader``."""
        return cls._team(
            name,
            leader,
            team_type,
            property_id=cls.property_a.id,
            member_ids=[(6, 0, members.ids)],
        )

    @classmethod
    def _technician_a(cls, login, name):
        """A technician of property A, in no team yet."""
        user = cls._pm_user(login, "technician", name=name)
        user.pm_property_ids = cls.property_a
        return user


class PmCaseCommon(PmCommon, MailCase):
    """Cases of property A (Shanghai, standard 40 h calendar) with a responsible
    team, its leader, a director and a quality department, and mail mocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_leader = cls._pm_user(
            "pm_t_leader", "agent", name="Leader A", email="leader@example.com"
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
        cls.quality_team = cls._team("Quality Dept", cls.user_quality, "quality")
        # other quality teams (demo data) must not catch the escalation
        cls.env["pm.team"].search(
            [("team_type", "=", "quality"), ("id", "!=", cls.quality_team.id)]
        ).write({"active": False})
        cls.Case = cls.env["pm.case"].with_user(cls.user_agent)

    def _case_vals(self, **values):
        return self._owner_case_vals(
            {
                "subject": "Water leaking",
                "description": "Water leaks from the ceiling of the bathroom.",
                "team_id": self.team.id,
                "user_id": self.user_technician.id,
            },
            **values,
        )

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

    def _change_deadline(self, case, new_deadline, reason):
        """The deadline wizard applied on ``case`` (mails mocked)."""
        wizard = self.env["pm.case.deadline.wizard"].create(
            {"case_id": case.id, "new_deadline": new_deadline, "reason": reason}
        )
        with self.mock_mail_gateway():
            wizard.action_apply()

    def assertWritesRefused(self, record, *values_list):
        """Each of ``values_list`` written on ``record`` is refused: only the
        record's actions change these fields."""
        for values in values_list:
            with self.assertRaisesText(UserError, "only change through its actions"):
                record.write(values)

    @contextmanager
    def assertRaisesText(self, exception, text):
        """assertRaises (which rolls back to a savepoint, like a request would)
        that also checks the message shown to the user."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertIn(text, str(caught.exception))
