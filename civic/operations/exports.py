"""Writing a table as CSV or as a spreadsheet (openpyxl), the same rows as on the screen."""

import csv
import io

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _text(value):
    return "" if value is None else str(value)


def table_response(table, fmt, filename):
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        # A byte-order mark, so that spreadsheet programs read the Chinese as UTF-8.
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_text(header) for header in table.headers])
        writer.writerows([[_text(value) for value in row] for row in table.rows])
    else:
        # Imported here: openpyxl costs every worker 30 MB, and only staff exports need it.
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = str(table.title)[:31]
        sheet.append([str(header) for header in table.headers])
        for row in table.rows:
            sheet.append(
                [value if isinstance(value, int | float) else _text(value) for value in row]
            )
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
