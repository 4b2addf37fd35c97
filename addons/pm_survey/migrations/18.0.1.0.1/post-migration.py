# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Campaigns now count their returned forms apart from their ratings, and add each
form to their figures as it comes back: count the answers of the existing campaigns
once."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    campaigns = env["pm.survey.campaign"].with_context(active_test=False).search([])
    campaigns._recompute_statistics()
