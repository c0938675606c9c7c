"""CSV and XLSX downloads of the reports, exactly as filtered on the page.

Cable and question text is untrusted: a cell that a spreadsheet would read as a formula (`=`, `+`, `-`,
`@`, tab, carriage return first) is written as text, with a leading apostrophe in CSV, and as a string cell
in XLSX, so an export never runs anything when opened."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, headers: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """A streamed CSV download: the header row, then the rows."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so that Excel reads UTF-8
        yield writer.writerow(headers)
        for row in rows:
            yield writer.writerow([_csv_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(value):
    if isinstance(value, datetime):
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    return value


def workbook(sheets: list[dict]) -> Workbook:
    """sheets: [{title, headers, rows, chart?: {kind: bar|line, title, columns: [header...], y_title}}]. Bold
    headers, frozen first row, sensible widths; untrusted strings always as text."""
    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec["title"][:31])
        sheet.append(spec["headers"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) for h in spec["headers"]]
        count = 0
        for row in spec["rows"]:
            count += 1
            sheet.append([_xlsx_cell(v) for v in row])
            for i, (cell, value) in enumerate(zip(sheet[sheet.max_row], row, strict=False)):
                if isinstance(value, str):
                    cell.value = value
                    cell.data_type = "s"  # never a formula, whatever it starts with
                elif isinstance(value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                widths[i] = max(widths[i], min(len(str(value or "")), 60))
        for i, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(i)].width = width + 2
        sheet.freeze_panes = "A2"
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


def xlsx_response(filename: str, sheets: list[dict]) -> HttpResponse:
    buffer = io.BytesIO()
    workbook(sheets).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
