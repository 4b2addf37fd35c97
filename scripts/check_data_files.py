"""Check that data files parse: CSV access files have the expected header, and .po/.pot
files are valid gettext catalogues (used by scripts/lint through pre-commit)."""

import csv
import sys

ACCESS_HEADER = [
    "id",
    "name",
    "model_id:id",
    "group_id:id",
    "perm_read",
    "perm_write",
    "perm_create",
    "perm_unlink",
]


def check(path):
    if path.endswith("ir.model.access.csv"):
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        if rows[0] != ACCESS_HEADER:
            return f"{path}: unexpected header {rows[0]}"
        ids = [r[0] for r in rows[1:]]
        if len(ids) != len(set(ids)):
            return f"{path}: duplicate ids"
        bad = [r[0] for r in rows[1:] if len(r) != len(ACCESS_HEADER)]
        if bad:
            return f"{path}: wrong number of columns on {', '.join(bad)}"
    elif path.endswith((".po", ".pot")):
        import polib

        try:
            polib.pofile(path, check_for_duplicates=True)
        except (OSError, ValueError) as exc:
            return f"{path}: {exc}"
    return None


def main(paths):
    errors = [e for e in map(check, paths) if e]
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
