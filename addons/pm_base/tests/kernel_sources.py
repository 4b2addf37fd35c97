# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The product's source files, for tests asserting that an idea is written once."""

import os

from odoo.modules.module import get_module_path

ADDONS = ("pm_base", "pm_customer_service", "pm_survey", "pm_repair")


def addon_root():
    """The directory holding the property-service addons."""
    return os.path.dirname(get_module_path("pm_base"))


def product_files(ext=".py"):
    """``{relative path: text}`` of the addons' files ending with ``ext``, tests
    and migration scripts left out (they are not the product)."""
    root = addon_root()
    found = {}
    for addon in ADDONS:
        for folder, dirs, files in os.walk(os.path.join(root, addon)):
            dirs[:] = [d for d in dirs if d not in ("tests", "migrations")]
            for name in files:
                if name.endswith(ext):
                    path = os.path.join(folder, name)
                    with open(path, encoding="utf-8") as handle:
                        found[os.path.relpath(path, root)] = handle.read()
    return found
