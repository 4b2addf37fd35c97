# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Spreadsheet helpers shared by the xlsx exports (quality analysis, survey campaigns):
tables a director can sort and filter as they open them.

- the header row stays frozen and carries an autofilter;
- dates and times are date cells, counts are numbers, rates are percentages;
- a rate with nothing to measure is "—", never 0 (R-RATE-1);
- text is always written as text, so an owner's comment starting with ``=`` never
  becomes a formula;
- column widths fit their content, Chinese characters counting double.
"""

import unicodedata
from datetime import date, datetime

from ..tools.rates import NO_RATE


class Percent:
    """A rate in percent (0–100) to write as a percentage cell; ``None`` when there
    is nothing to measure."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def text_width(value):
    """Columns a value needs: East Asian wide characters take two."""
    text = "" if value is None or value is False else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class XlsxWriterHelper:
    """Typed cells and fitted column widths on one worksheet."""

    MIN_WIDTH = 8
    MAX_WIDTH = 60

    def __init__(self, book, sheet):
        self.book = book
        self.sheet = sheet
        self.widths = {}
        self.formats = {
            "head": book.add_format(
                {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}
            ),
            "bold": book.add_format({"bold": True}),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "month": book.add_format({"num_format": "yyyy-mm", "align": "left"}),
            "percent": book.add_format({"num_format": "0.00%"}),
            "none": book.add_format({"align": "center"}),
        }

    def _fit(self, col, width):
        self.widths[col] = max(self.widths.get(col, 0), width)

    def cell(self, row, col, value, style=None):
        """Write ``value`` with the cell type its Python type calls for."""
        sheet, formats = self.sheet, self.formats
        fmt = formats.get(style) if isinstance(style, str) else style
        if isinstance(value, Percent):
            if value.value is None:
                sheet.write_string(row, col, NO_RATE, formats["none"])
            else:
                sheet.write_number(
                    row, col, value.value / 100, fmt or formats["percent"]
                )
            self._fit(col, 9)
        elif isinstance(value, datetime):
            sheet.write_datetime(row, col, value, fmt or formats["datetime"])
            self._fit(col, 17)
        elif isinstance(value, date):
            sheet.write_datetime(
                row,
                col,
                datetime.combine(value, datetime.min.time()),
                fmt or formats["date"],
            )
            self._fit(col, 11)
        elif value is None or value is False:  # an empty Odoo field
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, fmt)
            self._fit(col, len(f"{value:g}") + 2)
        else:
            text = str(value)
            sheet.write_string(row, col, text, fmt)
            # a text takes at most two columns a character: measured only when
            # it may be the widest of its column
            if 2 * len(text) + 2 > self.widths.get(col, 0):
                self._fit(col, text_width(text) + 2)

    def table(self, first_row, headers, rows):
        """A table: header row (frozen, with autofilter) then ``rows`` (lists of
        values). Returns the index of the row after the table."""
        for col, title in enumerate(headers):
            self.cell(first_row, col, title, "head")
        row = first_row
        for row, values in enumerate(rows, start=first_row + 1):
            for col, value in enumerate(values):
                self.cell(row, col, value)
        self.sheet.freeze_panes(first_row + 1, 0)
        self.sheet.autofilter(first_row, 0, max(row, first_row), len(headers) - 1)
        return row + 1

    def fit_columns(self):
        for col, width in self.widths.items():
            self.sheet.set_column(
                col, col, min(max(width, self.MIN_WIDTH), self.MAX_WIDTH)
            )
