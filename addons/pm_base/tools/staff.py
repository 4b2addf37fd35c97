# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fields that name staff on a record: internal users only, never the
portal account of an owner."""

from odoo import fields

STAFF_DOMAIN = "[('share', '=', False)]"


def user(string, **options):
    """One staff user (a Many2one to ``res.users``); ``options`` are further
    field attributes."""
    return fields.Many2one("res.users", string=string, domain=STAFF_DOMAIN, **options)


def users(relation, column, string=None, **options):
    """Staff users (a Many2many to ``res.users`` kept in the table ``relation``,
    ``column`` holding the record, ``user_id`` the user)."""
    return fields.Many2many(
        "res.users",
        relation,
        column,
        "user_id",
        string=string,
        domain=STAFF_DOMAIN,
        **options,
    )
