# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.pm_base.tools.vocabulary import REQUEST_TYPES

from . import dispatch_rules


class PmDispatchRule(models.Model):
    """A dispatch rule an administrator edits (R-DISPATCH-2): requests matching
    its criteria go to its team, and to a member of the team chosen in turn or by
    the lightest open load. The first matching rule (by sequence) wins."""

    _name = "pm.dispatch.rule"
    _description = "Dispatch Rule"
    _inherit = ["pm.list.entry.mixin"]
    _order = "sequence, id"

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    target = fields.Selection(
        [("case", "Cases")],
        string="Applies To",
        required=True,
        default="case",
    )
    # criteria: an empty one matches anything
    property_id = fields.Many2one("pm.property", index=True, ondelete="cascade")
    request_type = fields.Selection(REQUEST_TYPES, string="Type")
    building_id = fields.Many2one(
        "pm.building", ondelete="cascade", domain="[('property_id', '=', property_id)]"
    )
    keywords = fields.Char(
        help="Comma-separated words; the rule applies when the subject or the "
        "description contains one of them (e.g. lift, elevator, 电梯).",
    )
    # result
    team_id = fields.Many2one("pm.team", required=True, ondelete="cascade")
    assign_method = fields.Selection(
        [
            ("leader", "Team Leader"),
            ("round_robin", "Round Robin"),
            ("least_load", "Least Open Load"),
        ],
        string="Assign To",
        required=True,
        default="round_robin",
        help="Team Leader: the leader dispatches further. Round Robin: the members "
        "in turn. Least Open Load: the member with the fewest open requests.",
    )
    # the turns of the round robin: a PostgreSQL sequence (its "next value" never
    # waits for another transaction and is never undone), so that simultaneous
    # requests taking the rule never write the rule's row
    turn_sequence_id = fields.Many2one(
        "ir.sequence", readonly=True, copy=False, ondelete="set null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        for rule in rules:
            rule.sudo().turn_sequence_id = rule._pm_new_turn_sequence()
        return rules

    def unlink(self):
        sequences = self.sudo().turn_sequence_id
        res = super().unlink()
        sequences.unlink()
        return res

    @api.constrains("team_id", "property_id", "building_id")
    def _check_team_property(self):
        for rule in self:
            team_prop = rule.team_id.property_id
            if rule.property_id and team_prop and team_prop != rule.property_id:
                raise ValidationError(
                    _(
                        "Team %(team)s does not work for property %(property)s.",
                        team=rule.team_id.display_name,
                        property=rule.property_id.display_name,
                    )
                )
            if (
                rule.building_id
                and rule.property_id
                and rule.building_id.property_id != rule.property_id
            ):
                raise ValidationError(
                    _(
                        "Building %(building)s is not in property %(property)s.",
                        building=rule.building_id.display_name,
                        property=rule.property_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _pm_criteria(self):
        """{key of the request values: this rule's criterion}"""
        self.ensure_one()
        return {
            "property_id": self.property_id.id,
            "request_type": self.request_type,
            "building_id": self.building_id.id,
        }

    @api.model
    def _pm_find(self, target, company_id, values, text):
        """The first active rule of ``target`` that takes a request with
        ``values`` (ids and selection keys) and ``text``."""
        rules = self.sudo().search(
            [
                ("target", "=", target),
                ("company_id", "=", company_id),
                "|",
                ("property_id", "=", False),
                ("property_id", "=", values.get("property_id")),
            ]
        )
        for rule in rules:
            if dispatch_rules.rule_matches(
                rule._pm_criteria(),
                dispatch_rules.parse_keywords(rule.keywords),
                values,
                text,
            ):
                return rule
        return rules.browse()

    @api.model
    def _pm_dispatch_vals(self, target, model_name, vals, values, text, user_field):
        """Apply the first rule of ``target`` matching a new ``model_name`` request
        (its creation ``vals``): the rule's team, and the member it picks in
        ``vals[user_field]``. ``values`` carries the request's property (required)
        and the criteria; returns the rule (empty when none)."""
        prop = self.env["pm.property"].sudo().browse(values["property_id"])
        rule = self._pm_find(target, prop.company_id.id, values, text)
        if rule:
            rule._pm_apply(model_name, vals, user_field)
        return rule

    def _pm_apply(self, model_name, vals, user_field):
        """Fill the creation ``vals`` of a new ``model_name`` request this rule
        takes: its team, and in ``vals[user_field]`` the member it picks."""
        self.ensure_one()
        vals["team_id"] = self.team_id.id
        user = self._pm_pick_user(model_name)
        if user:
            vals[user_field] = user.id

    @api.model
    def _pm_note_dispatched(self, records, rules):
        """Say in each record's chatter which rule dispatched it."""
        for record, rule in zip(records, rules, strict=True):
            if rule:
                record.message_post(
                    body=_("Dispatched by rule %s.", rule.name),
                    subtype_xmlid="mail.mt_note",
                )

    def _pm_pick_user(self, loads_model):
        """The team member who gets the next request; ``loads_model`` counts open
        requests per user for the least-load method. Writes nothing: requests
        arriving together never wait for each other here."""
        self.ensure_one()
        team = self.team_id.sudo()
        members = team.member_ids.filtered(lambda u: u.active and u._is_internal())
        if self.assign_method == "leader" or not members:
            return team.leader_id
        ids = members.ids
        if self.assign_method == "round_robin":
            user_id = dispatch_rules.pick_round_robin(ids, self._pm_next_turn())
        else:
            loads = self.env[loads_model]._pm_dispatch_loads(members)
            user_id = dispatch_rules.pick_least_load(ids, loads)
        return self.env["res.users"].browse(user_id)

    def _pm_next_turn(self):
        """The number of the next turn of the round robin (1, 2, ...), from the
        rule's sequence."""
        self.ensure_one()
        rule = self.sudo()
        if not rule.turn_sequence_id:
            # a rule made before the turns were numbered gets its sequence on
            # first use; the row lock makes two first requests make one (the
            # second is retried and finds it)
            self.env.cr.execute(
                "SELECT id FROM pm_dispatch_rule WHERE id = %s FOR NO KEY UPDATE",
                (rule.id,),
            )
            rule.invalidate_recordset(["turn_sequence_id"])
            if not rule.turn_sequence_id:
                rule.turn_sequence_id = rule._pm_new_turn_sequence()
        return int(rule.turn_sequence_id._next())

    def _pm_new_turn_sequence(self):
        """A new sequence counting the turns of this rule's round robin."""
        self.ensure_one()
        return (
            self.env["ir.sequence"]
            .sudo()
            .create(
                {
                    "name": _("Turns of dispatch rule %s", self.name),
                    "implementation": "standard",
                    "padding": 0,
                    "company_id": False,
                }
            )
        )
