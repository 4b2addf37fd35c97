# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Notices and open letters to the owners (物业管理公告, 致业主的一封信): drafted by
customer service, signed off by the service-centre director (seed 003 §4.2.5.1,
"经主任审核签字后统一向业主/用户转发"), published on the owners' portal and sent to
each owner, registered with number, date, approver and recipients (《文件发放登记表》,
seed 003 §4.2.6.4; seed 001 品质 §四.6)."""

import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import is_html_empty

from odoo.addons.pm_base.tools import approvals, clock, cron, rates
from odoo.addons.pm_base.tools.approvals import GROUP, ApprovalStep
from odoo.addons.pm_base.tools.write_guard import workflow_action, workflow_writes

_logger = logging.getLogger(__name__)

SEND_CRON = "pm_notice.ir_cron_pm_notice_send"
MAIL_TEMPLATE = "pm_notice.mail_template_pm_notice"
SEQUENCE_CODE = "pm.notice"
SEQUENCE_TEMPLATE = "pm_notice.seq_pm_notice"
# owners emailed per run of the sending job
SEND_BATCH_SIZE = 200

NOTICE_TYPES = [
    ("notice", "Notice"),
    ("letter", "Open Letter to Owners"),
]


def is_live(publish_date, expiry_date, today):
    """Whether a published notice is shown on ``today`` (the property's date):
    from its publication day to its expiry day, both included."""
    if publish_date and today < publish_date:
        return False
    return not (expiry_date and today > expiry_date)


class PmNotice(models.Model):
    _name = "pm.notice"
    _description = "Notice to Owners"
    _inherit = [
        "pm.property.bound.mixin",
        "pm.approval.mixin",
        "pm.workflow.guard.mixin",
    ]
    _order = "publish_date desc, id desc"
    _pm_protected_fields = (
        "number",
        "audience_partner_ids",
        "audience_count",
        "sent_partner_ids",
        "send_pending",
        "publish_user_id",
        "published_on",
    )
    # submitted, the text is the one the director signs; signed and published,
    # it is what the owners got (seed 003 §4.2.5.3, §4.2.6.5)
    _pm_frozen_states = ("submitted", "approved", "published")
    _pm_frozen_free_fields = ("active", "color", "expiry_date")

    number = fields.Char(readonly=True, copy=False, index=True)
    name = fields.Char(string="Title", required=True, tracking=True)
    notice_type = fields.Selection(
        NOTICE_TYPES, string="Type", required=True, default="notice", tracking=True
    )
    body = fields.Html(required=True, sanitize_style=True)
    access_url = fields.Char(
        compute="_compute_access_url", help="The notice's page on the portal."
    )
    property_id = fields.Many2one(tracking=True)
    building_ids = fields.Many2many(
        "pm.building",
        "pm_notice_building_rel",
        "notice_id",
        "building_id",
        string="Buildings",
        domain="[('property_id', '=', property_id)]",
        help="Only the owners and tenants of these buildings; empty: the whole "
        "property.",
    )
    publish_date = fields.Date(
        tracking=True,
        help="Shown to the owners from this day (the property's date); empty: the "
        "day it is published.",
    )
    expiry_date = fields.Date(
        tracking=True,
        help="Last day the owners see the notice on their portal; empty: always.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "pm_notice_attachment_rel",
        "notice_id",
        "attachment_id",
        string="Attachments",
    )
    survey_analysis_id = fields.Many2one(
        "pm.survey.analysis",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)
    state = approvals.state_field(
        [
            ("approved", "Approved"),
            ("published", "Published"),
        ],
        readonly=True,
        help="Drafted by customer service, approved by the service-centre "
        "director, then published to the owners.",
    )
    submit_user_id = fields.Many2one(
        "res.users", "Drafted By", readonly=True, copy=False
    )
    submit_date = fields.Datetime("Submitted On", readonly=True, copy=False)
    approve_user_id = fields.Many2one(
        "res.users", "Approved By", readonly=True, copy=False
    )
    approve_date = fields.Datetime("Approved On", readonly=True, copy=False)
    publish_user_id = fields.Many2one(
        "res.users", "Published By", readonly=True, copy=False
    )
    published_on = fields.Datetime(readonly=True, copy=False)
    # who the notice went to, fixed when it is published (the register's
    # recipients), and who has had their email queued
    audience_partner_ids = fields.Many2many(
        "res.partner",
        "pm_notice_audience_rel",
        "notice_id",
        "partner_id",
        string="Recipients",
        readonly=True,
        copy=False,
    )
    audience_count = fields.Integer("Recipients Count", readonly=True, copy=False)
    sent_partner_ids = fields.Many2many(
        "res.partner",
        "pm_notice_sent_rel",
        "notice_id",
        "partner_id",
        string="Emailed",
        readonly=True,
        copy=False,
    )
    send_pending = fields.Boolean(readonly=True, copy=False, index=True)
    read_ids = fields.One2many("pm.notice.read", "notice_id", string="Reads")
    read_count = fields.Integer(compute="_compute_read_count", string="Read")
    read_rate_display = fields.Char(compute="_compute_read_count", string="Read Rate")
    is_live = fields.Boolean(
        compute="_compute_is_live",
        string="On the Portal",
        help="Published and between its publication and expiry days at the "
        "property.",
    )

    _number_company_unique = models.Constraint(
        "UNIQUE(company_id, number)", "A notice number is used once per company."
    )
    _dates_check = models.Constraint(
        "CHECK(expiry_date IS NULL OR publish_date IS NULL "
        "OR expiry_date >= publish_date)",
        "A notice cannot expire before it is published.",
    )

    @api.depends("read_ids", "audience_count")
    def _compute_read_count(self):
        counts = dict(
            self.env["pm.notice.read"]
            .sudo()
            ._read_group([("notice_id", "in", self.ids)], ["notice_id"], ["__count"])
        )
        for notice in self:
            notice.read_count = counts.get(notice, 0) if notice.id else 0
            # R-RATE-1: "—" without an audience
            notice.read_rate_display = rates.format_rate(
                rates.rate(
                    min(notice.read_count, notice.audience_count),
                    notice.audience_count,
                ),
                "%",
            )

    @api.depends("state", "publish_date", "expiry_date", "property_id.tz")
    def _compute_is_live(self):
        for notice in self:
            notice.is_live = notice.state == "published" and is_live(
                notice.publish_date,
                notice.expiry_date,
                notice.property_id.sudo()._pm_today(),
            )

    @api.constrains("building_ids", "property_id")
    def _check_buildings(self):
        for notice in self:
            if notice.building_ids.property_id - notice.property_id:
                raise ValidationError(
                    _(
                        "The buildings of notice %s must belong to its property.",
                        notice.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        notices = super().create(vals_list)
        for notice in notices:
            number = notice._pm_next_number()
            with workflow_writes():
                notice.number = number
        return notices

    def _pm_retention_kept(self):
        return self.filtered(lambda notice: notice.state != "draft")

    @api.depends("number", "name")
    def _compute_display_name(self):
        for notice in self:
            notice.display_name = (
                f"{notice.number} {notice.name}" if notice.number else notice.name
            )

    # ------------------------------------------------------------
    # APPROVAL (R-APPROVE-1; seed 003 §4.2.5.1)
    # ------------------------------------------------------------

    @api.model
    def _pm_approval_steps(self):
        """Drafted by customer service, signed off by the service-centre
        director; sent back, the notice keeps who drafted it."""
        return (
            self._pm_approval_submission(
                "submit_user_id", "submit_date", kept_on_reject=True
            ),
            ApprovalStep(
                "approve",
                "submitted",
                "approved",
                GROUP + "director",
                "approve_user_id",
                "approve_date",
                summary=_("Notice to be approved by the director"),
            ),
        )

    def action_submit(self):
        """The author sends the draft to the director; never an empty one."""
        for notice in self:
            if is_html_empty(notice.body):
                raise UserError(
                    _("Notice %s has no text: write it before sending it.", notice.name)
                )
        return self._pm_approval_advance("submit")

    def action_approve(self):
        """The director signs the notice off ("同意", seed 003 §4.2.5.3)."""
        return self._pm_approval_advance("approve")

    @workflow_action
    def action_publish(self):
        """Publish approved notices (the director): the owners and tenants of
        the property or buildings see them on their portal and are each sent one
        email through the mail queue (R-MAIL-1); the notice enters the document
        register with its recipients."""
        if not (self.env.su or self.env.user.has_group(GROUP + "director")):
            raise AccessError(_("Only the service-centre director publishes notices."))
        for notice in self:
            if notice.state != "approved":
                raise UserError(
                    _(
                        "Notice %s is not approved: only an approved notice is "
                        "published.",
                        notice.name,
                    )
                )
        for notice in self:
            today = notice.property_id.sudo()._pm_today()
            audience = notice._pm_audience()
            notice.write(
                {
                    "state": "published",
                    "publish_date": notice.publish_date or today,
                    "publish_user_id": self.env.uid,
                    "published_on": fields.Datetime.now(),
                    "audience_partner_ids": [fields.Command.set(audience.ids)],
                    "audience_count": len(audience),
                    "send_pending": bool(audience),
                }
            )
            notice.message_post(
                subtype_xmlid="mail.mt_note",
                body=_(
                    "Published to %(count)s owners and tenants by %(user)s, %(when)s",
                    count=len(audience),
                    user=self.env.user.name,
                    when=clock.local_stamp(notice.published_on, notice.property_id.tz),
                ),
            )
        self.env.ref(SEND_CRON)._trigger()
        return True

    def action_view_reads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_notice.pm_notice_read_action"
        )
        action["domain"] = [("notice_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # AUDIENCE AND SENDING
    # ------------------------------------------------------------

    def _pm_audience(self):
        """The owners and tenants of the units of the notice's property, or of
        its buildings when it names some: each partner once."""
        self.ensure_one()
        domain = Domain("property_id", "=", self.property_id.id)
        if self.building_ids:
            domain &= Domain("building_id", "in", self.building_ids.ids)
        units = self.env["pm.unit"].sudo().search(domain)
        return units.owner_ids | units.tenant_ids

    @api.model
    def _pm_audience_domain(self, partner):
        """Published notices whose audience counts ``partner`` (or its
        household)."""
        partners = partner | partner.commercial_partner_id
        return Domain("state", "=", "published") & Domain(
            "audience_partner_ids", "in", partners.ids
        )

    @workflow_action
    def _compute_access_url(self):
        for notice in self:
            notice.access_url = f"/my/notices/{notice.id}" if notice.id else False

    @workflow_action
    def _pm_send_to_owners(self, partners):
        """Send this notice to ``partners``, each once on their own channel
        (WeChat, SMS or email, R-CHANNEL-1), queued. The one place a notice
        reaches owners."""
        self.ensure_one()
        template = self.env.ref(MAIL_TEMPLATE).sudo()
        router = self.env["pm.owner.notify"].sudo()
        notice = self.with_context(pm_sms_mass=True)
        values = None
        for partner in partners:
            if values is None:
                values = notice._pm_channel_values()
            router._pm_notify(
                notice, "notice", partner, values=values, email_template=template
            )
        self.sent_partner_ids = [fields.Command.link(p.id) for p in partners]

    def _pm_channel_values(self):
        """What an SMS or WeChat message of the notice says."""
        self.ensure_one()
        return {
            "property": self.property_id.name or "",
            "notice_title": self.name or "",
            "notice_link": f"{self.get_base_url().rstrip('/')}{self.access_url}",
        }

    def _pm_owner_email(self, template, partner):
        """The notice's email to one owner (the router's email channel): not a
        message of the notice's chatter per owner, the register counts the
        recipients."""
        self.ensure_one()
        lang = self.company_id.partner_id.lang
        return template.with_context(
            pm_notice_recipient_id=partner.id,
            pm_notice_lang=partner.lang or lang,
        ).send_mail(
            self.id,
            force_send=False,
            email_values={"model": False, "res_id": False},
        )

    @api.model
    @cron.exclusive_run
    @workflow_action
    def _cron_send(self, batch_size=SEND_BATCH_SIZE):
        """Send the published notices to their recipients, ``batch_size`` owners
        a run, never twice (who was sent to is kept); notices published with a
        later publication day wait for that day at their property."""
        sent = 0
        for notice in self.search([("send_pending", "=", True)], order="id"):
            if notice.publish_date > notice.property_id._pm_today():
                continue
            todo = notice.audience_partner_ids - notice.sent_partner_ids
            batch = todo[: max(batch_size - sent, 0)]
            notice._pm_send_to_owners(batch)
            sent += len(batch)
            if batch == todo:
                notice.send_pending = False
            if sent >= batch_size:
                break
        remaining = self.search_count(Domain("send_pending", "=", True))
        if cron.scheduled(self.env):
            cron.commit_progress(self.env, sent, remaining)
        elif remaining and sent >= batch_size:
            self.env.ref(SEND_CRON)._trigger()
        return True

    # ------------------------------------------------------------
    # NUMBERING
    # ------------------------------------------------------------

    def _pm_next_number(self):
        """The next number of the notice's company: each company numbers its
        own documents (a sequence per company, made from the template the first
        time)."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", SEQUENCE_CODE), ("company_id", "=", self.company_id.id)],
            limit=1,
        )
        if not sequence:
            sequence = (
                self.env.ref(SEQUENCE_TEMPLATE)
                .sudo()
                .copy(
                    {
                        "code": SEQUENCE_CODE,
                        "company_id": self.company_id.id,
                        "number_next": 1,
                    }
                )
            )
        return sequence.next_by_id()

    # ------------------------------------------------------------
    # PORTAL
    # ------------------------------------------------------------

    def _pm_signature(self):
        """Who signs the notice: the property's service centre, in the
        context's language."""
        self.ensure_one()
        return self.env._("%s Service Centre", self.property_id.sudo().name)

    def _pm_portal_date(self, value, lang_code):
        """A date as the owner reads it (2026年12月08日 in zh_CN, R-TZ-2)."""
        self.ensure_one()
        lang = self.env["res.lang"]._lang_get(lang_code) or self.env["res.lang"]
        date_format = clock.reader_date_format(
            lang_code, lang.date_format or "%Y-%m-%d"
        )
        return clock.owner_text(value, self.property_id.sudo().tz, date_format)
