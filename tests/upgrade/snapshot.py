# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# rename_case: keep  (reads databases of before and after the renaming of pm.complaint)
"""What an upgrade must keep, read from a database in SQL, and the comparison of the
database of the old code with the same database upgraded.

    python snapshot.py take DB FILE.json
    python snapshot.py compare OLD.json NEW.json   (exit 1 on any difference)
    python snapshot.py leftovers DB                 (exit 1 if an old name remains)

The old names are mapped to the new ones (pm.complaint -> pm.case, pm_complaint ->
pm_case, complaint_id -> case_id) when the upgraded database has the model pm.case.
Connection: libpq's PGHOST/PGPORT/PGUSER.
"""

import hashlib
import json
import os
import re
import sys

import psycopg2

OLD_MODEL = "pm.complaint"
NEW_MODEL = "pm.case"
TOKENS = [
    (re.compile(r"\bpm\.complaint\b"), "pm.case"),
    (re.compile(r"pm_complaint"), "pm_case"),
    (re.compile(r"(?<![A-Za-z0-9])complaint_id(s?)(?![A-Za-z0-9_])"), r"case_id\1"),
]
# settings whose key changes on purpose in the new code: old key -> new key
PARAM_RENAMES = {}
# models the new code retires on purpose (folded into the kernel of pm_base): their
# ir.model rows and external ids go with them; their records were transient or none
RETIRED_MODELS = {
    "pm.owner.answer.mixin",  # the one write guard
    "pm.survey.ratio.mixin",  # the one rate mixin
    "pm.survey.reject.wizard",  # the one reject wizard
    "pm.visit.plan.reject",  # the one reject wizard
}
# Odoo models an addon no longer extends: the addon's external id of the model goes,
# the model (Odoo's) stays
DROPPED_EXTENSIONS = {
    # Odoo 19's "Run Manually" runs a job's batches as the scheduler does
    "pm_customer_service.model_ir_cron",
}
# columns the new code drops on purpose: "table.column" -> why nothing is lost
RETIRED_COLUMNS = {
    # the round robin counts its turns in a sequence per rule; who was served
    # last was only where it went on from
    "pm_dispatch_rule.last_user_id": "round robin turns counted by a sequence",
}
# columns an upgrade changes without changing what the record says
VOLATILE_COLUMNS = {"write_date", "write_uid"}
# stored measures the new code computes again on purpose: "table.column" -> why
COMPLETION_TARGET = "a repair order's timeliness counts its completion target too"
RECOMPUTED_COLUMNS = {
    "pm_repair_order.kpi_timely": COMPLETION_TARGET,
    "pm_repair_order.targets_missed": COMPLETION_TARGET,
}
# tables the new code ships more data rows into: "table" -> why; their former rows
# are compared row by row, the new ones are the new data
DATA_ADDED = {
    "pm_kpi_target": "the seeds' further targets ship as data records",
}
# records of these models are code (views, menus, actions, access rules...), made
# again from the modules: their external ids may change with the code
CODE_MODELS_RE = re.compile(
    r"^(ir\.ui\.|ir\.actions\.|ir\.model\.|ir\.rule$|ir\.asset$|ir\.qweb|report\.)"
)
MESSAGE_MODELS = "res_model LIKE 'pm.%%' OR res_model IN ('res.partner', 'res.users')"


def connect(db):
    return psycopg2.connect(
        dbname=db,
        host=os.environ.get("PGHOST"),
        port=os.environ.get("PGPORT"),
        user=os.environ.get("PGUSER"),
    )


def digest(rows):
    return hashlib.md5(
        json.dumps(rows, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def rows(cr, query, params=None):
    cr.execute(query, params)
    return cr.fetchall()


def keyed(cr, query):
    """The rows of a query by their first column: {"key": [other columns]}."""
    return {str(row[0]): list(row[1:]) for row in rows(cr, query)}


def joined(cr, query):
    """The rows of a query as sorted "a/b/c" strings."""
    return sorted("/".join(str(value) for value in row) for row in rows(cr, query))


def take_tables(cr):
    transient = {
        model.replace(".", "_")
        for (model,) in rows(cr, "SELECT model FROM ir_model WHERE transient")
    }
    tables = [
        name
        for (name,) in rows(
            cr,
            r"""SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
                 AND (tablename LIKE 'pm\_%%' OR tablename LIKE '%%pm\_complaint%%'
                      OR tablename LIKE '%%pm\_case%%')""",
        )
        if name not in transient
    ]
    result = {}
    for table in tables:
        columns = [
            name
            for (name,) in rows(
                cr,
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s"
                " ORDER BY column_name",
                (table,),
            )
        ]
        order = "id" if "id" in columns else ", ".join(f'"{c}"' for c in columns)
        info = {"columns": {}}
        if "id" in columns:
            info["ids"] = [
                r[0] for r in rows(cr, f'SELECT id FROM "{table}" ORDER BY id')
            ]
        else:
            info["rows"] = digest(rows(cr, f'SELECT * FROM "{table}" ORDER BY {order}'))
        info["count"] = rows(cr, f'SELECT count(*) FROM "{table}"')[0][0]
        if table in DATA_ADDED:
            info["values"] = {
                str(row[0]): [str(value) for value in row[1:]]
                for row in rows(
                    cr,
                    'SELECT id, {} FROM "{}" ORDER BY id'.format(
                        ", ".join(
                            f'"{c}"' for c in columns if c not in VOLATILE_COLUMNS
                        ),
                        table,
                    ),
                )
            }
        for column in columns:
            values = [
                r[0]
                for r in rows(
                    cr, f'SELECT "{column}"::text FROM "{table}" ORDER BY {order}'
                )
            ]
            info["columns"][column] = {
                "filled": sum(v is not None for v in values),
                "digest": digest(values),
                # the same values with the new names (to compare with a renamed db)
                "digest_renamed": digest(mapper(True)(values)),
            }
        result[table] = info
    return result


def take(db):
    conn = connect(db)
    cr = conn.cursor()
    snap = {"tables": take_tables(cr)}
    snap["models"] = dict(
        rows(cr, "SELECT model, id FROM ir_model WHERE model LIKE 'pm.%%'")
    )
    snap["fields"] = keyed(
        cr,
        "SELECT model || '/' || name, id FROM ir_model_fields WHERE model LIKE 'pm.%%'"
        " OR relation LIKE 'pm.%%'",
    )
    per_model = {}
    for table, column in (
        ("mail_message", "model"),
        ("mail_followers", "res_model"),
        ("mail_activity", "res_model"),
        ("ir_attachment", "res_model"),
        ("rating_rating", "res_model"),
    ):
        where = MESSAGE_MODELS.replace("res_model", column)
        for model, ids in rows(
            cr,
            f"SELECT {column}, array_agg(id ORDER BY id) FROM {table}"
            f" WHERE {where} GROUP BY {column}",
        ):
            per_model[f"{table}/{model}"] = ids
    snap["records_of"] = per_model
    snap["attachment_files"] = keyed(
        cr,
        "SELECT id, res_model, res_id, checksum, file_size FROM ir_attachment"
        f" WHERE {MESSAGE_MODELS}",
    )
    snap["message_attachments"] = digest(
        rows(cr, "SELECT * FROM message_attachment_rel ORDER BY 1, 2")
    )
    snap["tracking"] = keyed(
        cr,
        """SELECT t.id, f.model, f.name,
                      coalesce(t.old_value_char, t.old_value_integer::text,
                               t.old_value_datetime::text, t.old_value_float::text),
                      coalesce(t.new_value_char, t.new_value_integer::text,
                               t.new_value_datetime::text, t.new_value_float::text)
                 FROM mail_tracking_value t JOIN ir_model_fields f ON f.id = t.field_id
                WHERE f.model LIKE 'pm.%%'""",
    )
    snap["params"] = dict(rows(cr, "SELECT key, value FROM ir_config_parameter"))
    snap["group_members"] = joined(
        cr,
        "SELECT u.login, r.gid FROM res_groups_users_rel r"
        " JOIN res_users u ON u.id = r.uid",
    )
    snap["users"] = keyed(
        cr, "SELECT login, active, partner_id, company_id, share FROM res_users"
    )
    snap["xmlids"] = keyed(
        cr,
        "SELECT module || '.' || name, model, res_id FROM ir_model_data"
        " WHERE module LIKE 'pm\\_%%'",
    )
    snap["aliases"] = keyed(
        cr,
        """SELECT a.id, a.alias_name, m.model, pm.model, a.alias_parent_thread_id,
                      a.alias_defaults
                 FROM mail_alias a JOIN ir_model m ON m.id = a.alias_model_id
                 LEFT JOIN ir_model pm ON pm.id = a.alias_parent_model_id
                WHERE m.model LIKE 'pm.%%' OR pm.model LIKE 'pm.%%'""",
    )
    sequences = {}
    for sid, code, prefix, padding, implementation in rows(
        cr,
        "SELECT id, code, prefix, padding, implementation FROM ir_sequence"
        " WHERE code LIKE 'pm.%%'",
    ):
        last = None
        if implementation == "standard":
            last = rows(cr, f"SELECT last_value FROM ir_sequence_{sid:03d}")[0][0]
        number_next = rows(
            cr, "SELECT number_next FROM ir_sequence WHERE id = %s", (sid,)
        )
        sequences[str(sid)] = [code, prefix, padding, last, number_next[0][0]]
    snap["sequences"] = sequences
    snap["id_sequences"] = {
        table: rows(
            cr,
            "SELECT last_value FROM pg_sequences WHERE sequencename = %s",
            (f"{table}_id_seq",),
        )[0][0]
        for table, info in snap["tables"].items()
        if "ids" in info
    }
    # a saved filter and the users it is shared with (Odoo 19: ``user_ids``)
    snap["filters"] = joined(
        cr,
        "SELECT f.name, f.model_id, f.domain,"
        " string_agg(r.res_users_id::text, ',' ORDER BY r.res_users_id)"
        " FROM ir_filters f"
        " LEFT JOIN ir_filters_res_users_rel r ON r.ir_filters_id = f.id"
        " GROUP BY f.id",
    )
    snap["defaults"] = joined(
        cr,
        "SELECT f.model, f.name, d.json_value FROM ir_default d"
        " JOIN ir_model_fields f ON f.id = d.field_id",
    )
    snap["crons"] = keyed(
        cr,
        """SELECT d.module || '.' || d.name, m.model, c.active,
                      c.interval_number, c.interval_type
                 FROM ir_cron c JOIN ir_act_server s ON s.id = c.ir_actions_server_id
                 JOIN ir_model m ON m.id = s.model_id
                 JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id
                WHERE d.module LIKE 'pm\\_%%'""",
    )
    snap["renamed"] = NEW_MODEL in snap["models"]
    conn.close()
    return snap


def mapper(renamed):
    def rename(value):
        if not renamed:
            return value
        if isinstance(value, str):
            for pattern, repl in TOKENS:
                value = pattern.sub(repl, value)
            return value
        if isinstance(value, list | tuple):
            return [rename(v) for v in value]
        return value

    return rename


class Report:
    def __init__(self):
        self.failures = []
        self.checked = 0

    def check(self, ok, message):
        self.checked += 1
        if not ok:
            self.failures.append(message)


def compare(old, new):
    rename = mapper(new["renamed"])
    report = Report()
    check = report.check

    for table, info in old["tables"].items():
        new_table = rename(table)
        got = new["tables"].get(new_table)
        check(got is not None, f"table {table} -> {new_table}: missing")
        if got is None:
            continue
        if table in DATA_ADDED:
            check(
                got["count"] >= info["count"],
                f"{new_table}: {info['count']} rows before, {got['count']} after",
            )
            for rid, values in info["values"].items():
                check(
                    got["values"].get(rid) == values,
                    f"{new_table}: row {rid} changed",
                )
            continue
        check(
            got["count"] == info["count"],
            f"{new_table}: {info['count']} rows before, {got['count']} after",
        )
        if "ids" in info:
            lost = sorted(set(info["ids"]) - set(got.get("ids", [])))
            check(not lost, f"{new_table}: records lost {lost[:20]}")
        else:
            check(got.get("rows") == info["rows"], f"{new_table}: rows changed")
        for column, col in info["columns"].items():
            if f"{table}.{column}" in RETIRED_COLUMNS:
                continue
            if f"{table}.{column}" in RECOMPUTED_COLUMNS:
                check(
                    rename(column) in got["columns"],
                    f"{new_table}.{rename(column)}: column missing",
                )
                continue
            new_col = got["columns"].get(rename(column))
            check(new_col is not None, f"{new_table}.{rename(column)}: column missing")
            if new_col is None:
                continue
            check(
                new_col["filled"] >= col["filled"],
                f"{new_table}.{rename(column)}: {col['filled']} values before,"
                f" {new_col['filled']} after",
            )
            expected = col["digest_renamed"] if new["renamed"] else col["digest"]
            if column not in VOLATILE_COLUMNS:
                check(
                    new_col["digest"] == expected,
                    f"{new_table}.{rename(column)}: values changed",
                )

    for model, mid in old["models"].items():
        if model in RETIRED_MODELS:
            continue
        got = new["models"].get(rename(model))
        check(
            got == mid,
            f"model {model} -> {rename(model)}: id {mid} before, {got} after",
        )
    for key, fid in old["fields"].items():
        got = new["fields"].get(rename(key))
        if got is not None:
            check(got == fid, f"field {key}: id {fid} before, {got} after")
    for key, ids in old["records_of"].items():
        got = new["records_of"].get(rename(key), [])
        lost = sorted(set(ids) - set(got))
        check(
            not lost,
            f"{rename(key)}: records lost {lost[:20]} ({len(ids)} before,"
            f" {len(got)} after)",
        )
    for aid, value in old["attachment_files"].items():
        got = new["attachment_files"].get(aid)
        check(got == rename(value), f"attachment {aid}: {value} before, {got} after")
    check(
        old["message_attachments"] == new["message_attachments"],
        "attachments of messages changed",
    )
    for tid, value in old["tracking"].items():
        check(
            new["tracking"].get(tid) == rename(value),
            f"tracking value {tid}: {value} before, {new['tracking'].get(tid)} after",
        )
    for key, value in old["params"].items():
        if key.startswith("database.") or key == "report.url":
            continue
        got = new["params"].get(PARAM_RENAMES.get(key, rename(key)))
        check(got == rename(value), f"setting {key}: {value!r} before, {got!r} after")
    lost = sorted(set(old["group_members"]) - set(new["group_members"]))
    check(not lost, f"group memberships lost: {lost[:20]}")
    for login, value in old["users"].items():
        check(new["users"].get(login) == value, f"user {login} changed")
    by_name = {}
    for xmlid, value in new["xmlids"].items():
        by_name.setdefault(xmlid.split(".", 1)[1], []).append(value)
    retired = {f"model_{name.replace('.', '_')}" for name in RETIRED_MODELS}
    for xmlid, (model, res_id) in old["xmlids"].items():
        if (
            CODE_MODELS_RE.match(model)
            or xmlid.split(".", 1)[1] in retired
            or xmlid in DROPPED_EXTENSIONS
        ):
            continue
        name = rename(xmlid.split(".", 1)[1])
        check(
            [rename(model), res_id] in by_name.get(name, []),
            f"external id {xmlid} ({model} {res_id}) -> {name}: lost",
        )
    for aid, value in old["aliases"].items():
        check(
            new["aliases"].get(aid) == rename(value),
            f"alias {aid}: {value} before, {new['aliases'].get(aid)} after",
        )
    for sid, value in old["sequences"].items():
        check(
            new["sequences"].get(sid) == rename(value),
            f"sequence {sid}: {value} before, {new['sequences'].get(sid)} after",
        )
    for table, last in old["id_sequences"].items():
        got = new["id_sequences"].get(rename(table))
        check(
            last is None or (got is not None and got >= last),
            f"id sequence of {rename(table)}: {last} before, {got} after",
        )
    missing = [f for f in old["filters"] if rename(f) not in new["filters"]]
    check(not missing, f"saved filters lost or not renamed: {missing}")
    missing = [d for d in old["defaults"] if rename(d) not in new["defaults"]]
    check(not missing, f"defaults lost: {missing}")
    for name, value in old["crons"].items():
        got = new["crons"].get(rename(name)) or next(
            (
                v
                for k, v in new["crons"].items()
                if k.split(".", 1)[1] == rename(name).split(".", 1)[1]
            ),
            None,
        )
        check(got == rename(value), f"cron {name}: {value} before, {got} after")
    return report


def leftovers(db):
    """Old names still in a renamed database (exact values of model-name columns,
    references, tables, indexes, constraints, columns, fields, external ids), and
    indexes made twice (an index not renamed is made again under the new name)."""
    conn = connect(db)
    cr = conn.cursor()
    found = []
    if not rows(cr, "SELECT 1 FROM ir_model WHERE model = %s", (NEW_MODEL,)):
        print(f"{db} has no model {NEW_MODEL}: nothing renamed, nothing to look for")
        return found
    found += [
        f"table, index or sequence {t}"
        for (t,) in rows(
            cr,
            "SELECT relname FROM pg_class WHERE relname ~ 'pm_complaint|complaint_id'",
        )
    ]
    found += [
        f"constraint {c}"
        for (c,) in rows(
            cr,
            "SELECT conname FROM pg_constraint WHERE conname ~ %(old)s"
            " UNION SELECT name FROM ir_model_constraint WHERE name ~ %(old)s",
            {"old": "pm_complaint|complaint_id"},
        )
    ]
    found += [
        f"indexes made twice: {names}"
        for (names,) in rows(
            cr,
            """SELECT string_agg(indexname, ', ') FROM pg_indexes
                WHERE schemaname = current_schema()
                GROUP BY tablename, regexp_replace(indexdef, 'INDEX \\S+ ON', '')
               HAVING count(*) > 1""",
        )
    ]
    found += [
        f"column {t}.{c}"
        for t, c in rows(
            cr,
            r"""SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = current_schema()
               AND column_name ~ 'pm_complaint|^complaint_ids?$'""",
        )
    ]
    found += [
        f"field {m}.{n}"
        for m, n in rows(
            cr,
            "SELECT model, name FROM ir_model_fields WHERE model LIKE 'pm.%%'"
            " AND (name ~ '^complaint_ids?$' OR model LIKE 'pm.complaint%%'"
            " OR relation LIKE 'pm.complaint%%')",
        )
    ]
    found += [
        f"external id {m}.{n}"
        for m, n in rows(
            cr,
            "SELECT module, name FROM ir_model_data"
            " WHERE name ~ 'pm_complaint|__complaint_ids?$'",
        )
    ]
    columns = rows(
        cr,
        """SELECT c.table_name, array_agg(c.column_name::text)
             FROM information_schema.columns c
             JOIN information_schema.tables t
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('character varying', 'text')
            GROUP BY c.table_name""",
    )
    for table, names in columns:
        for column in names:
            cr.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}" = %s'
                f' OR "{column}" LIKE %s OR "{column}" LIKE %s',
                (OLD_MODEL, r"pm.complaint.%", r"pm.complaint,%"),
            )
            count = cr.fetchone()[0]
            if count:
                found.append(f"{table}.{column}: {count} rows name {OLD_MODEL}")
    conn.close()
    return found


def main():
    command = sys.argv[1]
    if command == "take":
        with open(sys.argv[3], "w", encoding="utf-8") as handle:
            json.dump(take(sys.argv[2]), handle, indent=1, sort_keys=True, default=str)
        return 0
    if command == "compare":
        with open(sys.argv[2], encoding="utf-8") as handle:
            old = json.load(handle)
        with open(sys.argv[3], encoding="utf-8") as handle:
            new = json.load(handle)
        report = compare(old, new)
        for failure in report.failures:
            print(f"DIFFERENCE: {failure}")
        print(
            f"{report.checked} checks, {len(report.failures)} differences"
            f" (renamed: {new['renamed']})"
        )
        return 1 if report.failures else 0
    if command == "leftovers":
        found = leftovers(sys.argv[2])
        for item in found:
            print(f"OLD NAME LEFT: {item}")
        return 1 if found else 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
