"""Write a legacy .xls (BIFF8) the way xlwt does, for test_xls: Chinese text, integers,
9477.87 (stored as the double 9477.8700000000008), cells with date and date-time formats, a
plain number that is a date serial, booleans, an error cell, blank and empty cells, a first
row that is formatting only, formula cells with the results Excel saves (a number, a text in
the STRING record after it, a boolean, an error, empty), and a second sheet that must not be
read.  xlwt itself saves no formula results, so its FORMULA record is given them here.
With "sst" instead, a sheet of 600 texts whose shared-string table is longer than one record:
a header row c0..c3, then text i at row 1 + i / 4, column i % 4, "name%04d" % i and then
"低保户" i % 3 times: the table goes on in a CONTINUE record, a string split between the two
(xlwt keeps each string's width; Excel's switch of width there is test_xls_biff's).
Usage: make_xlwt.py OUT.xls [1900|1904|sst]"""
import datetime
import struct
import sys

import xlwt
from xlwt import BIFFRecords

# (row, col) -> the result Excel would have saved: a float, str, bool, ("error", code) or None
RESULTS = {}


def formula_init(self, row, col, xf_index, rpn, calc_flags=0):
    v = RESULTS.get((row, col))
    self._string = b""
    if isinstance(v, bool):
        res = 0xFFFF000000000001 | (int(v) << 16)
    elif isinstance(v, float):
        res = struct.unpack("<Q", struct.pack("<d", v))[0]
    elif isinstance(v, str):
        res = 0xFFFF000000000000
        text = v.encode("utf-16-le")
        data = struct.pack("<HB", len(v), 1) + text
        self._string = struct.pack("<2H", 0x0207, len(data)) + data
    elif isinstance(v, tuple):
        res = 0xFFFF000000000002 | (v[1] << 16)
    else:
        res = 0xFFFF000000000003
    self._rec_data = struct.pack("<3HQHL", row, col, xf_index, res, calc_flags & 3, 0) + rpn


def formula_get(self):
    return BIFFRecords.BiffRecord.get(self) + self._string


BIFFRecords.FormulaRecord.__init__ = formula_init
BIFFRecords.FormulaRecord.get = formula_get

wb = xlwt.Workbook(encoding="utf-8")
if len(sys.argv) > 2 and sys.argv[2] == "sst":
    ws = wb.add_sheet("名单")
    for col in range(4):
        ws.write(0, col, "c%d" % col)
    for i in range(600):
        ws.write(1 + i // 4, i % 4, "name%04d" % i + "低保户" * (i % 3))
    wb.save(sys.argv[1])
    sys.exit(0)
if len(sys.argv) > 2 and sys.argv[2] == "1904":
    wb.dates_1904 = True
date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
stamp = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM:SS")
ws = wb.add_sheet("救助名单")
ws.write(0, 3, None, date)    # a blank cell with a format: not a row with a value
for col, text in enumerate([" 姓名\u3000", "救助金额", "人数", "发放日期", "是否低保", "备注", "登记时间", "合计", "核对"]):
    ws.write(1, col, text)
ws.write(2, 0, "张三")
ws.write(2, 1, 9477.87)
ws.write(2, 2, 12)
ws.write(2, 3, datetime.date(2024, 3, 5), date)
ws.write(2, 4, True)
ws.write(2, 5, "")
ws.write(2, 6, datetime.datetime(2024, 3, 5, 13, 30, 0), stamp)
ws.write(3, 0, "李四")
ws.write(3, 1, 0.1 + 0.2)
ws.write(3, 2, 123456789012)
ws.write(3, 3, 45000)
ws.write(3, 4, False)
ws.write(3, 5, "  说明 ")
# row 4 (0-based) is not written at all
ws.write(5, 0, "王五")
ws.write(5, 1, -1234.5)
ws.write(5, 3, "2024/03/05")
ws.write(6, 20, "far away")
# formulas and their saved results; an error cell
RESULTS.update({(2, 7): 9489.87, (3, 7): "低保户", (5, 7): True, (6, 7): ("error", 0x07), (7, 7): 3.0,
                (8, 7): None})
ws.write(2, 7, xlwt.Formula("B3+C3"))
ws.write(3, 7, xlwt.Formula('"低保"&"户"'))
ws.write(5, 7, xlwt.Formula("1=1"))
ws.write(6, 7, xlwt.Formula("1/0"))
ws.write(7, 7, xlwt.Formula("1+2"))    # a row of formulas only
ws.write(8, 7, xlwt.Formula('""'))     # an empty result: not a row with a value
ws.row(2).set_cell_error(8, 0x2A)     # #N/A
other = wb.add_sheet("第二页")
other.write(0, 0, "姓名")
other.write(1, 0, "不该读到")
wb.save(sys.argv[1])
