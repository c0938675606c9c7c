"""CSV and XLSX downloads of the reports, exactly as filtered on the page.

Cable and question text is untrusted, and so is every header made of it (the matrix's question codes). One
rule, `is_formula`, decides what a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage
return first, or the full-width `＝＋－＠`), and every cell goes through it, headers and sheet
titles included: in CSV such a cell gets a leading apostrophe; in XLSX every string is a text cell (never a
formula cell) and such a one also carries Excel's quote prefix, so an export never runs anything when opened
or when a cell is edited; a sheet title loses the formula characters it starts with."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


def is_formula(value) -> bool:
    """The one rule: whether a spreadsheet could read this value as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    """A value as written in a CSV export: header or row, never a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat()
    if is_formula(value):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, headers: list[str], rows: Iterable[list], banner: str) -> StreamingHttpResponse:
    """A streamed CSV download: the classification banner (the highest marking the file holds, as on the
    page), the header row, the rows, and the banner again, as a marked document opens and ends."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so that Excel reads UTF-8
        yield writer.writerow([banner])
        yield writer.writerow([csv_cell(h) for h in headers])
        for row in rows:
            yield writer.writerow([csv_cell(v) for v in row])
        yield writer.writerow([banner])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_cell(cell, value) -> None:
    """Write a value into an XLSX cell, header or row: a string is always a text cell, never a formula, and
    one a spreadsheet would read as a formula carries the quote prefix too (editing it keeps it text)."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        if is_formula(value):
            cell.quotePrefix = True
        return
    if isinstance(value, datetime):
        cell.value = timezone.make_naive(value) if timezone.is_aware(value) else value
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value


def sheet_title(title: str) -> str:
    """A title Excel accepts and never reads as anything but a name."""
    title = SHEET_TITLE_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", str(title)))
    while is_formula(title) or title.startswith("'"):
        title = title[1:]
    return title[:31].strip().rstrip("'") or "Sheet"


def workbook(sheets: list[dict], banner: str) -> Workbook:
    """sheets: [{title, headers, rows, chart?: {kind: bar|line, title, columns: [header...], y_title}}]. Bold
    headers, frozen first row with a filter on every column, sensible widths; untrusted strings always as
    text, headers included. The
    classification banner heads and foots every printed sheet and is the workbook's subject."""
    book = Workbook()
    book.remove(book.active)
    book.properties.subject = book.properties.keywords = banner
    for spec in sheets:
        sheet = book.create_sheet(sheet_title(spec["title"]))
        sheet.oddHeader.center.text = sheet.oddFooter.center.text = banner
        sheet.oddHeader.center.font = sheet.oddFooter.center.font = "Arial,Bold"
        for column, header in enumerate(spec["headers"], 1):
            cell = sheet.cell(row=1, column=column)
            xlsx_cell(cell, header)
            cell.font = Font(bold=True)
        widths = [len(str(h)) for h in spec["headers"]]
        count = 0
        for row in spec["rows"]:
            count += 1
            for i, value in enumerate(row):
                xlsx_cell(sheet.cell(row=count + 1, column=i + 1), value)
                if i < len(widths):
                    widths[i] = max(widths[i], min(len(str(value or "")), 60))
                else:
                    widths.append(min(len(str(value or "")), 60))
        for i, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(i)].width = width + 2
        sheet.freeze_panes = "A2"
        if spec["headers"]:  # the spreadsheet's own filter and sort on every column, as in a tracking sheet
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{count + 1}"
        chart = spec.get("chart")
        if chart and count:
            _add_chart(sheet, spec["headers"], count, chart)
    return book


def _add_chart(sheet, headers: list[str], count: int, spec: dict) -> None:
    chart = BarChart() if spec["kind"] == "bar" else LineChart()
    if spec["kind"] == "bar":
        chart.grouping, chart.overlap = "stacked", 100
    chart.title, chart.y_axis.title = spec["title"], spec.get("y_title", "")
    chart.height, chart.width = 8, 18
    for name in spec["columns"]:
        column = headers.index(name) + 1
        chart.add_data(Reference(sheet, min_col=column, min_row=1, max_row=count + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=count + 1))
    sheet.add_chart(chart, f"{get_column_letter(len(headers) + 2)}2")


def xlsx_response(filename: str, sheets: list[dict], banner: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook(sheets, banner).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
