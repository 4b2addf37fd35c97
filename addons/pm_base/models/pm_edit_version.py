# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrent edits: when two staff members edit the same record, the second
save is refused instead of silently overwriting the first one.

Odoo 18 no longer checks this by itself. A record's version is the instant of
its last change a person could see, to the microsecond (``pm_edit_version``):
the server's own bookkeeping (the escalation ladder stepping on, listed by
``_pm_version_bookkeeping_fields``) changes the record but not its version, so
a form open meanwhile still saves. Its forms load the version
(``_get_view`` adds the field), and the web client
(``static/src/js/pm_edit_version.js``) sends the version it loaded with each
save and each button of the form, in the context key ``EDIT_VERSION_KEY``:
``{"model": ..., "id": ..., "version": ...}``. A write of that very record whose
loaded version is no longer the current one is refused with the name of the
person who changed it and when. Writes without the key (RPC, crons, server
code, other records written by the same request) are not checked.
"""

from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import clock

EDIT_VERSION_KEY = "pm_loaded_version"
VERSION_FIELD = "pm_edit_version"
# the fields that stamp the version itself
VERSION_STAMPS = frozenset({"pm_edit_date", "pm_edit_uid"})


class PmEditVersionMixin(models.AbstractModel):
    """Refuse a save made from a form loaded before the record last changed."""

    _name = "pm.edit.version.mixin"
    _description = "Edit Version Mixin"

    pm_edit_version = fields.Char(
        string="Record Version", compute="_compute_pm_edit_version"
    )
    # the last change a person could see: when and by whom (empty on records
    # not changed since the check came: their last write counts)
    pm_edit_date = fields.Datetime(string="Last Edited On", readonly=True, copy=False)
    pm_edit_uid = fields.Many2one(
        "res.users", string="Last Edited By", readonly=True, copy=False
    )

    @api.depends("write_date", "pm_edit_date")
    def _compute_pm_edit_version(self):
        for record in self:
            record.pm_edit_version = record._pm_version_of(
                record.pm_edit_date or record.write_date
            )

    def _pm_version_bookkeeping_fields(self):
        """Fields the server writes for its own bookkeeping: a write of only
        these keeps the record's version. Mixins that keep such fields add
        theirs."""
        return frozenset()

    @api.model
    def _pm_version_of(self, write_date):
        """The version a record last changed at ``write_date`` has."""
        if not write_date:
            return False
        return write_date.isoformat(" ", "microseconds")

    # ------------------------------------------------------------
    # VIEWS
    # ------------------------------------------------------------

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        # every form loads the version it sends back with its saves
        if view_type == "form" and not arch.xpath(f"./field[@name='{VERSION_FIELD}']"):
            etree.SubElement(arch, "field", name=VERSION_FIELD, invisible="1")
        return arch, view

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def web_save(self, vals, specification, next_id=None):
        # the form's save: checked before anything of the record changes
        self._pm_check_edit_version()
        return super().web_save(vals, specification, next_id=next_id)

    def write(self, vals):
        # the buttons of the form (their actions write the record) and any
        # write made with the form's context
        self._pm_check_edit_version()
        if set(vals) - self._pm_version_bookkeeping_fields() - VERSION_STAMPS:
            vals = dict(vals, pm_edit_date=self.env.cr.now(), pm_edit_uid=self.env.uid)
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _pm_check_edit_version(self):
        """Refuse to change the record a form loaded when it changed since:
        the context names it and the version the form loaded."""
        loaded = self.env.context.get(EDIT_VERSION_KEY)
        if not isinstance(loaded, dict) or loaded.get("model") != self._name:
            return
        record_id = loaded.get("id")
        if not isinstance(record_id, int) or record_id not in self._ids:
            return
        record = self.browse(record_id).sudo()
        current = record.pm_edit_date or record.write_date
        # a record this transaction already changed was checked at its first
        # change (the transaction's changes share its timestamp)
        if not current or current == self.env.cr.now():
            return
        if loaded.get("version") == self._pm_version_of(current):
            return
        raise UserError(
            _(
                "%(model)s %(record)s was changed by %(user)s at %(time)s, after "
                "you opened it. Reload the page to see the changes, then make "
                "yours again.",
                model=self.env["ir.model"].sudo()._get(self._name).name,
                record=record.display_name,
                user=(record.pm_edit_uid or record.write_uid).name or _("the system"),
                time=clock.local_stamp(current, record._pm_version_tz()),
            )
        )

    def _pm_version_tz(self):
        """The time zone of the record's property (the service centre's own
        when it has none): the clock the error message tells the time by."""
        field = self._fields.get("property_id")
        if field and field.comodel_name == "pm.property":
            return self.property_id.tz
        return None
