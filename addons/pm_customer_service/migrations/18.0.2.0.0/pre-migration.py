# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.0: the case model is ``pm.case`` (it was ``pm.complaint``), its stage
``pm.case.stage`` and its wizards ``pm.case.*``; the fields ``complaint_id(s)``
that point at a case are ``case_id(s)``.

Renamed in SQL before the models load, so that the ORM finds its tables, columns,
models, fields and external ids under the new names and keeps every record, message,
follower, activity, attachment, rating, tracking value, alias and setting attached
to them (the ids do not change). Does nothing on a database already renamed, nor
when the module's code still defines the old model.

rename_case: keep  (the renaming tool leaves this file as it is)
"""

import logging
import re
from pathlib import Path

from odoo.tools import SQL
from odoo.tools.sql import column_exists, rename_column, table_exists

_logger = logging.getLogger(__name__)

OLD_MODEL = "pm.complaint"
NEW_MODEL = "pm.case"
OLD_FIELDS = ("complaint_id", "complaint_ids")
# database objects named after them
OLD_NAMES = "pm_complaint|complaint_id"
# the technical tokens of the renaming, as the renaming tool changes the code
TOKENS = (
    (re.compile(r"\bpm\.complaint\b"), "pm.case"),
    (re.compile(r"pm_complaint"), "pm_case"),
    (re.compile(r"(?<![A-Za-z0-9])complaint_id(s?)(?![A-Za-z0-9_])"), r"case_id\1"),
)
# in the names of indexes and constraints, a suffix follows the column's name
# (pm_repair_order__complaint_id_index, pm_repair_order_complaint_id_fkey)
OBJECT_TOKENS = (
    *TOKENS[:2],
    (re.compile(r"(?<![A-Za-z0-9])complaint_id(s?)(?![A-Za-z0-9])"), r"case_id\1"),
)
# the same, in PostgreSQL's regular expressions (applied in this order)
PG_TOKENS = (
    (r"\mpm\.complaint\M", "pm.case"),
    ("pm_complaint", "pm_case"),
    (r"(?<![A-Za-z0-9])complaint_id(s?)(?![A-Za-z0-9_])", r"case_id\1"),
)
PG_OBJECT_TOKENS = (
    *PG_TOKENS[:2],
    (r"(?<![A-Za-z0-9])complaint_id(s?)(?![A-Za-z0-9])", r"case_id\1"),
)
# columns that hold the name of a model
MODEL_NAME_COLUMNS = (
    "model",
    "res_model",
    "parent_res_model",
    "model_name",
    "relation",
    "resource",
    "res_model_name",
    "render_model",
    "model_id",
)
# stored code, domains, contexts and templates that name models, fields or xml ids:
# records kept by updates (noupdate data, users' filters and customisations)
CODE_COLUMNS = {
    "ir_rule": ("domain_force",),
    "ir_filters": ("domain", "context", "sort"),
    "ir_act_window": ("domain", "context"),
    "ir_act_server": ("code",),
    "ir_act_report_xml": ("report_name", "print_report_name", "attachment"),
    "ir_ui_view": ("arch_db",),
    "ir_ui_view_custom": ("arch",),
    "ir_model_fields": ("related", "depends", "compute", "domain"),
    "ir_exports_line": ("name",),
    "mail_template": (
        "subject",
        "body_html",
        "email_from",
        "email_to",
        "email_cc",
        "partner_to",
        "reply_to",
        "lang",
        "scheduled_date",
    ),
    "mail_alias": ("alias_defaults",),
    "ir_config_parameter": ("key", "value"),
}


def rename(name, tokens=TOKENS):
    for pattern, repl in tokens:
        name = pattern.sub(repl, name)
    return name


def rename_object(name):
    """The new name of a table, sequence, index or constraint."""
    return rename(name, OBJECT_TOKENS)


def _code_renamed(cr):
    """The module's code defines pm.case (the renaming tool was applied)."""
    models = Path(__file__).resolve().parents[2] / "models"
    return any(
        f'_name = "{NEW_MODEL}"' in path.read_text(encoding="utf-8")
        for path in models.glob("*.py")
    )


def _models(cr):
    cr.execute(
        "SELECT model FROM ir_model WHERE model = %s OR model LIKE %s",
        (OLD_MODEL, OLD_MODEL.replace("_", r"\_") + ".%"),
    )
    return {old: rename(old) for (old,) in cr.fetchall()}


def _alter(cr, statement, *names):
    """An ALTER statement on database objects (names quoted as identifiers)."""
    cr.execute(SQL(statement, *(SQL.identifier(name) for name in names)))


def _rename_pg_objects(cr):
    """Tables, sequences, indexes, columns and constraints named after the model."""
    cr.execute(
        """
        SELECT c.relname, c.relkind FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'S')
           AND c.relname LIKE '%%pm\\_complaint%%'
        """
    )
    for name, kind in cr.fetchall():
        new = rename_object(name)
        if kind == "r" and table_exists(cr, new):
            _logger.warning("table %s and %s both exist: %s kept", name, new, name)
            continue
        verb = "TABLE" if kind == "r" else "SEQUENCE"
        _alter(cr, f"ALTER {verb} %s RENAME TO %s", name, new)
        _logger.info("renamed %s %s to %s", verb.lower(), name, new)
    # columns of the many2many tables (pm_complaint_id) and of the renamed fields
    cr.execute(
        """
        SELECT c.table_name, c.column_name FROM information_schema.columns c
          JOIN information_schema.tables t
            ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
           AND c.column_name LIKE '%%pm\\_complaint%%'
        """
    )
    for table, column in cr.fetchall():
        if not column_exists(cr, table, rename_object(column)):
            rename_column(cr, table, column, rename_object(column))
    # constraints first (their indexes follow), then the other indexes
    cr.execute(
        r"""
        SELECT cl.relname, co.conname FROM pg_constraint co
          JOIN pg_class cl ON cl.oid = co.conrelid
          JOIN pg_namespace n ON n.oid = cl.relnamespace
         WHERE n.nspname = current_schema()
           AND co.conname ~ %s
        """,
        (OLD_NAMES,),
    )
    for table, name in cr.fetchall():
        new = rename_object(name)
        if new != name:
            _alter(cr, "ALTER TABLE %s RENAME CONSTRAINT %s TO %s", table, name, new)
    cr.execute(
        r"""
        SELECT indexname FROM pg_indexes
         WHERE schemaname = current_schema()
           AND indexname ~ %s
        """,
        (OLD_NAMES,),
    )
    for (name,) in cr.fetchall():
        new = rename_object(name)
        if new != name:
            _alter(cr, "ALTER INDEX %s RENAME TO %s", name, new)


def _rename_fields(cr, models):
    """complaint_id(s) -> case_id(s): the columns and the fields' rows."""
    cr.execute(
        """
        SELECT f.id, f.model, f.name, f.ttype, f.store FROM ir_model_fields f
         WHERE f.name IN %s AND f.model LIKE 'pm.%%'
           AND NOT EXISTS (
               SELECT 1 FROM ir_model_fields g
                WHERE g.model = f.model AND g.name = %s || substr(f.name, 13))
        """,
        (OLD_FIELDS, "case_id"),
    )
    for field_id, model, name, ttype, store in cr.fetchall():
        new = rename(name)
        table = rename(model).replace(".", "_")
        if (
            store
            and ttype == "many2one"
            and column_exists(cr, table, name)
            and not column_exists(cr, table, new)
        ):
            rename_column(cr, table, name, new)
        cr.execute(
            "UPDATE ir_model_fields SET name = %s WHERE id = %s", (new, field_id)
        )
        # the one2many fields whose inverse it is
        cr.execute(
            "UPDATE ir_model_fields SET relation_field = %s"
            " WHERE relation_field = %s AND relation IN %s",
            (new, name, (model, rename(model))),
        )
        _logger.info("renamed field %s.%s to %s", model, name, new)
    # the fields' many2many tables and their columns (relation_table, column1/2)
    cr.execute(
        """
        UPDATE ir_model_fields
           SET relation_table = replace(relation_table, 'pm_complaint', 'pm_case'),
               column1 = replace(column1, 'pm_complaint', 'pm_case'),
               column2 = replace(column2, 'pm_complaint', 'pm_case')
         WHERE relation_table LIKE '%pm\\_complaint%'
            OR column1 LIKE '%pm\\_complaint%' OR column2 LIKE '%pm\\_complaint%'
        """
    )
    cr.execute(
        """
        UPDATE ir_model_relation SET name = replace(name, 'pm_complaint', 'pm_case')
         WHERE name LIKE '%pm\\_complaint%'
        """
    )
    _rename_names(cr, "ir_model_constraint", PG_OBJECT_TOKENS)


def _renamed_sql(value, tokens=PG_TOKENS):
    """The SQL expression of ``rename(value)``."""
    for pattern, repl in tokens:
        value = SQL("regexp_replace(%s, %s, %s, 'g')", value, pattern, repl)
    return value


def _rename_model_names(cr, models):
    """Every column that stores a model's name: ir_model, ir_model_fields, views,
    actions, messages, followers, activities, attachments, ratings, templates,
    subtypes, activity types, filters, exports, the escalation log..."""
    cr.execute(
        """
        SELECT c.table_name, c.column_name FROM information_schema.columns c
          JOIN information_schema.tables t
            ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
           AND c.column_name IN %s
           AND c.data_type IN ('character varying', 'text')
        """,
        (MODEL_NAME_COLUMNS,),
    )
    columns = cr.fetchall()
    for old, new in models.items():
        for table, column in columns:
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s = %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    new,
                    SQL.identifier(column),
                    old,
                )
            )
            if cr.rowcount:
                _logger.info("%s.%s: %s rows renamed", table, column, cr.rowcount)
        # reference fields: "pm.complaint,42"
        cr.execute(
            """
            SELECT f.model, f.name FROM ir_model_fields f
             WHERE f.ttype = 'reference' AND f.store
            """
        )
        for model, name in cr.fetchall():
            table = model.replace(".", "_")
            if column_exists(cr, table, name):
                cr.execute(
                    SQL(
                        "UPDATE %s SET %s = %s || substr(%s, %s) WHERE %s LIKE %s",
                        SQL.identifier(table),
                        SQL.identifier(name),
                        new + ",",
                        SQL.identifier(name),
                        len(old) + 2,
                        SQL.identifier(name),
                        old.replace("_", r"\_") + ",%",
                    )
                )
        # the sequence of the references (code 'pm.complaint')
        cr.execute("UPDATE ir_sequence SET code = %s WHERE code = %s", (new, old))
        # selection values naming the model (the escalation log's record types)
        cr.execute(
            "UPDATE ir_model_fields_selection SET value = %s WHERE value = %s",
            (new, old),
        )


def _rename_names(cr, table, tokens=PG_TOKENS):
    """The names of external ids or constraints (unique per module)."""
    expr = _renamed_sql(SQL("t.name"), tokens)
    cr.execute(
        SQL(
            """
            UPDATE %s t SET name = %s
             WHERE t.name ~ %s
               AND NOT EXISTS (
                   SELECT 1 FROM %s o WHERE o.module = t.module AND o.name = %s)
            """,
            SQL.identifier(table),
            expr,
            OLD_NAMES,
            SQL.identifier(table),
            expr,
        )
    )
    _logger.info("%s: %s names renamed", table, cr.rowcount)


def _rename_in_code(cr):
    """Domains, contexts, code and templates kept by updates name the model, its
    fields and its xml ids: give them the new names."""
    for table, columns in CODE_COLUMNS.items():
        if not table_exists(cr, table):
            continue
        for column in columns:
            if not column_exists(cr, table, column):
                continue
            cr.execute(
                "SELECT data_type FROM information_schema.columns"
                " WHERE table_schema = current_schema()"
                " AND table_name = %s AND column_name = %s",
                (table, column),
            )
            jsonb = cr.fetchone()[0] == "jsonb"
            value = SQL("%s::text", SQL.identifier(column))
            expr = _renamed_sql(value if jsonb else SQL.identifier(column))
            if jsonb:
                expr = SQL("(%s)::jsonb", expr)
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s ~ %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    expr,
                    value,
                    r"pm\.complaint|pm_complaint|complaint_id",
                )
            )
            if cr.rowcount:
                _logger.info("%s.%s: %s texts renamed", table, column, cr.rowcount)


def migrate(cr, version):
    if not _code_renamed(cr):
        _logger.info("the code still defines %s: nothing renamed", OLD_MODEL)
        return
    models = _models(cr)
    if not models and not table_exists(cr, "pm_complaint"):
        return
    _logger.info("renaming models %s", models)
    _rename_pg_objects(cr)
    _rename_model_names(cr, models)
    _rename_fields(cr, models)
    _rename_names(cr, "ir_model_data")
    _rename_in_code(cr)
