# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A Chinese property company reads Chinese: every mail template and every PDF
report of the three addons, rendered for the demo records in zh_CN, has no English
word (other than codes and proper names) and no empty placeholder ("将于 前",
"尊敬的 ：", a label followed by nothing); times have no seconds, amounts are in
yuan, quantities read "1 套"."""

import html
import os
import re
import shutil
import subprocess
import unicodedata
import unittest

from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval, time

# the product's addons (scripts/_env.sh), pm_base aside: it shows nothing of its own
ADDONS = tuple(a for a in os.environ["PM_ADDONS"].split(",") if a != "pm_base")

# codes and proper names that stay in Latin letters in a Chinese text
ALLOWED_WORDS = {
    "LSG",  # property and unit codes (LSG-B1-101)
    "RSC",
    "PDF",
    "xlsx",
    "QR",  # 二维码 is written "QR 码" too
    "Odoo",
    "LED",
    "UTC",  # the time zone of a printing time (UTC+0800)
    "OK",  # Odoo's Chinese for a rating of "Okay"
}
# reference numbers (CS2612-00001, WX2612-0001), unit codes, e-mail addresses,
# links and the company's registration numbers
CODE_RE = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+"
    r"|\b[A-Z]{1,4}\d*(-[A-Z]*\d+)+\b|\b[0-9A-Z]{15,18}\b"
)
WORD_RE = re.compile(r"[A-Za-z]{2,}")
# a placeholder that rendered empty
EMPTY_RE = re.compile(
    r"将于\s*前|于\s*前|尊敬的\s*[：:，,]|Dear\s*,|[：:]\s*[，,。；;）)]|（\s*）|\(\s*\)"
    r"|\bNone\b|\bFalse\b|^\s*[，,、]"
)
SECONDS_RE = re.compile(r"\d{1,2}:\d{2}:\d{2}|\d+时\d+分\d+秒")
BLOCK_END_RE = re.compile(
    r"<(br|/p|/div|/tr|/h\d|/li|/table|/thead|/tbody)\b[^>]*>", re.I
)
CELL_END_RE = re.compile(r"<(/td|/th)\b[^>]*>", re.I)
# what must not reach a Chinese reader from Odoo itself: its footer credit (in
# English and in Odoo's Chinese), its "视图" (a screen layout) button, its "国际交流"
# preview of an internal note
ODOO_LEFTOVERS = (
    "Powered by",
    "utm_source=db",
    "提供支持",
    "技术提供",
    "视图",
    "国际交流",
)
# a model name (pm.case) or a key (door_visit, resolve_2) shown as such
TECHNICAL_RE = re.compile(r"\bpm\.\w+|\b[a-z]+_[a-z0-9_]+\b|: (acknowledge|resolve)$")


def html_to_lines(markup):
    """The text of an HTML document as a reader sees it, one block per line."""
    markup = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", "", markup)
    markup = BLOCK_END_RE.sub("\n", markup)
    markup = CELL_END_RE.sub(" | ", markup)
    text = html.unescape(re.sub(r"(?s)<[^>]+>", " ", markup))
    lines = (
        re.sub(r"[ \t\u00a0]+", " ", line).strip(" |") for line in text.splitlines()
    )
    return [line for line in lines if line.strip(" |")]


def english_words(text):
    words = WORD_RE.findall(CODE_RE.sub(" ", text))
    return sorted({word for word in words if word not in ALLOWED_WORDS})


@tagged("standard", "post_install")
class TestZhRendering(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["res.lang"]._lang_get("zh_CN"):
            raise unittest.SkipTest("zh_CN not loaded")
        cls.env = cls.env(context=dict(cls.env.context, lang="zh_CN"))
        cls.property = cls.env.ref("pm_customer_service.pm_property_demo")

    def _xmlid_records(self, model):
        data = self.env["ir.model.data"].search(
            [("model", "=", model), ("module", "in", ADDONS)]
        )
        return self.env[model].browse(data.mapped("res_id")).exists()

    def _records_for(self, model):
        """The demo records a template or report of ``model`` is rendered for."""
        Model = self.env[model]
        if model == "pm.property":
            return self.property
        domain = [("property_id", "=", self.property.id)]
        if "active" in Model._fields:
            Model = Model.with_context(active_test=False)
        records = Model.search(domain, order="id")
        if model == "pm.survey.distribution":
            # one answered, one handed out, one still to hand out per campaign
            records = records.browse(
                {
                    rec.id
                    for campaign in records.campaign_id
                    for state in ("returned", "distributed", "draft")
                    for rec in records.filtered(
                        lambda r, c=campaign, s=state: r.campaign_id == c
                        and r.state == s
                    )[:1]
                }
            )
        self.assertTrue(records, f"no demo record of {model} to render")
        return records

    def _problems(self, lines, where, labels_need_values=True):
        """What a Chinese reader would stumble on in ``lines``."""
        text = "\n".join(lines)
        problems = []
        words = english_words(text)
        if words:
            problems.append(f"{where}: English words {words}")
        problems += [
            f"{where}: empty placeholder: {line}"
            for line in lines
            if EMPTY_RE.search(line)
        ]
        if SECONDS_RE.search(text):
            problems.append(f"{where}: a time with seconds")
        if "$" in text:
            problems.append(f"{where}: dollars")
        if re.search(r"\d\.0 ?[^\d\s%]", text):
            problems.append(f"{where}: a quantity like 1.0 套")
        if labels_need_values:
            # a label ends a line only when its value follows on the next line
            for index, line in enumerate(lines):
                greeting = line.startswith(("尊敬的", "Dear")) or line.endswith(
                    "您好："
                )
                if line.endswith(("：", ":")) and not greeting:
                    following = lines[index + 1] if index + 1 < len(lines) else ""
                    if not following or re.match(r"^[^：:]{1,10}[：:]", following):
                        problems.append(f"{where}: label without a value: {line}")
        return problems

    def _check_text(self, lines, where, labels_need_values=True):
        problems = self._problems(lines, where, labels_need_values)
        self.assertFalse(problems, "\n".join(problems + lines))

    # ------------------------------------------------------------
    # EMAILS
    # ------------------------------------------------------------

    def test_every_mail_template_in_chinese(self):
        templates = self._xmlid_records("mail.template")
        self.assertGreaterEqual(len(templates), 13)
        ctx = {
            "pm_deadline_label": self.env["pm.case"]._pm_deadline_label("resolve"),
            "pm_escalation_label": self.env["pm.case"]._pm_level_label("2"),
            "visitor_name": self.env.ref(
                "pm_customer_service.res_users_agent_demo"
            ).name,
            "visit_count": 4,
            "first_due": self.property.create_date.date(),
        }
        rendered, problems = 0, []
        for template in templates:
            records = self._records_for(template.model_id.model)
            sender = template.with_context(**ctx)
            subjects = sender._render_field("subject", records.ids)
            bodies = sender._render_field("body_html", records.ids)
            for record in records:
                where = f"{template.name} / {record.display_name}"
                problems += self._problems([subjects[record.id]], where + " (subject)")
                problems += self._problems(html_to_lines(str(bodies[record.id])), where)
                rendered += 1
        self.assertFalse(problems, "\n".join(problems))
        self.assertGreater(rendered, 50)

    def test_owner_emails_go_out_in_chinese(self):
        """The language of an owner's email is the owner's: zh_CN for the demo."""
        template = self.env.ref("pm_customer_service.mail_template_pm_case_receipt")
        cases = self._records_for("pm.case").filtered("partner_id")
        langs = template._render_lang(cases.ids)
        self.assertEqual(set(langs.values()), {"zh_CN"})

    def test_demo_questionnaires_in_chinese(self):
        """The demo campaigns copied their questionnaire after the Chinese terms were
        loaded, and name it after the campaign, not "… (copy)"."""
        for campaign in self._records_for("pm.survey.campaign"):
            survey = campaign.survey_id
            self.assertEqual(survey.title, campaign.name)
            texts = survey.question_ids.mapped("title") + survey.question_ids.mapped(
                "suggested_answer_ids.value"
            )
            self.assertEqual(english_words(" ".join(texts)), [], campaign.name)

    def test_empty_fields_leave_no_gap(self):
        """A decision without deadline and a warranty order without developer do not
        read '将于 前完成' or '尊敬的 ：'."""
        case = self.env.ref("pm_customer_service.pm_case_portal_confirmation_demo")
        case.sudo().write({"decision_deadline": False, "appeal_channel": False})
        template = self.env.ref("pm_customer_service.mail_template_pm_case_decision")
        body = template._render_field("body_html", case.ids)[case.id]
        self.assertNotIn("将于", str(body))
        self._check_text(html_to_lines(str(body)), "decision without deadline")
        order = self.env.ref("pm_repair.pm_repair_order_warranty_demo")
        order.sudo().warranty_partner_id = False
        template = self.env.ref("pm_repair.mail_template_repair_warranty")
        lines = html_to_lines(
            str(template._render_field("body_html", order.ids)[order.id])
        )
        self.assertIn("尊敬的开发商：", lines)
        self._check_text(lines, "warranty without developer")

    # ------------------------------------------------------------
    # EMAILS AS SENT: LAYOUTS, BUTTONS, FOOTERS
    # ------------------------------------------------------------

    def _mail_problems(self, mails):
        """What a Chinese reader would stumble on in the emails as they leave:
        subject and body inside Odoo's notification layout."""
        problems = []
        for mail in mails:
            where = f"{mail.subject} (mail {mail.id})"
            body = str(mail.body_html or "")
            problems += self._problems([mail.subject or ""], where + " (subject)")
            problems += self._problems(
                html_to_lines(body), where, labels_need_values=False
            )
            for leftover in ODOO_LEFTOVERS:
                if leftover in body:
                    problems.append(f"{where}: {leftover!r}")
        return problems

    def test_emails_of_the_demo_in_chinese(self):
        """Every email the demo queued (receipts, assignments, escalations,
        activities, return visits...) reads Chinese once in its layout: no
        "视图 报事" button, no "Powered by Odoo", no "New rank" email."""
        mails = self.env["mail.mail"].search([("state", "=", "outgoing")])
        ours = mails.filtered(lambda m: (m.model or "").startswith("pm."))
        self.assertGreater(len(ours), 20)
        problems = self._mail_problems(mails)
        self.assertFalse(problems, "\n".join(problems))
        self.assertFalse(mails.filtered(lambda m: m.model == "res.users"))

    def test_notification_in_chinese(self):
        """A message staff post on a case reaches a colleague as "查看报事", in
        the company's layout without "Powered by Odoo"."""
        case = self.env.ref("pm_customer_service.pm_case_portal_received_demo")
        agent = self.env.ref("pm_customer_service.res_users_agent_demo")
        director = self.env.ref("pm_customer_service.res_users_director_demo")
        before = self.env["mail.mail"].search([], order="id desc", limit=1).id
        case.with_user(agent).message_post(
            body="请主任关注。",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=director.partner_id.ids,
        )
        case.with_user(agent).message_post(
            body="内部说明。",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=director.partner_id.ids,
        )
        mails = self.env["mail.mail"].search([("id", ">", before)])
        self.assertEqual(len(mails), 2)
        for mail in mails:
            self.assertIn("查看报事", str(mail.body_html))
        self.assertIn("内部消息", str(mails.sorted("id")[-1].body_html))
        problems = self._mail_problems(mails)
        self.assertFalse(problems, "\n".join(problems))

    def test_account_emails_without_powered_by(self):
        """Owners' invitation and password emails end with the company."""
        owner = self.env.ref("pm_customer_service.res_users_portal_owner_demo")
        reset = (
            self.env["mail.render.mixin"]
            .with_context(lang="zh_CN")
            ._render_template(
                self.env.ref("auth_signup.reset_password_email"),
                model="res.users",
                res_ids=owner.ids,
                engine="qweb_view",
                options={"post_process": True},
            )[owner.id]
        )
        self.assertIn("utm_source=db", str(reset), "Odoo's email has its credit")
        mails = self.env["mail.mail"].create(
            {"subject": "密码重置", "body_html": reset, "email_to": owner.email}
        )
        # the portal invitation (portal.wizard) sends it for the user
        welcome = self.env.ref("auth_signup.portal_set_password_email")
        mails |= mails.browse(welcome.send_mail(owner.id, force_send=False))
        self.assertEqual(len(mails), 2)
        for mail in mails:
            body = str(mail.body_html)
            for leftover in ODOO_LEFTOVERS:
                self.assertNotIn(leftover, body, mail.subject)
            self.assertIn(self.env.company.name, body, mail.subject)

    def test_security_notice_time_without_seconds(self):
        """The notice of a changed password gives its time to the minute."""
        owner = self.env.ref("pm_customer_service.res_users_portal_owner_demo")
        mails = (
            owner.with_context(lang="zh_CN")
            .sudo()
            ._notify_security_setting_update("安全更新：密码已更改", "您的密码已更改。")
        )
        self.assertEqual(len(mails), 1)
        body = str(mails.body_html)
        self.assertRegex(body, r"\d{1,2}:\d{2}")
        self.assertNotRegex(body, SECONDS_RE)

    # ------------------------------------------------------------
    # STAFF SCREENS
    # ------------------------------------------------------------

    def _list_cells(self, model, user, domain=()):
        """Each cell of ``model``'s list view as the web client shows it to
        ``user`` in Chinese (selection values by their label)."""
        Model = self.env[model].with_user(user).with_context(lang="zh_CN")
        views = Model.get_views([(False, "list")])
        arch = views["views"]["list"]["arch"]
        fields_desc = views["models"][model]["fields"]
        names = [
            name
            for name in re.findall(r'<field name="(\w+)"', arch)
            if name in fields_desc
        ]
        cells = []
        for row in Model.search_read(list(domain), names, limit=80):
            for name in names:
                value, desc = row[name], fields_desc[name]
                if desc["type"] in ("date", "datetime"):
                    continue  # the web client formats them by the language
                if desc["type"] == "selection" and value:
                    value = dict(desc["selection"])[value]
                elif desc["type"] == "many2one" and value:
                    value = value[1]
                if value not in (False, None, ""):
                    cells.append(f"{desc['string']}: {value}")
        return cells

    def test_escalation_log_in_chinese(self):
        """The escalation log reads 报事 CS2612-00006 · 处理时限 · 服务中心主任, not
        pm.case / resolve / 3; so does the case's escalation tab."""
        manager = self.env.ref("pm_customer_service.res_users_manager_demo")
        cells = self._list_cells("pm.escalation.log", manager)
        self.assertTrue(cells, "the demo escalated cases")
        problems = self._problems(cells, "escalation log", labels_need_values=False)
        problems += [cell for cell in cells if TECHNICAL_RE.search(cell)]
        self.assertFalse(problems, "\n".join(problems))
        self.assertTrue(any(cell.endswith(": 报事") for cell in cells), cells[:10])
        director = self.env.ref("pm_customer_service.res_users_director_demo")
        cases = (
            self.env["pm.case"]
            .with_user(director)
            .with_context(lang="zh_CN")
            .search([("escalation_kind", "!=", False)])
        )
        self.assertTrue(cases)
        labels = cases.mapped("escalation_kind_label")
        problems = self._problems(labels, "case escalation tab")
        problems += [label for label in labels if TECHNICAL_RE.search(label)]
        self.assertFalse(problems, "\n".join(problems))

    def test_selection_labels_in_chinese(self):
        """Every choice of every field of the three addons has a Chinese label
        (a field a model inherits from another addon's mixin included: the
        repair order's owner-decision dialog read "By Phone")."""
        env = self.env(context={"lang": "zh_CN"})
        models = (
            self.env["ir.model.data"]
            .search([("model", "=", "ir.model"), ("module", "in", ADDONS)])
            .mapped("res_id")
        )
        problems = []
        for model in self.env["ir.model"].browse(models).mapped("model"):
            if model not in env or env[model]._abstract:
                continue
            for name, field in env[model]._fields.items():
                if field.type != "selection" or not isinstance(field.selection, list):
                    continue
                if not model.startswith("pm.") and field._module not in ADDONS:
                    continue  # Odoo's own models and fields
                for value, label in field._description_selection(env):
                    if english_words(label):
                        problems.append(f"{model}.{name} {value}: {label}")
        self.assertFalse(problems, "\n".join(problems))

    # ------------------------------------------------------------
    # PDF REPORTS
    # ------------------------------------------------------------

    def test_every_report_in_chinese(self):
        reports = self._xmlid_records("ir.actions.report")
        self.assertGreaterEqual(len(reports), 5)
        company = self.env.company
        problems = []
        for report in reports:
            records = self._records_for(report.model)
            markup, _kind = self.env["ir.actions.report"]._render_qweb_html(
                report.report_name, records.ids
            )
            lines = html_to_lines(markup.decode())
            text = "\n".join(lines)
            # tables of a printed form have empty cells to fill in by hand
            problems += self._problems(lines, report.name, labels_need_values=False)
            if company.name not in text:
                problems.append(f"{report.name}: no company name in the header")
            for leftover in ("Your logo", "YourCompany", "美国", "San Francisco"):
                if leftover in text:
                    problems.append(f"{report.name}: {leftover}")
            # the download is named in Chinese too
            filename = self._print_name(report, records[:1])
            if english_words(filename):
                problems.append(f"{report.name}: file name {filename}")
        self.assertFalse(problems, "\n".join(problems))

    def _print_name(self, report, record):
        return safe_eval(report.print_report_name, {"object": record, "time": time})

    @unittest.skipUnless(shutil.which("pdftotext"), "pdftotext (poppler-utils) missing")
    def test_repair_order_pdf_in_chinese(self):
        """A real PDF (wkhtmltopdf) of the portal owner's quoted repair order."""
        order = self.env.ref("pm_repair.pm_repair_order_portal_quoted_demo")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("pm_repair.action_report_pm_repair_order", order.ids)
        )
        self.assertEqual(kind, "pdf")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        text = unicodedata.normalize("NFKC", text)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        self._check_text(lines, "repair order PDF", labels_need_values=False)
        flat = re.sub(r"\s+", "", text)
        for expected in (
            self.env.company.name,
            "维修工单",
            "业主联",
            "入户门锁开关卡滞",
            "门锁",
            "1套",
            "¥60.00",
        ):
            self.assertIn(expected, flat)
        self.assertNotIn("Yourlogo", flat)
