# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmProperty(models.Model):
    _inherit = "pm.property"

    committee_ids = fields.One2many("pm.committee", "property_id", "Owners' Committees")
    # the members of its committees in office: who reads the approved minutes
    pm_committee_member_ids = fields.One2many(
        "pm.committee.member", "property_id", "Committee Members"
    )
