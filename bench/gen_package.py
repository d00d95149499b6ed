#!/usr/bin/env python3
"""Generates a large conclave-dossier/1 package for the import benchmark.

Usage: gen_package.py OUT_DIR [--candidates 150] [--files 3000] [--gib 2.1]
Evidence files are PDFs by magic bytes filled with random (incompressible)
bytes, as real scanned PDFs are; sizes vary around the mean.
"""
import argparse
import hashlib
import json
import os
import random


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
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {pages} >>".encode()
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--candidates", type=int, default=150)
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--gib", type=float, default=2.1)
    ap.add_argument("--pdf-pages", type=int, default=0,
                    help="make each candidate's first file a real PDF of this many pages")
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
            if f == 0 and a.pdf_pages:
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
    main()
