#!/usr/bin/python3
"""Print the cells of one sheet of an XLSX file as TSV, for the C unit tests.

usage: read_xlsx.py FILE SHEET [--formats | --cf | --print]

One line per row (empty rows too, so line n is row n); empty cells print as nothing.
Tabs and newlines inside a cell become spaces.  With --formats each cell prints as
value|number_format.  With --cf it prints the conditional formats instead, one rule
a line: range, type, text, formula.  With --print it prints the autofilter, the print
titles, the scale and the footer, one "name\tvalue" a line.  Numbers print as Python's repr, so a rate shows all its digits.
"""
import sys

import openpyxl


def text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value).replace("\t", " ").replace("\n", " ")


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    if argv[2].startswith("xl/"):   # a part as it is stored: xl/charts/chart1.xml
        import zipfile
        with zipfile.ZipFile(argv[1]) as z:
            sys.stdout.write(z.read(argv[2]).decode("utf-8"))
        return 0
    formats = "--formats" in argv[3:]
    book = openpyxl.load_workbook(argv[1])
    if argv[2] not in book.sheetnames:
        sys.stderr.write("no sheet %s (have: %s)\n" % (argv[2], ", ".join(book.sheetnames)))
        return 1
    sheet = book[argv[2]]
    if "--print" in argv[3:]:
        setup = sheet.sheet_properties.pageSetUpPr
        for name, value in (("filter", sheet.auto_filter.ref), ("rows", sheet.print_title_rows),
                            ("cols", sheet.print_title_cols), ("scale", sheet.page_setup.scale),
                            ("fit", setup.fitToPage if setup else None),
                            ("footer", sheet.oddFooter.left.text), ("footer_right", sheet.oddFooter.right.text)):
            sys.stdout.write("%s\t%s\n" % (name, "" if value is None else value))
        return 0
    if "--cf" in argv[3:]:
        for cf in sheet.conditional_formatting:
            for rule in cf.rules:
                sys.stdout.write("%s\t%s\t%s\t%s\n" % (cf.sqref, rule.type, rule.text or "",
                                                     ";".join(rule.formula or [])))
        return 0
    out = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            cells.append(text(cell.value) + ("|" + cell.number_format if formats else ""))
        out.append("\t".join(cells))
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
