# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one write guard of the service records: workflow fields change only
through their actions, the owner's answers only through the owner's decision,
closed records are frozen, kept records are not deleted (R-KEEP-1, R-OWNER-1),
and a record's property is one its author is assigned to.

Who is trusted (workflow actions, the retention purge) is said by
``odoo.addons.pm_base.tools.write_guard``.
"""

import logging

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import settings
from ..tools.write_guard import GUARD_MIXIN, is_purging, is_trusted, retention_purge

_logger = logging.getLogger(__name__)

RETENTION_PARAM = "pm_customer_service.retention_years"

# fields of these mixins (chatter, activities) may change on a frozen record
FREE_MIXINS = ("mail.thread", "mail.activity.mixin", "portal.mixin")


class PmWorkflowGuardMixin(models.AbstractModel):
    """One mechanism for the invariants of the service records.

    A model lists in ``_pm_protected_fields`` the state, approval, audit, KPI,
    escalation and counter fields that only its actions set; ``_pm_frozen_states``
    (values of ``_pm_frozen_field``) are the closed states where nothing but the
    reopen action changes the record; ``_pm_retention_kept`` says which records the
    SOP keeps (R-KEEP-1).

    ``_pm_owner_decision_fields`` hold the owner's answers (rating, quote,
    acceptance): only the owner's decision writes them, given on the portal or
    through a token link (as the superuser), or recorded by staff with the
    tracked wizard ``_pm_owner_decision_wizard`` naming how the owner gave it
    (R-OWNER-1). They are workflow fields too: a model lists each field once,
    in one of the two lists. (``pm.owner.decision.mixin`` is the wizards' side.)

    Staff edit these records together: a save from a form loaded before the
    record last changed is refused (``pm.edit.version.mixin``).
    """

    _name = GUARD_MIXIN
    _inherit = ["pm.edit.version.mixin"]
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
    # fields written only by the owner's decision (R-OWNER-1)
    _pm_owner_decision_fields = ()
    # the wizard staff record the owner's answer with, and its field that points
    # at the record
    _pm_owner_decision_wizard = None
    _pm_owner_decision_wizard_field = None

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not is_trusted(self.env):
            self = self._pm_guard_create(vals_list)
        else:
            self._pm_check_owner_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not is_trusted(self.env):
            self._pm_guard_write(vals)
        else:
            self._pm_check_owner_fields(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_retention_kept(self):
        # R-KEEP-1: kept, never deleted by the application; only the
        # administrator's retention purge removes records past the period
        self._pm_refuse_deleting(self._pm_retention_kept())

    @api.model
    def _pm_refuse_deleting(self, kept):
        """Refuse deleting the records ``kept`` (the SOP keeps them), except in
        the administrator's retention purge: the one retention rule, also used
        by records outside this mixin (e.g. the answers of a survey campaign)."""
        if not kept or is_purging():
            return
        raise UserError(
            _(
                "%(model)s %(records)s must be kept for the retention period and "
                "cannot be deleted.",
                model=kept._description,
                records=", ".join(kept[:5].mapped("display_name")),
            )
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_record_owner_decision(self):
        """R-OWNER-1: staff record the owner's answer given by phone, on paper or
        in person (tracked, naming the channel)."""
        self.ensure_one()
        if not self._pm_owner_decision_wizard:
            # a record holding no owner's answer
            return False
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Owner Decision"),
            "res_model": self._pm_owner_decision_wizard,
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{self._pm_owner_decision_wizard_field}": self.id},
        }

    # ------------------------------------------------------------
    # GUARDS
    # ------------------------------------------------------------

    @api.model
    def _pm_guard_create(self, vals_list):
        """Refuse protected values a caller sets on create; return ``self`` without
        the context defaults of protected fields (a caller chooses the context)."""
        self._pm_check_owner_create(vals_list)
        protected = self._pm_guarded_fields()
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
        # the owner's answers first: refused to staff whatever their value
        self._pm_check_owner_fields(vals)
        protected = self._pm_guarded_fields() & set(vals)
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

    @api.model
    def _pm_guarded_fields(self):
        """The fields only server code writes: the workflow fields, those of
        the model's engines and the owner's answers."""
        return (
            set(self._pm_protected_fields)
            | self._pm_engine_fields()
            | set(self._pm_owner_decision_fields)
        )

    @api.model
    def _pm_engine_fields(self):
        """The fields a mixin's engine sets by its actions only (e.g. the
        approval engine's steps): guarded without the model listing them."""
        return set()

    @api.model
    def _pm_check_owner_create(self, vals_list):
        for vals in vals_list:
            # a new record's form sends the owner's fields empty: not an answer
            self._pm_check_owner_fields({k: v for k, v in vals.items() if v})

    @api.model
    def _pm_check_owner_fields(self, vals):
        """R-OWNER-1: the owner's answers are never a plain write of a staff user
        (RPC, form or workflow action): they come from the owner's own decision
        or the wizard, both as the superuser."""
        if self.env.su or not self._pm_is_owner_answer(vals):
            return
        raise AccessError(
            _(
                "The owner's answers on %(model)s are given by the owner on the "
                "portal, or recorded by staff with 'Record Owner Decision' naming "
                "how the owner gave them.",
                model=self._description,
            )
        )

    @api.model
    def _pm_is_owner_answer(self, vals):
        """Whether ``vals`` writes an owner's answer."""
        return bool(set(self._pm_owner_decision_fields) & set(vals))

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
