# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owner's repair form says what needs repairing (issue 21): the owner picks
the repair category (or 不确定) on 我的报事 › 新建报修, the server checks it, the
case keeps it, and the front desk's 受理 makes the repair order at once, with
the category, the unit and the slot. The desk sets it on a phone intake from the
case form. Times frozen in UTC; the property is in Asia/Shanghai (UTC+8)."""

import re
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon

REPAIR_FORM = "/my/cases/new?request_type=repair"
# Monday 2026-03-02 10:00 in Shanghai
T0 = datetime(2026, 3, 2, 2, 0)
OPTION_RE = re.compile(r'<option value="(\d*)"[^>]*>([^<]*)</option>')


@tagged("post_install", "-at_install", "pm_thread")
class TestPortalRepairCategory(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.property_a.tz = "Asia/Shanghai"
        cls.Category = cls.env["pm.repair.category"]
        cls.cat_water = cls.env.ref("pm_repair.pm_repair_category_water")
        cls.cat_retired = cls.Category.create(
            {"name": "Retired kind", "code": "retired_kind", "active": False}
        )
        cls.cat_other_company = cls.Category.create(
            {
                "name": "Other company's kind",
                "code": "other_company_kind",
                "company_id": cls.company_2.id,
            }
        )

    def _categories_offered(self, page):
        select = re.search(
            r'<select id="pm_repair_category_id"[^>]*>(.*?)</select>', page, re.S
        )
        self.assertTrue(select, "the form offers the repair category")
        return OPTION_RE.findall(select.group(1))

    def _submit(self, **values):
        """Owner Wang fills in the repair form for unit A-101 and submits."""
        return self._submit_form(
            REPAIR_FORM,
            allow_redirects=False,
            **{
                "request_type": "repair",
                "subject": "Kitchen tap drips",
                "description": "The kitchen tap drips all night.",
                "appointment_day": "2026-03-03",
                "appointment_window": "afternoon",
                **values,
            },
        )

    def test_form_offers_the_active_categories_in_chinese(self):
        self.portal_owner.lang = "zh_CN"
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open(REPAIR_FORM).text
        offered = self._categories_offered(page)
        # 不确定 first and chosen, then the active categories of the company in
        # the service centre's order, by their Chinese names
        self.assertEqual(offered[0], ("", "不确定（由服务中心判断）"))
        expected = self.Category.with_context(lang="zh_CN").search(
            [("company_id", "in", [False, self.company.id])]
        )
        self.assertEqual(
            offered[1:], [(str(c.id), c.name) for c in expected], "in sequence order"
        )
        self.assertIn((str(self.cat_water.id), "给水"), offered)
        ids = {int(i) for i, _name in offered[1:]}
        self.assertNotIn(self.cat_retired.id, ids)
        self.assertNotIn(self.cat_other_company.id, ids)
        self.assertIn("需要维修什么？", page)
        self.assertNotIn('<option value="" selected', page)
        # the repair's wording: 新建报修 and 提交报修 (the request's in the other
        # spans, shown when another kind is chosen)
        title = re.search(r'o_pm_case_new_title">(.*?)</h3>', page, re.S).group(1)
        self.assertIn('<span class="o_pm_repair_only">新建报修</span>', title)
        self.assertIn('<span class="o_pm_not_repair">新建报事</span>', title)
        self.assertRegex(page, r'breadcrumb-item active">\s*新建报修\s*</li>')
        button = re.search(r'o_pm_case_submit"[^>]*>(.*?)</button>', page, re.S)
        self.assertIn('<span class="o_pm_repair_only">提交报修</span>', button.group(1))
        self.assertRegex(page, r'id="pm_request_type_repair"[^>]* checked')

    def test_owner_chooses_and_desk_acknowledges_in_one_click(self):
        """Owner Wang asks for a water repair with a Tuesday-afternoon slot; the
        agent presses 受理: the order exists at once, linked to the request,
        with the category, the unit, the owner and the slot."""
        self.authenticate("pm_p_owner", "pm_p_owner")
        with freeze_time(T0):
            res, case = self._submit(repair_category_id=str(self.cat_water.id))
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.repair_category_id, self.cat_water)
        self.assertEqual((case.request_type, case.unit_id), ("repair", self.unit_a))
        self.assertTrue(case.to_acknowledge)
        self.assertFalse(case.repair_order_ids, "waits for the desk (待受理)")
        with freeze_time(T0.replace(minute=5)):
            action = case.with_user(self.user_agent).action_acknowledge()
        order = self.env["pm.repair.order"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "pm.repair.order")
        self.assertEqual(case.repair_order_ids, order)
        self.assertEqual(order.case_id, case)
        self.assertEqual(order.create_uid, self.user_agent)
        self.assertEqual(order.category_id, self.cat_water)
        self.assertEqual((order.unit_id, order.partner_id), (self.unit_a, self.owner))
        self.assertEqual(order.source, "portal")
        # Tuesday 3 March 14:00-18:00 in Shanghai
        self.assertEqual(
            (order.urgency, order.appointment_date, order.appointment_window),
            ("appointment", datetime(2026, 3, 3, 6, 0), "afternoon"),
        )
        self.assertFalse(case.to_acknowledge)

    def test_not_sure_leaves_the_choice_to_the_desk(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        with freeze_time(T0):
            res, case = self._submit(repair_category_id="")
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertFalse(case.repair_category_id)
        with freeze_time(T0.replace(minute=5)):
            action = case.with_user(self.user_agent).action_acknowledge()
        # the order form opens filled in, for the desk to choose the category
        self.assertNotIn("res_id", action)
        self.assertFalse(case.repair_order_ids)
        self.assertEqual(action["context"]["default_case_id"], case.id)

    def test_a_category_not_offered_creates_nothing(self):
        self.portal_owner.lang = "zh_CN"
        self.authenticate("pm_p_owner", "pm_p_owner")
        missing = self.Category.search([], order="id desc", limit=1).id + 1000
        for value in (
            str(missing),
            str(self.cat_retired.id),
            str(self.cat_other_company.id),
            "water",
            "-1",
        ):
            with freeze_time(T0):
                res, case = self._submit(repair_category_id=value)
            self.assertEqual(res.status_code, 400, value)
            self.assertFalse(case, "nothing is created")
            self.assertIn("不提供这类维修", res.text, value)
            self.assertIn("o_pm_portal_error", res.text)
            # the form is shown again with what the owner wrote
            self.assertIn("Kitchen tap drips", res.text)

    def test_other_kinds_keep_no_category(self):
        # a question sent with a category (a form left with it) stores none
        self.authenticate("pm_p_owner", "pm_p_owner")
        with freeze_time(T0):
            res, case = self._submit(
                request_type="consultation", repair_category_id=str(self.cat_water.id)
            )
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(case.request_type, "consultation")
        self.assertFalse(case.repair_category_id)

    def test_desk_sets_the_category_at_phone_intake(self):
        """The agent records a repair by phone on the case form, category
        included: 受理 then makes the order at once."""
        with freeze_time(T0):
            form = Form(self.env["pm.case"].with_user(self.user_agent))
            form.subject = "Toilet leaks"
            form.description = "The toilet of the bathroom leaks."
            form.property_id = self.property_a
            form.unit_id = self.unit_a
            form.partner_id = self.owner
            form.request_type = "repair"
            form.repair_category_id = self.cat_water
            case = form.save()
        self.assertEqual(case.repair_category_id, self.cat_water)
        with freeze_time(T0.replace(minute=5)):
            action = case.with_user(self.user_agent).action_acknowledge()
        order = self.env["pm.repair.order"].browse(action.get("res_id"))
        self.assertTrue(order.exists())
        self.assertEqual(
            (order.case_id, order.category_id, order.unit_id),
            (case, self.cat_water, self.unit_a),
        )
