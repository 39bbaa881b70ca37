#!/usr/bin/python3
"""office_forms.py — a tidy data directory rewritten the way county departments send files.

    /usr/bin/python3 samples/generator/office_forms.py SRC OUT [--truth TRUTH.csv]
        [--sources templates/sources/yuyao.json] [--accepted EXPORT_DIR --quality QUALITY.csv]

SRC is a directory made by zf-samplegen (samples/yuyao); OUT is created (it must not exist
or be empty).  Every file of SRC is copied to OUT in one of the "office" forms of FORMS
below, keeping its stem (the source id, and the year of a file series) so that the
pipeline picks it up; only the extension changes.  The records mean the same: a date may
become a date cell, an amount or count a number cell, text stays text, and every value
that is deliberately bad (listed in TRUTH, zf-samplegen's --truth file) stays exactly the
same text (a text cell), so the same records are rejected for the same reasons.

The forms (issue 15, point 7):
  xlsx         openpyxl workbook: numbers as number cells, some stored as 17-digit doubles
               (9477.870000000001, as Excel keeps a computed value), dates as date cells
               (with time where the tidy text has one; 年月日 text gets Excel's Chinese date
               format), a merged title row, a 填报单位/填报日期 line and a blank row above the
               header; a blank row, a 合计 row and 制表人/审核人 lines under the records
  xlsx-1904    the same, saved with the 1904 date system (wb.epoch = CALENDAR_MAC_1904)
  xls          BIFF8 via xlwt, with the same title block and 合计 row
  utf16-txt    Excel's "Unicode text": UTF-16LE with a BOM, tab-separated, CRLF, .txt
  gb18030-tsv  tab-separated GB18030, CRLF, .tsv
  gb18030-csv  Excel's "CSV" on a Chinese Windows: GB18030, CRLF, .csv
  csv-title    CSV of a titled sheet as Excel saves it (UTF-8 with BOM, CRLF): the title
               block and the rows under the records padded with commas to the sheet's width
  utf16-txt-title, gb18030-csv-title   the same titled sheet as Unicode text, as GB18030 CSV
  as-is        copied unchanged (JSON and JSON Lines come from systems, not from Excel)

The 合计 row sums the amount columns and the count columns (integers other than 年度,
学年, 编号): by default over the number cells (what Excel's SUM gives; text cells are left
out); with --accepted (a `zhongfu run --export-accepted` directory of the tidy run) and
--quality (that run's quality.csv) over the records the tidy run accepted in that file,
which is what `zhongfu check` compares with.  WRONG_TOTAL files get a 合计 that is off by
one yuan on purpose.

OUT/.forms.json (a dot file: the pipeline skips names starting with '.') lists for each
output file its tidy file, its form, how many rows were inserted above the header
("shift": a tidy line L is line L + shift in the output), and what its 合计 row holds.

Deterministic: fixed workbook properties (2026-07-01) and fixed ZIP member times, so the
same input gives the same bytes.
"""
import argparse
import codecs
import csv
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import sys
import unicodedata
import zipfile
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904
import xlwt

# The fixed table: tidy file -> form.  Every form at least once; files whose CSV records span
# several lines (quoted line breaks: milestones, joint_service_items) only go to text forms,
# where the line numbers keep their meaning; the .xls files are small (BIFF8 has 65,536 rows).
FORMS = {
    "relief_households.csv": "xlsx",            # integer 家庭人口 as numbers, 合计 of 家庭人口
    "care_visits.csv": "xlsx",                  # dates with time as date-time cells
    "medical_settlements.2024.csv": "xlsx",     # amounts as 17-digit doubles, 合计 of 5 amounts
    "low_income_farmers.csv": "xlsx",           # full-width and 1,234.50 incomes as numbers
    "student_aid.2022.xlsx": "xlsx",            # a tidy workbook given the title block
    "verification_requests.csv": "xlsx-1904",   # GB18030 source; 2024年3月5日 as 年月日 date cells
    "medical_settlements.2023.csv": "xlsx-1904",
    "employment_assistance.xlsx": "xlsx-1904",  # date cells re-based to 1904
    "disaster_losses.csv": "xlsx-1904",
    "shelters.csv": "xlsx-1904",
    "student_aid.2023.xlsx": "xlsx-1904",
    "emergency_aid_applications.csv": "xls",
    "union_hardship_workers.csv": "xls",        # 合计 of 帮扶资金(元)
    "joint_service_items.csv": "utf16-txt",     # quoted commas, quotes and line breaks
    "medical_settlements.2026.csv": "utf16-txt",  # one year of a series as .txt
    "electricity_discounts.csv": "utf16-txt",
    "disability_homes.csv": "utf16-txt",
    "milestones.csv": "gb18030-tsv",            # quoted line breaks
    "union_family_graduates.csv": "gb18030-tsv",
    "medical_settlements.2025.csv": "gb18030-csv",
    "charities.csv": "gb18030-csv",
    "disabled_graduates.csv": "gb18030-csv",
    "medical_settlements.2022.csv": "csv-title",
    "assistance_standards.csv": "csv-title",
    "gdp.csv": "csv-title",                     # its 合计 is wrong on purpose
    "insurance_enrollment.csv": "utf16-txt-title",  # counts written 1,041,230
    "shanju_households.csv": "gb18030-csv-title",
    "student_aid.2024.xlsx": "as-is",
    "student_aid.2025.xlsx": "as-is",
    "housing_applications.json": "as-is",
    "dilapidated_houses.jsonl": "as-is",
    "red_cross_projects.jsonl": "as-is",
    "charity_trusts.csv": "as-is",             # plan yuyao-text only
    "donations.csv": "as-is",
    "resident_income.csv": "as-is",
}
WRONG_TOTAL = {"gdp.csv"}
# Workbooks whose 合计 cells are formulas (=SUM(G5:G4020)) with the value Excel cached in them
# (the sum of the records counted, not a recomputation of the range).
FORMULA_TOTAL = {"medical_settlements.2024.csv", "relief_households.csv"}
# Workbooks whose 合计 number cells hold the doubles added one by one, as a real =SUM does.
FLOAT_SUM_TOTAL = {"medical_settlements.2023.csv", "medical_settlements.2024.csv"}
# Sheets with a 序号 column in front (1, 2, 3 …; no source reads it), the 合计 label in it;
# in a workbook the label merged across the columns before the first sum, and every cell of
# the table bordered (empty cells are then written, with a style and no value).
NUMBERED = {"low_income_farmers.csv", "student_aid.2022.xlsx", "assistance_standards.csv"}
EXTENSION = {"xlsx": ".xlsx", "xlsx-1904": ".xlsx", "xls": ".xls", "utf16-txt": ".txt",
             "gb18030-tsv": ".tsv", "gb18030-csv": ".csv", "csv-title": ".csv",
             "utf16-txt-title": ".txt", "gb18030-csv-title": ".csv"}
SHIFT = {"xlsx": 3, "xlsx-1904": 3, "xls": 3, "csv-title": 3,   # rows above the header
         "utf16-txt-title": 3, "gb18030-csv-title": 3}
FIXED = dt.datetime(2026, 7, 1, 9, 0, 0)
REPORT_DATE = "填报日期：2026年7月1日"
PLACE = "余姚市"


def fail(msg):
    sys.exit("office_forms: " + msg)


# --- reading the tidy files --------------------------------------------------------------

def read_text(path):
    raw = open(path, "rb").read()
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def read_csv(path):
    """The rows of a tidy CSV as text, exactly as written (quotes removed)."""
    return list(csv.reader(io.StringIO(read_text(path), newline="")))


def read_xlsx(path):
    """The rows of a tidy workbook's first sheet as openpyxl values (typed)."""
    ws = openpyxl.load_workbook(path).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


# --- what a cell becomes -----------------------------------------------------------------

def squeezed(s):
    return unicodedata.normalize("NFKC", s).strip(" \t\u3000")


NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
INTEGER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)")
DATES = [
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "yyyy-mm-dd"),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), "yyyy/m/d"),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), "yyyy-mm-dd"),
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"), 'yyyy"年"m"月"d"日"'),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})"), "yyyy-mm-dd hh:mm:ss"),
]


def as_amount(s):
    t = squeezed(s)
    return Decimal(t.replace(",", "")) if NUMBER.fullmatch(t) else None


def as_integer(s):
    t = squeezed(s)
    return int(t.replace(",", "")) if INTEGER.fullmatch(t) else None


def as_date(s):
    t = squeezed(s)
    for rx, fmt in DATES:
        m = rx.fullmatch(t)
        if m:
            try:
                return dt.datetime(*map(int, m.groups())), fmt
            except ValueError:
                return None
    return None


def typed(value, ctype, row):
    """(value, number format) of a tidy text cell in a sheet: a number, a date or the text."""
    if not isinstance(value, str):      # from a tidy workbook: already typed
        return value, None
    if value == "":
        return None, None
    if ctype in ("amount", "decimal"):
        d = as_amount(value)
        if d is not None:
            f = float(d)
            # a quarter of the amounts as Excel keeps computed values: one ulp off, which
            # openpyxl writes with 17 digits (9477.870000000001); Excel shows 15
            if f == 0:
                pass
            elif row % 4 == 1:
                f = math.nextafter(f, math.inf)
            elif row % 4 == 3:
                f = math.nextafter(f, -math.inf)
            return f, "#,##0.00"
    elif ctype == "integer":
        i = as_integer(value)
        if i is not None:
            return i, "0"
    elif ctype == "date":
        d = as_date(value)
        if d is not None:
            return d
    return value, None


def summed_columns(columns):
    out = []
    for i, c in enumerate(columns):
        if c is None:
            continue
        if c["type"] in ("amount", "decimal") or (
                c["type"] == "integer" and not any(w in c["name"] for w in ("年度", "学年", "编号"))):
            out.append(i)
    return out


def number_of(value, ctype):
    """A cell's number as Excel's SUM sees it (text cells are not summed)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return None


# --- the title block, 合计 and note rows -----------------------------------------------------

def title_of(source):
    return PLACE + source["title"]


class Total:
    """A 合计 value: exact, and the double of the number cell: the nearest to the exact sum, or
    in FLOAT_SUM_TOTAL files as Excel's SUM leaves it, the doubles added one by one (the
    error can reach the 15 digits Excel shows: 9669307.859999981 is 9669307.85999998)."""
    def __init__(self, exact, excel):
        self.exact, self.excel = exact, excel

    def __str__(self):
        return str(self.exact)


def totals(rows, header, columns, sums, name, accepted):
    """{column index: Total} for the summed columns."""
    out = {}
    for i in sums:
        col = header[i]
        values = []
        if accepted is not None:
            values = [Decimal(r[col]) for r in accepted if r.get(col)]
        else:
            for r in rows:
                v = r[i] if i < len(r) else None
                if isinstance(v, str):
                    v = typed(v, columns[i]["type"], 0)[0]
                n = number_of(v, columns[i]["type"])
                if n is not None:
                    values.append(n)
        s = sum(values, Decimal(0))
        f = 0.0
        for v in values:
            f += float(v)
        if name in WRONG_TOTAL:
            s += 1
            f += 1
        if columns[i]["type"] == "integer":
            out[i] = Total(s.to_integral_value(), int(s))
        else:
            s = s.quantize(Decimal("0.01"))
            out[i] = Total(s, f if name in FLOAT_SUM_TOTAL else float(s))
    return out


# --- writers ----------------------------------------------------------------------------

def fixed_zip(path, cached=None):
    """Rewrite a ZIP with fixed member times (openpyxl stamps the time of saving), and give
    the formula cells of `cached` ({"G4023": value}) the value Excel keeps with a formula
    (openpyxl writes an empty <v/>)."""
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    for ref, value in (cached or {}).items():
        for k, (info, data) in enumerate(members):
            if info.filename == "xl/worksheets/sheet1.xml":
                rx = re.compile(rb'(<c r="' + ref.encode() + rb'"[^>]*><f>[^<]*</f>)<v\s*>\s*</v>')
                data, n = rx.subn(lambda m: m.group(1) + b"<v>" + repr(value).encode() + b"</v>", data)
                if n != 1:
                    fail(f"{path}: no formula cell {ref} to give its value")
                members[k] = (info, data)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 7, 1, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            z.writestr(zi, data)


def write_xlsx(path, name, source, header, rows, columns, truth_cells, total, epoch1904):
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    wb.properties.creator = "余姚市" + source["unit"]
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.lastModifiedBy = None
    ws = wb.active
    ws.title = source["title"][:31]
    cached = {}
    n = len(header)
    ws.cell(1, 1, title_of(source)).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    if n > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(2, 1, "填报单位：" + source["unit"])
    ws.cell(2, max(n - 1, 2), REPORT_DATE)
    # row 3 blank
    for j, h in enumerate(header):
        ws.cell(4, j + 1, h).font = Font(bold=True)
    for k, r in enumerate(rows):
        line = k + 2                       # the tidy line (header = 1)
        for j, v in enumerate(r):
            if (line, header[j]) in truth_cells or columns[j] is None:
                value, fmt = (v if v != "" else None), None
                if isinstance(value, str):
                    c = ws.cell(k + 5, j + 1)
                    c.value = value
                    c.data_type = "s"      # stays text even if it looks like a number
                    continue
            else:
                value, fmt = typed(v, columns[j]["type"], k)
            c = ws.cell(k + 5, j + 1, value)
            if fmt:
                c.number_format = fmt
    numbered = header[0] == "序号"
    if numbered:
        thin = Side(style="thin")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        # the border reaches two columns past the table and over the blank row under it, as
        # formatting copied down and across does: styled cells with no value
        for r in ws.iter_rows(min_row=4, max_row=len(rows) + 5, min_col=1, max_col=n + 2):
            for c in r:
                c.border = box
    below = len(rows) + 5 + 1              # a blank row under the records
    if total is not None:
        ws.cell(below, 1, "合计")
        if numbered and min(total) > 1:
            ws.merge_cells(start_row=below, start_column=1, end_row=below, end_column=min(total))
        for i, s in total.items():
            c = ws.cell(below, i + 1, s.excel)
            if name in FORMULA_TOTAL:      # =SUM(…) with the value Excel cached
                letter = get_column_letter(i + 1)
                c.value = f"=SUM({letter}5:{letter}{len(rows) + 4})"
                cached[f"{letter}{below}"] = s.excel
            c.number_format = "0" if columns[i]["type"] == "integer" else "#,##0.00"
        below += 1
    ws.cell(below, 1, "制表人：王五")
    ws.cell(below + 1, 1, "审核人：赵六")
    wb.save(path)
    fixed_zip(path, cached)


def write_xls(path, source, header, rows, columns, truth_cells, total):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(source["title"][:31])
    styles = {}

    def style(fmt):
        if fmt not in styles:
            styles[fmt] = xlwt.easyxf(num_format_str=fmt) if fmt else xlwt.Style.default_style
        return styles[fmt]

    n = len(header)
    ws.write_merge(0, 0, 0, max(n - 1, 0), title_of(source), xlwt.easyxf("font: bold on, height 320; align: horiz center"))
    ws.write(1, 0, "填报单位：" + source["unit"])
    ws.write(1, max(n - 2, 1), REPORT_DATE)
    for j, h in enumerate(header):
        ws.write(3, j, h, xlwt.easyxf("font: bold on"))
    for k, r in enumerate(rows):
        line = k + 2
        for j, v in enumerate(r):
            if (line, header[j]) in truth_cells or columns[j] is None:
                value, fmt = v, None
            else:
                value, fmt = typed(v, columns[j]["type"], k)
            if value is None or value == "":
                continue
            ws.write(k + 4, j, value, style(fmt))
    below = len(rows) + 4 + 1
    if total is not None:
        ws.write(below, 0, "合计")
        for i, s in total.items():
            integer = columns[i]["type"] == "integer"
            ws.write(below, i, s.excel, style("0" if integer else "#,##0.00"))
        below += 1
    ws.write(below, 0, "制表人：王五")
    ws.write(below + 1, 0, "审核人：赵六")
    wb.save(path)


def write_text(path, rows, encoding, delimiter, bom=b""):
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    with open(path, "wb") as f:
        f.write(bom + buf.getvalue().encode(encoding))


def write_csv_title(path, source, header, rows, columns, total, encoding="utf-8", delimiter=",",
                    bom=codecs.BOM_UTF8):
    n = len(header)
    pad = [""] * (n - 1)
    block = [[title_of(source)] + pad,
             ["填报单位：" + source["unit"]] + pad,
             [""] * n]
    if n >= 3:
        block[1][n - 2] = REPORT_DATE
    tail = [[""] * n]
    if total is not None:
        t = ["合计"] + pad
        for i, s in total.items():
            t[i] = f"{s.exact:,}" if columns[i]["type"] == "integer" else f"{s.exact:,.2f}"
        tail.append(t)
    tail += [["制表人：王五"] + pad, ["审核人：赵六  联系电话：13812345678"] + pad]
    write_text(path, block + [header] + rows + tail, encoding, delimiter, bom)


# --- the conversion -----------------------------------------------------------------------

def split_accepted(accepted_dir, quality):
    """{tidy file: [accepted records as dicts]}: the per-source export cut at each file's
    rows_accepted, in quality.csv's order (the order the files were read)."""
    out = {}
    by_source = {}
    with open(quality, encoding="utf-8") as f:
        for q in csv.DictReader(f):
            by_source.setdefault(q["source"], []).append((q["file"], int(q["rows_accepted"])))
    for source, files in by_source.items():
        path = os.path.join(accepted_dir, source + ".csv")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", newline="") as f:
            recs = list(csv.DictReader(f))
        at = 0
        for name, n in files:
            out[name] = recs[at:at + n]
            at += n
        if at != len(recs):
            fail(f"{source}: the export has {len(recs)} records, quality.csv {at}")
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--truth", help="zf-samplegen's --truth file: the deliberately bad values")
    ap.add_argument("--sources", default=os.path.join(here, "..", "..", "templates", "sources", "yuyao.json"))
    ap.add_argument("--accepted", help="the tidy run's --export-accepted directory")
    ap.add_argument("--quality", help="the tidy run's quality.csv (with --accepted)")
    ap.add_argument("--form", action="append", default=[], metavar="FILE=FORM",
                    help="another form for one tidy file than the table's (repeatable)")
    a = ap.parse_args()
    if bool(a.accepted) != bool(a.quality):
        fail("--accepted and --quality go together")

    sources = {s["id"]: s for s in json.load(open(a.sources, encoding="utf-8"))["sources"]}
    truth = {}
    if a.truth:
        with open(a.truth, encoding="utf-8") as f:
            for t in csv.DictReader(f):
                truth.setdefault(t["file"], set()).add((int(t["line"]), t["column"]))
    accepted = split_accepted(a.accepted, a.quality) if a.accepted else {}

    os.makedirs(a.out, exist_ok=True)
    if any(not n.startswith(".") for n in os.listdir(a.out)):
        fail(a.out + " is not empty")
    for f in a.form:
        name, _, form = f.partition("=")
        if form not in EXTENSION and form != "as-is":
            fail(f"--form {f}: no such form")
        FORMS[name] = form
    names = sorted(n for n in os.listdir(a.src) if not n.startswith("."))
    missing = [n for n in names if n not in FORMS]
    if missing:
        fail("no form for " + ", ".join(missing) + " (add them to FORMS)")
    manifest = {}
    for name in names:
        form = FORMS[name]
        src = os.path.join(a.src, name)
        stem, ext = name.split(".", 1)[0], os.path.splitext(name)[1]
        if form == "as-is":
            shutil.copyfile(src, os.path.join(a.out, name))
            manifest[name] = {"from": name, "form": form, "shift": 0, "total": None}
            continue
        out_name = name[: -len(ext)] + EXTENSION[form]
        dest = os.path.join(a.out, out_name)
        source = sources[stem]
        rows = read_xlsx(src) if ext == ".xlsx" else read_csv(src)
        header, rows = [str(h) for h in rows[0]], rows[1:]
        coltype = {c["name"]: c for c in source["columns"]}
        if name in NUMBERED:
            header = ["序号"] + header
            rows = [[k + 1 if ext == ".xlsx" or form in ("xlsx", "xlsx-1904", "xls") else str(k + 1)] + list(r)
                    for k, r in enumerate(rows)]
        columns = [coltype.get(h.strip()) for h in header]
        sums = summed_columns(columns)
        if form in SHIFT:
            if any(isinstance(v, str) and ("\n" in v or "\r" in v) for r in rows for v in r):
                fail(f"{name}: a record spans several lines; give it a text form")
            if name in accepted:
                acc = accepted[name]
                how = "wrong" if name in WRONG_TOTAL else "accepted-float-sum" if name in FLOAT_SUM_TOTAL else "accepted"
            else:
                acc = None
                how = "wrong" if name in WRONG_TOTAL else "numbers-float-sum" if name in FLOAT_SUM_TOTAL else "numbers"
            total = totals(rows, header, columns, sums, name, acc) if sums else None
            if total is None:
                how = "none"
        if form in ("xlsx", "xlsx-1904"):
            write_xlsx(dest, name, source, header, rows, columns, truth.get(name, set()), total,
                       form == "xlsx-1904")
        elif form == "xls":
            write_xls(dest, source, header, rows, columns, truth.get(name, set()), total)
        elif form == "csv-title":
            write_csv_title(dest, source, header, rows, columns, total)
        elif form == "utf16-txt-title":
            write_csv_title(dest, source, header, rows, columns, total, "utf-16-le", "\t", codecs.BOM_UTF16_LE)
        elif form == "gb18030-csv-title":
            write_csv_title(dest, source, header, rows, columns, total, "gb18030", ",", b"")
        elif form == "utf16-txt":
            write_text(dest, [header] + rows, "utf-16-le", "\t", codecs.BOM_UTF16_LE)
        elif form == "gb18030-tsv":
            write_text(dest, [header] + rows, "gb18030", "\t")
        elif form == "gb18030-csv":
            write_text(dest, [header] + rows, "gb18030", ",")
        entry = {"from": name, "form": form, "shift": SHIFT.get(form, 0), "total": None}
        if form in SHIFT:
            entry["total"] = how
            if total:
                entry["total_values"] = {header[i]: str(s) for i, s in total.items()}
                if form in ("xlsx", "xlsx-1904", "xls"):
                    entry["total_cells"] = {header[i]: repr(s.excel) for i, s in total.items()}
        manifest[out_name] = entry
    with open(os.path.join(a.out, ".forms.json"), "w", encoding="utf-8") as f:
        json.dump({"from": os.path.basename(os.path.normpath(a.src)), "files": manifest}, f,
                  ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
