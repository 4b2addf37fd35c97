# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

INSERT_CHUNK = 1000


class PmEscalationLog(models.Model):
    """What the escalation machinery already did (R-ESC-4).

    One row per (record, deadline kind, level): the unique constraint is the guard
    that makes every cron and automation rerun harmless, even when two runs overlap
    or a run dies half-way through a batch.
    """

    _name = "pm.escalation.log"
    _description = "Escalation Log"
    # R-KEEP-1: kept, never deleted by the application
    _inherit = ["pm.workflow.guard.mixin"]
    _order = "date desc, id desc"
    _rec_name = "kind"

    # the kind of record, by its name people read (报事, 整改记录), never the model
    res_model = fields.Selection(
        selection="_selection_res_model",
        string="Document Type",
        required=True,
        index=True,
        readonly=True,
    )
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    record_ref = fields.Reference(
        selection="_selection_res_model",
        string="Document",
        compute="_compute_record_ref",
    )
    record_name = fields.Char(string="Reference", compute="_compute_record_ref")
    # a technical key (acknowledge, resolve, resolve_2, door_visit, deadline): the
    # screens show ``kind_label``
    kind = fields.Char(required=True, readonly=True)
    kind_label = fields.Char(string="Escalated For", compute="_compute_kind_label")
    level = fields.Integer(
        required=True,
        readonly=True,
        help="0 reminder, 1 responsible person, 2 team leader, 3 director, "
        "4 quality department.",
    )
    level_label = fields.Char(string="Escalation Level", compute="_compute_kind_label")
    user_id = fields.Many2one("res.users", string="Notified User", readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    # record rules filter the log by property like the records it is about
    property_id = fields.Many2one("pm.property", index=True, readonly=True)

    _record_kind_level_uniq = models.Constraint(
        "unique(res_model, res_id, kind, level)",
        "This escalation step was already done for this record.",
    )

    @api.model
    def _selection_res_model(self):
        """The models escalating deadlines, named in the reader's language."""
        IrModel = self.env["ir.model"]
        return [
            (name, IrModel._get(name).name or name)
            for name in sorted(
                self.env.registry.descendants(["pm.escalation.mixin"], "_inherit")
            )
            if name != "pm.escalation.mixin" and not self.env[name]._abstract
        ]

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        # one read per model, not one per row; the log is already filtered by
        # property, and the record's number is all it shows of the record
        names = {}
        for model in set(self.mapped("res_model")):
            if model not in self.env:
                continue
            ids = self.filtered(lambda log, m=model: log.res_model == m).mapped(
                "res_id"
            )
            for record in self.env[model].sudo().browse(ids).exists():
                names[(model, record.id)] = record.display_name
        for log in self:
            name = names.get((log.res_model, log.res_id))
            log.record_name = name or False
            log.record_ref = f"{log.res_model},{log.res_id}" if name else False

    @api.depends("res_model", "kind", "level")
    @api.depends_context("lang")
    def _compute_kind_label(self):
        for log in self:
            Model = self.env[log.res_model] if log.res_model in self.env else None
            if Model is None or not hasattr(Model, "_pm_escalation_kind_label"):
                log.kind_label = log.level_label = False
                continue
            log.kind_label = Model._pm_escalation_kind_label(log.kind)
            log.level_label = Model._pm_escalation_step_label(log.kind, log.level)

    @api.depends("record_name", "kind_label", "level_label")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for log in self:
            parts = (log.record_name, log.kind_label, log.level_label)
            log.display_name = " · ".join(part for part in parts if part)

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS pm_escalation_log_record_idx "
            "ON pm_escalation_log (res_model, res_id)"
        )

    def _try_insert(
        self, res_model, res_id, kind, level, user_id, company_id, property_id=None
    ):
        """Record a step unless it exists; True when this call recorded it."""
        rows = [(res_model, res_id, kind, level, user_id, company_id, property_id)]
        return bool(self._try_insert_many(rows))

    def _try_insert_many(self, rows):
        """Record steps ``(res_model, res_id, kind, level, user_id, company_id,
        property_id)`` unless they exist; returns the ``(res_id, kind, level)``
        this call recorded.

        Plain SQL with ON CONFLICT so that a concurrent or repeated run neither
        fails nor sends twice: only the run that inserted a row notifies. One
        statement per chunk of steps, not one per step.
        """
        inserted = set()
        uid = self.env.uid
        for start in range(0, len(rows), INSERT_CHUNK):
            values = SQL(", ").join(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, now() at time zone 'UTC', %s, %s, "
                    "now() at time zone 'UTC', now() at time zone 'UTC')",
                    res_model,
                    res_id,
                    kind,
                    level,
                    user_id or None,
                    company_id or None,
                    property_id or None,
                    uid,
                    uid,
                )
                for (
                    res_model,
                    res_id,
                    kind,
                    level,
                    user_id,
                    company_id,
                    property_id,
                ) in rows[start : start + INSERT_CHUNK]
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO pm_escalation_log
                        (res_model, res_id, kind, level, user_id, company_id,
                         property_id, date, create_uid, write_uid, create_date,
                         write_date)
                    VALUES %s
                    ON CONFLICT (res_model, res_id, kind, level) DO NOTHING
                    RETURNING res_id, kind, level
                    """,
                    values,
                )
            )
            inserted.update(self.env.cr.fetchall())
        return inserted
