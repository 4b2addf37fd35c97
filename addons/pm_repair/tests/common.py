# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import os
import pathlib
from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests.common import ChromeBrowser

from odoo.addons.pm_customer_service.tests.common import PmCommon
from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon

# a 1x1 PNG: what the signature widget stores
SIGNATURE = (
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAA"
    b"AABJRU5ErkJggg=="
)
# 2024-03-11 10:00 in Shanghai
T0 = datetime(2024, 3, 11, 2, 0, 0)
REPAIR_FORM = "/my/cases/new?request_type=repair"
# set to a folder to keep screenshots of the journeys' screens
SCREENSHOT_DIR = os.environ.get("PM_SCREENSHOT_DIR")


def minutes(value):
    return timedelta(minutes=value)


def water_repair_rule(env, category, team, **values):
    """A dispatch rule giving the repairs of ``category`` to ``team``."""
    return env["pm.dispatch.rule"].create(
        {
            "name": "Water repairs",
            "target": "repair",
            "category_id": category.id,
            "team_id": team.id,
            **values,
        }
    )


@contextmanager
def screenshot_browser(test):
    """A headless Chrome for ``test``'s screenshots, stopped (its requests
    waited for) when done."""
    browser = ChromeBrowser(test, headless=True, success_signal="-")
    try:
        yield browser
    finally:
        browser.stop()
        test._wait_remaining_requests()


def keep_screenshot(shot, name):
    """Write Chrome's ``Page.captureScreenshot`` answer as ``name``.png in
    PM_SCREENSHOT_DIR."""
    folder = pathlib.Path(SCREENSHOT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


class RepairFormMixin:
    """The owner's repair pages and forms (the request, the quote), for a
    PortalCommon test."""

    def _page(self, url):
        """The text of the portal page at ``url``, which opens."""
        res = self.url_open(url)
        self.assertEqual(res.status_code, 200)
        return res.text

    def _post_quote(self, order, decision, csrf=None, **extra):
        """The owner's answer to ``order``'s quote (the token of the session's
        login page unless ``csrf``)."""
        return self.url_open(
            f"/my/repairs/{order.id}/quote",
            data={
                "csrf_token": csrf or self._csrf("/web/login"),
                "decision": decision,
                **extra,
            },
            allow_redirects=False,
        )

    def _submit_repair(self, files=None, allow_redirects=True, **values):
        """Owner Wang fills in the repair form for unit A-101 with ``values``
        and submits it."""
        csrf, key = self._form_tokens(REPAIR_FORM)
        data = self._case_post_data(csrf, key, **{"request_type": "repair", **values})
        res = self.url_open(
            "/my/cases/submit", data=data, files=files, allow_redirects=allow_redirects
        )
        return res, self.env["pm.case"].search([("portal_submit_key", "=", key)])


class RepairPortalCommon(RepairFormMixin, PortalCommon):
    """PortalCommon's owners and cases, property A on Shanghai time and the water
    repair category."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.property_a.tz = "Asia/Shanghai"
        cls.cat_water = cls.env.ref("pm_repair.pm_repair_category_water")


class RepairCommon(PmCommon):
    """PmCommon's properties and users, plus an engineering team on property A,
    fee items and helpers that walk an order through its steps at fixed times."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.property_a.tz = "Asia/Shanghai"
        cls.property_b.tz = "Asia/Shanghai"
        cls.user_lead = cls._technician_a("pm_t_lead", "Lead A")
        cls.team_engineering = cls._team_a(
            "Engineering A", cls.user_lead, cls.user_lead | cls.user_technician
        )
        ref = cls.env.ref
        cls.cat_water = ref("pm_repair.pm_repair_category_water")
        cls.cat_leakage = ref("pm_repair.pm_repair_category_leakage")
        cls.cat_bathroom = ref("pm_repair.pm_repair_category_bathroom_leakage")
        cls.cat_drains = ref("pm_repair.pm_repair_category_drains")
        cls.cat_concealed = ref("pm_repair.pm_repair_category_concealed")
        cls.cat_public = ref("pm_repair.pm_repair_category_public")
        cls.fee_tap = cls.env["pm.repair.fee"].create(
            {"name": "Replace a tap", "uom": "piece", "price": 30.0}
        )
        cls.developer = cls.env["res.partner"].create(
            {"name": "Lakeside Developer Co.", "email": "dev@example.com"}
        )
        cls.other_partner = cls.env["res.partner"].create({"name": "Neighbour Li"})

    def _order(self, **values):
        return self._new_order(**{"technician_id": self.user_technician.id, **values})

    def _new_order(self, user=None, **values):
        """A water repair of unit A-101, made by ``user`` when given."""
        return self._of_unit_a(
            "pm.repair.order",
            user,
            **{
                "category_id": self.cat_water.id,
                "description": "Kitchen tap drips.",
                **values,
            },
        )

    def _of_unit_a(self, model, user=None, **values):
        """A ``model`` record of unit A-101, made by ``user`` when given."""
        records = self.env[model]
        if user:
            records = records.with_user(user)
        return records.create(
            {"property_id": self.property_a.id, "unit_id": self.unit_a.id, **values}
        )

    def _step(self, order, moment, *actions, **values):
        """Write ``values`` and run ``actions`` on ``order`` at ``moment``."""
        with freeze_time(moment):
            if values:
                order.write(values)
            for action in actions:
                getattr(order, action)()

    def _work(self, order, start=T0):
        """From intake at ``start`` to done, meeting every immediate target."""
        self._step(order, start + minutes(1), "action_dispatch")
        self._step(order, start + minutes(2), "action_take")
        self._step(order, start + minutes(8), "action_arrive")
        self._step(order, start + minutes(15), "action_diagnose", diagnosis="Worn")
        self._step(order, start + minutes(17), "action_propose_plan", plan="Fix it")
        if order.state == "quoted":
            self._owner_decides(order, start + minutes(20), "accept_quote", "phone")
        self._step(order, start + minutes(60), "action_done")

    def _accept(self, order, moment):
        """The owner signs the acceptance on the technician's screen."""
        self._owner_decides(
            order,
            moment,
            "accept",
            signature=SIGNATURE,
            signed_by=order.partner_id.name,
        )

    def _owner_decides(self, order, moment, decision, channel="in_person", **values):
        """R-OWNER-1: an owner's answer given to the technician (in person, by
        phone, on paper), recorded with the tracked wizard at ``moment``."""
        with freeze_time(moment):
            wizard = (
                self.env["pm.repair.owner.decision"]
                .with_user(self.user_technician)
                .create(
                    {
                        "order_id": order.id,
                        "decision": decision,
                        "channel": channel,
                        **values,
                    }
                )
            )
            return wizard.action_confirm()

    def _return_visit_done(self, order, satisfaction, result):
        """The order's return visit done with the owner's answer."""
        visit = order.return_visit_ids
        visit.write({"satisfaction": satisfaction, "result": result})
        visit.action_done()
        return visit

    @contextmanager
    def assertRaisesRollback(self, exception, regex):
        """Odoo's assertRaises (which rolls back to a savepoint, as a request
        would) plus a check of the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    def _new_order_at(self, moment, **values):
        with freeze_time(moment):
            return self._order(**values)

    def _diagnosed_paid_order(self, quantity):
        """An order of ``quantity`` taps, made at T0, diagnosed on site at T0+6."""
        order = self._new_order_at(
            T0, line_ids=[(0, 0, {"fee_id": self.fee_tap.id, "quantity": quantity})]
        )
        self._step(order, T0 + minutes(1), "action_dispatch")
        self._step(order, T0 + minutes(5), "action_arrive")
        self._step(order, T0 + minutes(6), "action_diagnose", diagnosis="Broken")
        return order
