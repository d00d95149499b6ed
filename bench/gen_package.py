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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--candidates", type=int, default=150)
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--gib", type=float, default=2.1)
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
