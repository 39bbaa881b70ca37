"""Rewrite an XLSX as a legacy .xls (BIFF8) with xlwt, keeping every cell where it was and
of the type it was: numbers as numbers (with their number format), text as text, booleans
as booleans, dates as numbers with a date format - what Excel's "save as .xls" does.
Usage: xlsx_to_xls.py IN.xlsx OUT.xls"""
import datetime
import sys

import openpyxl
import xlwt

src = openpyxl.load_workbook(sys.argv[1])
out = xlwt.Workbook(encoding="utf-8")
styles = {}


def style(number_format):
    if number_format not in styles:
        styles[number_format] = xlwt.easyxf(num_format_str=number_format)
    return styles[number_format]


for ws in src.worksheets:
    sheet = out.add_sheet(ws.title)
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if v is None:
                continue
            if isinstance(v, (datetime.datetime, datetime.date)):
                sheet.write(c.row - 1, c.column - 1, v, style(c.number_format))
            elif isinstance(v, (bool, int, float)) and c.number_format != "General":
                sheet.write(c.row - 1, c.column - 1, v, style(c.number_format))
            else:
                sheet.write(c.row - 1, c.column - 1, v)
out.save(sys.argv[2])
