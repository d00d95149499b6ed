#!/usr/bin/env python3
"""Makes an upgrade fixture: a whole meeting run headless by a released
`conclave` binary, its database and its sealed results sheet and minutes.

Usage: make-upgrade-fixture.py CONCLAVE_BINARY OUT_DIR [SOURCE]
(SOURCE: the commit the binary was built from, recorded in made-by.json)

On the shared fixtures (25-member roster, batch-small): 20 members signed in,
the proposed recusals confirmed, trustees named, PIN slips issued, the default
round opened by a vice chair (the chair is recused for some), every member
casting at the station through `round cast`, the two trustees' tally, the
chair's confirmation; then the results sheet and the minutes are printed.
OUT_DIR gets meeting.db (its WAL folded in), results.pdf, minutes.pdf and
made-by.json (the binary's version and what was cast). The upgrade test
(core/tests/it/upgrade.rs) opens a copy with today's code.
"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

binary, out = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "..", "shared", "fixtures")
data = tempfile.mkdtemp(prefix="conclave-upgrade-")
env = dict(os.environ, CONCLAVE_DATA_DIR=data)


def run(*args, stdin=""):
    p = subprocess.run([binary, "--lang", "zh", *args], input=stdin, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"conclave {' '.join(args)} exited {p.returncode}: {p.stdout}{p.stderr}")
    return p.stdout


db = run("new-meeting", "2025年度实验系列高级职称评审会（升级测试）", "--date", "2025-12-05", "--place", "南宁").strip()
for p in ["committee-25.json", "batch-small"]:
    run("import", os.path.join(fixtures, p), "--meeting", db)
members = [f"M{i:02d}" for i in range(1, 21)]
run("signin", "--meeting", db, *members)
run("recusal", "propose", "--meeting", db)
run("recusal", "confirm", "--meeting", db, "--all")
CHAIR_PASS = "chair-pass-1"
run("trustees", "setup", "--meeting", db, "--chair", "李鹏伟", "--scrutineer", "监票人甲", "--scrutineer", "监票人乙",
    stdin=f"{CHAIR_PASS}\nscrutineer-2\nscrutineer-3\n")

pins_pdf = os.path.join(data, "pins.pdf")
run("print", "pins", "--meeting", db, "--out", pins_pdf)
text = subprocess.run(["pdftotext", "-enc", "UTF-8", pins_pdf, "-"], capture_output=True, text=True, check=True).stdout
roster = json.load(open(os.path.join(fixtures, "committee-25.json"), encoding="utf-8"))
id_of = {m["name"]: m["id"] for m in roster["members"]}
pins, names = {}, []
for line in (l.strip() for l in text.splitlines()):
    if line.startswith("姓名："):
        names.append(line[len("姓名："):].strip())
    elif re.fullmatch(r"\d{6}", line):
        pins[id_of[names.pop(0)]] = line

# The chair is recused for some candidates: a vice chair opens the round.
round_no = int(run("round", "open", "--meeting", db, stdin=pins["M02"] + "\n").strip())
status = json.loads(run("status", "--meeting", db, "--json"))
rnd = next(r for r in status["rounds"] if r["number"] == round_no)
recused = {(r["member"], r["candidate"]) for r in status["recusals"] if r["status"] == "confirmed"}
choices = ["for", "for", "for", "against", "abstain"]
cast = {}
for k, m in enumerate(members):
    lines = [c for c in rnd["candidates"] if (m, c) not in recused]
    picked = {c: choices[(k + i) % 5] for i, c in enumerate(lines)}
    run("round", "cast", "--meeting", db, "--round", str(round_no),
        "--choices", ",".join(f"{c}={v}" for c, v in picked.items()), stdin=pins[m] + "\n")
    for c, v in picked.items():
        cast.setdefault(c, {"for": 0, "against": 0, "abstain": 0})[v] += 1
status = json.loads(run("status", "--meeting", db, "--json"))
rnd = next(r for r in status["rounds"] if r["number"] == round_no)
if rnd["status"] == "open":
    run("round", "close", "--meeting", db, "--round", str(round_no), stdin=pins["M02"] + "\n")
run("round", "tally", "--meeting", db, "--round", str(round_no), "--trustee", "李鹏伟", "--trustee", "监票人乙",
    stdin=f"{CHAIR_PASS}\nscrutineer-3\n")
run("round", "confirm", "--meeting", db, "--round", str(round_no), stdin=pins["M02"] + "\n")

os.makedirs(out, exist_ok=True)
for doc in ["results", "minutes"]:
    extra = ["--round", str(round_no)] if doc == "results" else []
    run("print", doc, "--meeting", db, *extra, "--out", os.path.join(out, f"{doc}.pdf"), stdin=CHAIR_PASS + "\n")
con = sqlite3.connect(db)
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
version = con.execute("PRAGMA user_version").fetchone()[0]
con.close()
shutil.copyfile(db, os.path.join(out, "meeting.db"))
made = {
    "binary": subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip(),
    "source": sys.argv[3] if len(sys.argv) > 3 else "",
    "schema_version": version,
    "round": round_no,
    "cast": cast,
}
json.dump(made, open(os.path.join(out, "made-by.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1)
shutil.rmtree(data)
print(f"{out}: schema {version}, round {round_no}, {len(members)} ballots")
