"""Write an XLSX the way openpyxl does, for test_reader: a 1904-system workbook (epoch
CALENDAR_MAC_1904, as old Mac Excel saves) whose amounts openpyxl stores with float noise
(9477.87 becomes 9477.870000000001).  Usage: make_openpyxl.py OUT.xlsx [1900|1904]"""
import datetime
import sys

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

wb = openpyxl.Workbook()
if len(sys.argv) > 2 and sys.argv[2] == "1904":
    wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.append(["发放日期", "救助金额"])
ws.append([datetime.date(2024, 3, 1), 9477.87])
ws.append([datetime.date(2025, 12, 31), 1234.56])
ws.append([datetime.date(2023, 1, 1), 12.345])
wb.save(sys.argv[1])
