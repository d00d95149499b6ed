#!/usr/bin/env python3
"""Writes the Excel 97-2003 test files of tests/it/xls.rs from the shared
fixtures, with xlwt (pip install xlwt):

- committee-25.xls: committee-25.json as the 评审专家 sheet;
- candidates.xls: every sheet of batch-small-xlsx/candidates.xlsx, cell by
  cell (inline and shared strings, numbers, booleans), with 现职称取得时间 of
  the first candidate as a real date cell (date format) to exercise that path.

Run from this folder: python3 make_xls.py /work/shared/fixtures
"""
import datetime
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

import xlwt

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
fixtures = sys.argv[1]

# The roster.
roster = json.load(open(f"{fixtures}/committee-25.json", encoding="utf-8"))
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("评审专家")
cols = [("编号", "id"), ("姓名", "name"), ("工作单位", "organization"), ("职称", "title"), ("职务", "role"), ("评议组", "review_group")]
for c, (h, _) in enumerate(cols):
    ws.write(0, c, h)
for r, m in enumerate(roster["members"], start=1):
    for c, (_, k) in enumerate(cols):
        if m.get(k) is not None:
            ws.write(r, c, m[k])
wb.save("committee-25.xls")

# The candidates form.
z = zipfile.ZipFile(f"{fixtures}/batch-small-xlsx/candidates.xlsx")
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
        shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
book = ET.fromstring(z.read("xl/workbook.xml"))
rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
target = {r.get("Id"): r.get("Target") for r in rels}
date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
out = xlwt.Workbook(encoding="utf-8")
for sheet in book.find("m:sheets", NS):
    rid = sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    xml = ET.fromstring(z.read("xl/" + target[rid].lstrip("/").removeprefix("xl/")))
    ws = out.add_sheet(sheet.get("name"))
    header = {}
    for c in xml.iter(f"{{{NS['m']}}}c"):
        col_letters, row = re.match(r"([A-Z]+)(\d+)", c.get("r")).groups()
        col = 0
        for ch in col_letters:
            col = col * 26 + ord(ch) - 64
        r, col = int(row) - 1, col - 1
        t = c.get("t")
        if t == "inlineStr":
            value = "".join(x.text or "" for x in c.iter(f"{{{NS['m']}}}t"))
        elif t == "s":
            value = shared[int(c.find("m:v", NS).text)]
        elif t == "b":
            value = c.find("m:v", NS).text == "1"
        else:
            v = c.find("m:v", NS)
            if v is None:
                continue
            value = float(v.text)
            value = int(value) if value.is_integer() else value
        if r == 0:
            header[col] = value
        if sheet.get("name") == "申报人" and r == 1 and header.get(col) == "现职称取得时间":
            ws.write(r, col, datetime.date.fromisoformat(value), date_style)
        else:
            ws.write(r, col, value)
out.save("candidates.xls")
