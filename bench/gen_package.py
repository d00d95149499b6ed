#!/usr/bin/env python3
"""Generates a large conclave-dossier/1 package for the import benchmark.

Usage: gen_package.py OUT_DIR [--candidates 150] [--files 3000] [--gib 2.1]
       [--pdf-pages N] [--first-file SCAN.pdf]
       gen_package.py --scanned-pdf OUT.pdf PAGE1.jpg PAGE2.jpg ...
Evidence files are PDFs by magic bytes filled with random (incompressible)
bytes, as real scanned PDFs are; sizes vary around the mean.
"""
import argparse
import hashlib
import json
import os
import random


def assemble(objs: list, kids: list) -> bytes:
    """The PDF file of `objs` (object 1 the catalog, 2 the page tree, filled
    in here from the page objects `kids`), with its cross-reference table."""
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def text_pdf(pages: int) -> bytes:
    """A real PDF of `pages` text pages (Helvetica), for the viewer benchmark."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for p in range(pages):
        lines = "".join(f"(Page {p + 1} line {i + 1}: benchmark evidence text) Tj T* " for i in range(40))
        stream = f"BT /F1 11 Tf 14 TL 50 790 Td {lines}ET".encode()
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objs)
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
                    f"/Resources << /Font << /F1 3 0 R >> >> >>".encode())
        kids.append(len(objs))
    return assemble(objs, kids)


def scanned_pdf(jpegs: list) -> bytes:
    """A PDF of one full-page JPEG per page (DCTDecode), as a scanner makes."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None]
    kids = []
    for path in jpegs:
        with open(path, "rb") as fh:
            jpeg = fh.read()
        # The JPEG's size from its SOF0/SOF2 marker.
        i = 2
        while i < len(jpeg):
            marker, length = jpeg[i + 1], int.from_bytes(jpeg[i + 2:i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = int.from_bytes(jpeg[i + 5:i + 7], "big"), int.from_bytes(jpeg[i + 7:i + 9], "big")
                comps = jpeg[i + 9]
                break
            i += 2 + length
        space = "/DeviceGray" if comps == 1 else "/DeviceRGB"
        objs.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 "
                    b"/Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, space.encode(), len(jpeg)) + jpeg + b"\nendstream")
        image = len(objs)
        draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        objs.append(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
        content = len(objs)
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
                    f"/Resources << /XObject << /Im0 {image} 0 R >> >> >>".encode())
        kids.append(len(objs))
    return assemble(objs, kids)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--candidates", type=int, default=150)
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--gib", type=float, default=2.1)
    ap.add_argument("--pdf-pages", type=int, default=0,
                    help="make each candidate's first file a real PDF of this many pages")
    ap.add_argument("--first-file", help="use this PDF as the first candidate's first file (a scanned one)")
    a = ap.parse_args()
    rng = random.Random(2025)
    total = int(a.gib * (1 << 30))
    mean = total // a.files
    os.makedirs(a.out, exist_ok=True)
    per = a.files // a.candidates
    candidates = []
    written = 0
    for c in range(a.candidates):
        cid = f"BENCH-{c + 1:04d}"
        os.makedirs(os.path.join(a.out, cid), exist_ok=True)
        achievements = []
        for f in range(per):
            size = mean if f == per - 1 and c == a.candidates - 1 else int(mean * rng.uniform(0.5, 1.5))
            if f == 0 and c == 0 and a.first_file:
                with open(a.first_file, "rb") as fh:
                    data = fh.read()
            elif f == 0 and a.pdf_pages:
                data = text_pdf(a.pdf_pages)
            else:
                data = b"%PDF-1.7\n" + os.urandom(max(size - 9, 0))
            rel = f"{cid}/成果{f + 1}.pdf"
            with open(os.path.join(a.out, rel), "wb") as fh:
                fh.write(data)
            written += len(data)
            achievements.append({
                "id": f"A{f + 1}", "category": "paper", "title": f"成果 {f + 1}", "level": "省部级",
                "representative": f < 3,
                "files": [{"title": "全文", "path": rel, "sha256": hashlib.sha256(data).hexdigest()}],
            })
        candidates.append({
            "id": cid, "name": f"申报人{c + 1}", "organization": "广西大学",
            "applied_title": "高级实验师", "review_group": "理工组", "achievements": achievements,
        })
    manifest = {"format": "conclave-dossier/1", "batch": {"name": "基准测试"}, "candidates": candidates}
    with open(os.path.join(a.out, "dossier.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False)
    print(f"{a.candidates} candidates, {a.candidates * per} files, {written / (1 << 30):.2f} GiB")


if __name__ == "__main__":
    import sys
    if len(sys.argv) > 2 and sys.argv[1] == "--scanned-pdf":
        with open(sys.argv[2], "wb") as fh:
            fh.write(scanned_pdf(sys.argv[3:]))
    else:
        main()
