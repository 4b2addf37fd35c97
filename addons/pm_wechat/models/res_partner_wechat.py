# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

STAFF_GROUP = "pm_base.group_pm_agent"
# an invitation link opens the binding for a week, once
INVITE_DAYS = 7
WECHAT_FIELDS = {
    "pm_wechat_openid",
    "pm_wechat_company_id",
    "pm_wechat_invite_token",
    "pm_wechat_invite_company_id",
    "pm_wechat_invite_until",
}


class ResPartner(models.Model):
    """The owner's WeChat binding (issue 23): the openid the company's Official
    Account knows them by, stored the first time they open the portal from
    WeChat and prove who they are (an SMS code to their number, or an
    invitation link staff made for them). Staff see it and may unbind it;
    owners never change it."""

    _inherit = "res.partner"

    pm_wechat_openid = fields.Char(
        string="WeChat OpenID",
        copy=False,
        readonly=True,
        groups=STAFF_GROUP,
        help="The owner's openid at the company's WeChat Official Account, stored "
        "when they bound their WeChat.",
    )
    pm_wechat_company_id = fields.Many2one(
        "res.company",
        string="WeChat Account",
        copy=False,
        readonly=True,
        groups=STAFF_GROUP,
        help="The company whose Official Account the openid belongs to.",
    )
    pm_wechat_bound = fields.Boolean(
        string="WeChat Bound",
        compute="_compute_pm_wechat_bound",
        compute_sudo=True,
    )
    pm_wechat_invite_token = fields.Char(
        string="WeChat Invitation Token", copy=False, groups=STAFF_GROUP
    )
    pm_wechat_invite_company_id = fields.Many2one(
        "res.company",
        string="WeChat Invitation Account",
        copy=False,
        groups=STAFF_GROUP,
    )
    pm_wechat_invite_until = fields.Datetime(
        string="Invitation Valid Until", copy=False, groups=STAFF_GROUP
    )
    pm_wechat_invite_url = fields.Char(
        string="WeChat Invitation Link",
        compute="_compute_pm_wechat_invite_url",
        groups=STAFF_GROUP,
    )

    _pm_wechat_openid_unique = models.Constraint(
        "unique(pm_wechat_company_id, pm_wechat_openid)",
        "This WeChat is already bound to another contact of the company.",
    )
    _pm_wechat_invite_index = models.Index(
        "(pm_wechat_invite_token) WHERE pm_wechat_invite_token IS NOT NULL"
    )
    _pm_wechat_openid_index = models.Index(
        "(pm_wechat_openid) WHERE pm_wechat_openid IS NOT NULL"
    )

    @api.depends("pm_wechat_openid")
    def _compute_pm_wechat_bound(self):
        for partner in self:
            partner.pm_wechat_bound = bool(partner.pm_wechat_openid)

    @api.depends("pm_wechat_invite_token", "pm_wechat_invite_until")
    def _compute_pm_wechat_invite_url(self):
        now = fields.Datetime.now()
        for partner in self:
            valid = (
                partner.pm_wechat_invite_token
                and (partner.pm_wechat_invite_until or now) > now
            )
            partner.pm_wechat_invite_url = (
                f"{partner.get_base_url().rstrip('/')}/pm_wechat/invite/"
                f"{partner.pm_wechat_invite_token}"
                if valid
                else False
            )

    def write(self, vals):
        # the binding changes through the binding pages and the staff's
        # buttons only, never through a form or an RPC of an owner
        if WECHAT_FIELDS & set(vals) and not self.env.su:
            raise AccessError(
                self.env._("The WeChat binding changes through its buttons only.")
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS (staff)
    # ------------------------------------------------------------

    def _pm_check_staff(self):
        if not self.env.user.has_group(STAFF_GROUP):
            raise AccessError(
                self.env._("Only the service centre binds owners' WeChat.")
            )

    def action_pm_wechat_invite(self):
        """A new invitation link for the owner (valid a week, once): opened in
        WeChat, it binds the WeChat that opens it to this contact."""
        self._pm_check_staff()
        self.check_access("read")
        for partner in self:
            if not partner._pm_wechat_portal_user():
                raise UserError(
                    self.env._(
                        "%s has no portal account: grant portal access first.",
                        partner.display_name,
                    )
                )
            partner.sudo().write(
                {
                    "pm_wechat_invite_token": secrets.token_urlsafe(24),
                    "pm_wechat_invite_company_id": self.env.company.id,
                    "pm_wechat_invite_until": fields.Datetime.now()
                    + timedelta(days=INVITE_DAYS),
                }
            )
        return True

    def action_pm_wechat_unbind(self):
        """The owner changed WeChat or asked to stop: the binding is removed,
        their WeChat no longer signs them in nor gets messages."""
        self._pm_check_staff()
        self.check_access("read")
        self.sudo().write({"pm_wechat_openid": False, "pm_wechat_company_id": False})
        return True

    # ------------------------------------------------------------
    # BINDING
    # ------------------------------------------------------------

    def _pm_wechat_portal_user(self):
        """The one active portal user of the contact; none otherwise."""
        self.ensure_one()
        users = self.env["res.users"].sudo().search([("partner_id", "=", self.id)])
        if len(users) != 1 or not users._is_portal():
            return self.env["res.users"]
        return users

    @api.model
    def _pm_wechat_partner(self, company, openid):
        """The contact bound to ``openid`` at ``company``'s account."""
        if not openid:
            return self.browse()
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("pm_wechat_company_id", "=", company.id),
                    ("pm_wechat_openid", "=", openid),
                ],
                limit=1,
            )
        )

    def _pm_wechat_bind(self, company, openid):
        """Bind ``openid`` of ``company``'s account to the contact (proven by
        the caller: an SMS code or an invitation). A WeChat bound to another
        contact stays theirs."""
        self.ensure_one()
        partner = self.sudo()
        other = self._pm_wechat_partner(company, openid)
        if other and other != partner:
            raise UserError(
                self.env._(
                    "This WeChat is already bound to another owner. Ask the "
                    "service centre to unbind it."
                )
            )
        partner.write(
            {
                "pm_wechat_openid": openid,
                "pm_wechat_company_id": company.id,
                "pm_wechat_invite_token": False,
                "pm_wechat_invite_until": False,
            }
        )
        partner.message_post(
            body=self.env._("WeChat bound: the owner opens the portal from WeChat."),
            author_id=self.env.ref("base.partner_root").id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    @api.model
    def _pm_wechat_invitation(self, token):
        """The contact a valid invitation ``token`` is for, and the company
        whose account binds it."""
        if not isinstance(token, str) or not 16 <= len(token) <= 64:
            return self.browse()
        partner = self.sudo().search([("pm_wechat_invite_token", "=", token)], limit=1)
        if not partner or (partner.pm_wechat_invite_until or fields.Datetime.now()) < (
            fields.Datetime.now()
        ):
            return self.browse()
        return partner

    def _pm_channel_available(self, channel, company):
        """WeChat reaches the owner when their WeChat is bound to the company's
        account and the account is configured."""
        if channel != "wechat":
            return super()._pm_channel_available(channel, company)
        partner = self.sudo()
        if (
            company
            and company._pm_wechat_configured()
            and partner.pm_wechat_company_id == company
            and partner.pm_wechat_openid
        ):
            return True
        return super()._pm_channel_available(channel, company)
