"""Any table or query as an Excel workbook (openpyxl), beside Datasette's own CSV."""

from __future__ import annotations

import io

from datasette.utils.asgi import Response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 32_000  # Excel refuses longer text in a cell


def render(datasette, columns, rows, request, database, table, query_name) -> Response:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = (query_name or table or database or "clipper")[:31]
    sheet.append(list(columns))
    for number, row in enumerate(rows, start=2):
        for col, name in enumerate(columns, start=1):
            cell = sheet.cell(number, col, _cell(row[name]))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a headline starting with "=" stays text
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    name = f"{query_name or table or database}.xlsx"
    return Response(out.getvalue(), content_type=XLSX_TYPE,
                    headers={"content-disposition": f'attachment; filename="{name}"'})


def _cell(value):
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str):
        return value[:MAX_CELL]
    return value
