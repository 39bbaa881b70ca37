"""Write a legacy .xls (BIFF8) the way xlwt does, for test_xls: Chinese text, integers,
9477.87 (stored as the double 9477.8700000000008), cells with date and date-time formats, a
plain number that is a date serial, booleans, blank and empty cells, a first row that is
formatting only, and a second sheet that must not be read.
Usage: make_xlwt.py OUT.xls [1900|1904]"""
import datetime
import sys

import xlwt

wb = xlwt.Workbook(encoding="utf-8")
if len(sys.argv) > 2 and sys.argv[2] == "1904":
    wb.dates_1904 = True
date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
stamp = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM:SS")
ws = wb.add_sheet("救助名单")
ws.write(0, 3, None, date)    # a blank cell with a format: not a row with a value
for col, text in enumerate([" 姓名\u3000", "救助金额", "人数", "发放日期", "是否低保", "备注", "登记时间"]):
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
other = wb.add_sheet("第二页")
other.write(0, 0, "姓名")
other.write(1, 0, "不该读到")
wb.save(sys.argv[1])
