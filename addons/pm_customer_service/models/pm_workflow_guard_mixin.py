# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Records that hold: workflow fields change only through their actions, closed
records are frozen, kept records are not deleted (R-KEEP-1), and a record's
property is one its author is assigned to.

Why a context variable and not a context key: RPC callers choose the context of
their calls, but not the value of a variable of this Python module. Only server
code (an ``action_*`` method after its own checks, a wizard, a cron, a private
business method that RPC cannot call) sets it.
"""

import contextlib
import contextvars
import functools
import logging

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.pm_base.tools import settings

_logger = logging.getLogger(__name__)

GUARD_MIXIN = "pm.workflow.guard.mixin"
RETENTION_PARAM = "pm_customer_service.retention_years"

_TRUSTED = contextvars.ContextVar("pm_workflow_trusted", default=False)
_PURGE = contextvars.ContextVar("pm_retention_purge", default=False)

# fields of these mixins (chatter, activities) may change on a frozen record
FREE_MIXINS = ("mail.thread", "mail.activity.mixin", "portal.mixin")


@contextlib.contextmanager
def workflow_writes():
    """Let the enclosed server code write workflow fields."""
    token = _TRUSTED.set(True)
    try:
        yield
    finally:
        _TRUSTED.reset(token)


@contextlib.contextmanager
def retention_purge():
    """Let the enclosed server code delete kept records (the retention purge)."""
    token = _PURGE.set(True)
    trusted = _TRUSTED.set(True)
    try:
        yield
    finally:
        _TRUSTED.reset(trusted)
        _PURGE.reset(token)


def workflow_action(method):
    """Decorate an action, wizard step or business method that writes workflow
    fields after checking the group and the transition itself."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with workflow_writes():
            return method(self, *args, **kwargs)

    return wrapper


def is_trusted(env):
    """True for the superuser, crons running as such, and workflow actions."""
    return env.su or _TRUSTED.get()


def is_purging():
    return _PURGE.get()


class PmWorkflowGuardMixin(models.AbstractModel):
    """One mechanism for the invariants of the service records.

    A model lists in ``_pm_protected_fields`` the state, approval, audit, KPI,
    escalation and counter fields that only its actions set; ``_pm_frozen_states``
    (values of ``_pm_frozen_field``) are the closed states where nothing but the
    reopen action changes the record; ``_pm_retention_kept`` says which records the
    SOP keeps (R-KEEP-1).
    """

    _name = GUARD_MIXIN
    _description = "Workflow Guard Mixin"

    _pm_protected_fields = ()
    # what the owner or the front desk recorded (who, where, what was asked):
    # only users of ``_pm_desk_group`` change it, e.g. not the technician doing
    # the work (issue 21)
    _pm_desk_fields = ()
    _pm_desk_group = "pm_base.group_pm_agent"
    _pm_frozen_field = "state"
    _pm_frozen_states = ()
    # further fields that may change on a frozen record (archiving, colour)
    _pm_frozen_free_fields = ("active", "color")

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not is_trusted(self.env):
            self = self._pm_guard_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not is_trusted(self.env):
            self._pm_guard_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_retention_kept(self):
        # R-KEEP-1: archived, never deleted by the application; only the
        # administrator's retention purge removes records past the period
        if is_purging():
            return
        kept = self._pm_retention_kept()
        if kept:
            raise UserError(
                _(
                    "%(model)s %(records)s must be kept for the retention period: "
                    "archive it instead of deleting it.",
                    model=self._description,
                    records=", ".join(kept[:5].mapped("display_name")),
                )
            )

    # ------------------------------------------------------------
    # GUARDS
    # ------------------------------------------------------------

    @api.model
    def _pm_guard_create(self, vals_list):
        """Refuse protected values a caller sets on create; return ``self`` without
        the context defaults of protected fields (a caller chooses the context)."""
        protected = set(self._pm_protected_fields)
        context = self.env.context
        forged = [
            key
            for key in context
            if key.startswith("default_") and key[8:] in protected
        ]
        if forged:
            # dropping keys needs a new context, not an update of it
            clean = {key: value for key, value in context.items() if key not in forged}
            self = self.with_context(clean)  # pylint: disable=context-overridden
        defaults = None
        for vals in vals_list:
            names = protected & set(vals)
            if not names:
                continue
            if defaults is None:
                defaults = self.default_get(list(protected))
            changed = [
                name
                for name in names
                if not self._pm_same_value(self.browse(), name, vals[name], defaults)
            ]
            if changed:
                self._pm_raise_protected(changed)
        self._pm_check_property_vals(vals_list)
        return self

    def _pm_guard_write(self, vals):
        protected = set(self._pm_protected_fields) & set(vals)
        changed = [
            name
            for name in protected
            if any(not self._pm_same_value(record, name, vals[name]) for record in self)
        ]
        if changed:
            self._pm_raise_protected(changed)
        self._pm_guard_desk_fields(vals)
        frozen = self._pm_frozen_records()
        if frozen:
            free = set(self._pm_frozen_free_fields)
            for mixin in FREE_MIXINS:
                if mixin in self.env:
                    free |= set(self.env[mixin]._fields)
            edited = [
                name
                for name in set(vals) - free
                if any(
                    not self._pm_same_value(record, name, vals[name])
                    for record in frozen
                )
            ]
            if edited:
                raise UserError(
                    _(
                        "%(model)s %(record)s is closed and cannot be changed any "
                        "more; reopen it first if it has to be processed again.",
                        model=self._description,
                        record=frozen[0].display_name,
                    )
                )
        if "property_id" in vals:
            self._pm_check_property_vals([vals])

    def _pm_guard_desk_fields(self, vals):
        """Refuse changes to ``_pm_desk_fields`` from users outside
        ``_pm_desk_group``: the technician works on what the owner and the front
        desk recorded, and asks the desk to correct it."""
        desk = set(self._pm_desk_fields) & set(vals)
        if not desk or self._pm_may_change_desk_fields(desk):
            return
        changed = [
            name
            for name in desk
            if any(not self._pm_same_value(record, name, vals[name]) for record in self)
        ]
        if changed:
            labels = ", ".join(
                sorted(
                    self._fields[name].get_description(self.env)["string"]
                    for name in changed
                )
            )
            raise UserError(
                _(
                    "%(fields)s of %(model)s were recorded by the owner or the "
                    "service centre: ask the front desk to change them.",
                    fields=labels,
                    model=self._description,
                )
            )

    def _pm_may_change_desk_fields(self, names):
        """Whether the current user may change the desk fields ``names`` of
        these records: the users of ``_pm_desk_group``; a model widens it (e.g.
        the team leader who dispatches their team's orders)."""
        return self.env.user.has_group(self._pm_desk_group)

    @api.model
    def _pm_same_value(self, record, name, value, defaults=None):
        """Whether writing ``value`` leaves field ``name`` of ``record`` (or, with
        ``defaults``, the default of a new record) as it is."""
        field = self._fields[name]
        try:
            new = field.convert_to_record(
                field.convert_to_cache(value, record, validate=False), record
            )
            if defaults is not None:
                old = field.convert_to_record(
                    field.convert_to_cache(defaults.get(name), record, validate=False),
                    record,
                )
            else:
                old = record[name]
        except (ValueError, TypeError, KeyError):
            return False
        if field.type in ("many2one", "many2many", "one2many"):
            return set(new.ids) == set(old.ids)
        return (new or False) == (old or False)

    def _pm_raise_protected(self, names):
        labels = ", ".join(
            sorted(
                self._fields[name].get_description(self.env)["string"] for name in names
            )
        )
        raise UserError(
            _(
                "%(fields)s of %(model)s only change through its actions (the "
                "buttons of the form), not by editing the record.",
                fields=labels,
                model=self._description,
            )
        )

    def _pm_frozen_records(self):
        """The records of ``self`` in a closed state."""
        if not self._pm_frozen_states or self._pm_frozen_field not in self._fields:
            return self.browse()
        return self.filtered(
            lambda r: r[self._pm_frozen_field] in self._pm_frozen_states
        )

    def _pm_retention_kept(self):
        """Records of ``self`` the SOP keeps (R-KEEP-1); drafts that were never
        processed may be deleted. Override per model."""
        return self

    @api.model
    def _pm_retention_purge_domain(self, cutoff):
        """Records past the retention period ``cutoff`` (a datetime) that the
        administrator's purge removes: closed and untouched since the cutoff.
        None for records purged with their parent."""
        domain = [("write_date", "<", cutoff)]
        if self._pm_frozen_states and self._pm_frozen_field in self._fields:
            domain.append((self._pm_frozen_field, "in", list(self._pm_frozen_states)))
        return domain

    @api.model
    def _pm_check_property_vals(self, vals_list):
        """A record's property is one its author is assigned to (staff below the
        quality department, who see every property of their company)."""
        if "property_id" not in self._fields or is_trusted(self.env):
            return
        user = self.env.user
        if user.share or user.has_group("pm_base.group_pm_quality"):
            return
        allowed = set(user.pm_property_ids.ids)
        for vals in vals_list:
            prop_id = vals.get("property_id")
            if prop_id and prop_id not in allowed:
                raise AccessError(
                    _(
                        "You can only record %(model)s for the properties you are "
                        "assigned to.",
                        model=self._description,
                    )
                )

    # ------------------------------------------------------------
    # RETENTION (R-KEEP-1)
    # ------------------------------------------------------------

    @api.model
    def _pm_guarded_models(self):
        """Names of the concrete models using this mixin."""
        return [
            name
            for name in self.env[GUARD_MIXIN]._inherit_children
            if name in self.env and not self.env[name]._abstract
        ]

    @api.model
    def _pm_retention_cutoff(self):
        # never below the SOP's minimum, whatever the setting says (the setting's
        # floor)
        years = settings.get(self.env, RETENTION_PARAM)
        return fields.Datetime.now() - relativedelta(years=years)

    @api.model
    def _pm_retention_purge(self):
        """Delete the closed records past the retention period; an
        administrator's action only. Returns {model: count}."""
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(_("Only an administrator can purge kept records."))
        cutoff = self._pm_retention_cutoff()
        purged = {}
        with retention_purge():
            for name in self._pm_guarded_models():
                Model = self.env[name].sudo().with_context(active_test=False)
                domain = Model._pm_retention_purge_domain(cutoff)
                if domain is None:
                    continue
                records = Model.search(domain)
                if records:
                    purged[name] = len(records)
                    records.unlink()
        _logger.info("Retention purge before %s: %s", cutoff, purged)
        return purged
