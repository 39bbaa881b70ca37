"""Write an XLSX the way an office lays out a departmental sheet, with openpyxl: a merged
title over the columns, a 填报单位/日期 line, a blank row, the header on row 4, two records
(the amount with openpyxl's float noise), a blank row, a 合计 row and a 制表人 line.
Usage: make_layouts.py OUT.xlsx"""
import sys

import openpyxl

wb = openpyxl.Workbook()
ws = wb.active
ws["A1"] = "余姚市2024年临时救助台账"
ws.merge_cells("A1:E1")
ws["A2"] = "填报单位：余姚市民政局"
ws.merge_cells("A2:C2")
ws["D2"] = "填报日期：2025年1月5日"
ws.append([])
ws.append(["序号", "姓名", "身份证号", "救助金额", "人数"])
ws.append([1, "张三", "330281199001010011", 9477.87, 3])
ws.append([2, "李四", "330281199001010011", 800.5, 1])
ws["A7"] = "合计"
ws["D7"] = 9477.87 + 800.5
ws["E7"] = 4
ws["B9"] = "制表人：王五"
wb.save(sys.argv[1])
