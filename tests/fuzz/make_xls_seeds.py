"""Write the seed corpus of tests/fuzz/fuzz_xls (tests/fuzz/corpus/fuzz_xls): small workbooks
that reach every record the decoder reads.  xlwt-sst.xls has a shared-string table longer than
one record, a string split between it and its CONTINUE; xlwt-1900/1904.xls are test_xls's workbooks (dates, formulas and their STRING
records, booleans, errors); biff5.xls is the Excel 95 one (GBK text).
Usage: make_xls_seeds.py DIR   (run by /usr/bin/python3, which has xlwt and PyGObject)"""
import os
import subprocess
import sys

import xlwt

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
unit = os.path.join(here, "..", "unit")

for system in ("sst", "1900", "1904"):
    subprocess.run([sys.executable, os.path.join(unit, "make_xlwt.py"),
                    os.path.join(out, "xlwt-%s.xls" % system), system], check=True)
subprocess.run([sys.executable, os.path.join(unit, "make_biff5.py"), os.path.join(out, "biff5.xls")],
               check=True)

# fuzz_xls_biff's seeds: the same workbooks' streams, without the OLE2 container
import gi  # noqa: E402

gi.require_version("Gsf", "1")
from gi.repository import Gsf  # noqa: E402

biff = os.path.join(out, "..", "fuzz_xls_biff")
os.makedirs(biff, exist_ok=True)
for name in sorted(os.listdir(out)):
    ole = Gsf.InfileMSOle.new(Gsf.InputStdio.new(os.path.join(out, name)))
    stream = ole.child_by_name("Workbook") or ole.child_by_name("Book")
    with open(os.path.join(biff, name.replace(".xls", ".biff")), "wb") as f:
        f.write(bytes(stream.read(stream.size)))
