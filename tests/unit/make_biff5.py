"""Write an Excel 95 (BIFF5) workbook for test_xls and the fuzz seeds: no tool on Debian writes
one, so the records are put together here and libgsf (through PyGObject) writes the OLE2
container, with the stream named "Book" as Excel 95 names it.  The text is in code page 936
(GBK): a header row, a record with a name, an amount, a date-formatted number, an RK integer,
a MULRK pair, a formula with a text result (the STRING record after it) and a boolean.
Usage: make_biff5.py OUT.xls"""
import struct
import sys

import gi

gi.require_version("Gsf", "1")
from gi.repository import Gsf  # noqa: E402


def rec(kind, data):
    return struct.pack("<2H", kind, len(data)) + data


def label(row, col, text):
    b = text.encode("gbk")
    return rec(0x0204, struct.pack("<3HH", row, col, 0, len(b)) + b)


def book():
    date_fmt = b"yyyy-mm-dd"
    glob = [rec(0x0809, struct.pack("<4H", 0x0500, 0x0005, 0, 0)),
            rec(0x0042, struct.pack("<H", 936)),
            rec(0x041E, struct.pack("<HB", 164, len(date_fmt)) + date_fmt)]
    glob += [rec(0x00E0, struct.pack("<2H", 0, 0) + bytes(12))] * 16      # the style XFs 0-15
    glob.append(rec(0x00E0, struct.pack("<2H", 0, 164) + bytes(12)))      # XF 16: the date
    name = "名单".encode("gbk")
    glob.append(rec(0x0085, struct.pack("<IHB", 0, 0, len(name)) + name))
    glob.append(rec(0x000A, b""))
    at = sum(map(len, glob))
    glob[-2] = rec(0x0085, struct.pack("<IHB", at, 0, len(name)) + name)
    cells = [rec(0x0809, struct.pack("<4H", 0x0500, 0x0010, 0, 0)),
             rec(0x0000 | 0x0200, struct.pack("<5H", 0, 3, 0, 6, 0))]
    for col, h in enumerate(["姓名", "救助金额", "发放日期", "人数", "合计", "核对"]):
        cells.append(label(0, col, h))
    cells.append(label(1, 0, "张三"))
    cells.append(rec(0x0203, struct.pack("<3Hd", 1, 1, 15, 9477.87)))
    cells.append(rec(0x0203, struct.pack("<3Hd", 1, 2, 16, 45356.0)))
    cells.append(rec(0x027E, struct.pack("<3HI", 1, 3, 15, 12 << 2 | 2)))
    text = "低保户".encode("gbk")
    cells.append(rec(0x0006, struct.pack("<3HQHI", 1, 4, 15, 0xFFFF000000000000, 0, 0) + b"\x00\x00"))
    cells.append(rec(0x0207, struct.pack("<H", len(text)) + text))
    cells.append(rec(0x0205, struct.pack("<3H2B", 1, 5, 15, 1, 0)))
    cells.append(label(2, 0, "李四"))
    cells.append(rec(0x00BD, struct.pack("<2H", 2, 1) + struct.pack("<HI", 15, 30000 << 2 | 3) +
                     struct.pack("<HI", 16, 45000 << 2 | 2) + struct.pack("<H", 2)))
    cells.append(rec(0x000A, b""))
    return b"".join(glob + cells)


out = Gsf.OutputStdio.new(sys.argv[1])
ole = Gsf.OutfileMSOle.new(out)
stream = ole.new_child("Book", False)
data = book()
stream.write(data)
stream.close()
ole.close()
