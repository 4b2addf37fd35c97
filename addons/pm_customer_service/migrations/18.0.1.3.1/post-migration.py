# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The closure email asks for the owner's rating with links instead of a reply
nobody read: give existing databases the new text (the template is not
updated by an upgrade), unless an administrator changed it."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(
        "pm_customer_service.mail_template_pm_complaint_closure",
        raise_if_not_found=False,
    )
    if template and "reply to this email" in (template.body_html or ""):
        template.reset_template()
