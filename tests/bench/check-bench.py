#!/usr/bin/env python3
"""Runs `pvx bench` with small workloads and checks the JSON contract and the exits per path:
every workload x path row is present, PV rows used escapes and no port/MMIO exits, emulated rows
used no escapes, and each row did real work. usage: check-bench.py PVX"""
import json, subprocess, sys, tempfile, os

pvx = sys.argv[1]
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "bench.json")
    r = subprocess.run([pvx, "bench", "--disk-mib", "2", "--json", out,
                        "--append", "text=64 clock=5000 pages=512 zero=2"],
                       capture_output=True, text=True, timeout=600)
    print(r.stdout)
    if r.returncode != 0:
        print(r.stderr)
        sys.exit("FAIL: pvx bench exited %d" % r.returncode)
    doc = json.load(open(out))

expected = {
    "console-write": {"uart", "virtio", "pv"},
    "block-seq-write": {"ata-pio", "ata-dma", "virtio", "pv"},
    "block-seq-read": {"ata-pio", "ata-dma", "virtio", "pv"},
    "block-rand-read": {"ata-pio", "ata-dma", "virtio", "pv"},
    "clock-read": {"pit", "cmos", "pv"},
    "mmu-map-unmap": {"pte-invlpg", "pv"},
    "page-zero": {"rep-stos", "pv"},
}
assert "pvx_version" in doc, "missing pvx_version"
seen = {}
errors = []
for row in doc["results"]:
    for key in ("workload", "path", "ops", "bytes", "host_seconds", "guest_instructions", "exits"):
        if key not in row:
            errors.append("row missing %s: %s" % (key, row))
    seen.setdefault(row["workload"], set()).add(row["path"])
    ex = row["exits"]
    if row["ops"] <= 0 or row["guest_instructions"] <= 0:
        errors.append("%s/%s did no work" % (row["workload"], row["path"]))
    if row["path"] == "pv":
        # The clock page is read without any exit; every other PV path escapes.
        if row["workload"] != "clock-read" and ex["pv"] <= 0:
            errors.append("%s/pv made no escape" % row["workload"])
        # The guest's 100 Hz timer tick (an EOI port write) may land in any phase: PV rows may
        # show a few such exits, but far fewer than one per operation.
        if (ex["pio"] + ex["mmio"]) > row["ops"] * 0.02:
            errors.append("%s/pv still had device exits: %s" % (row["workload"], ex))
    else:
        if ex["pv"] != 0:
            errors.append("%s/%s used the escape" % (row["workload"], row["path"]))
        # Device paths cost at least one port exit per operation.
        if row["path"] in ("uart", "ata-pio", "ata-dma", "pit", "cmos") and ex["pio"] < row["ops"]:
            errors.append("%s/%s: fewer port exits than operations: %s" % (row["workload"], row["path"], ex))
        # virtio notifies through an MMIO write: at least one per batch (qd 16), at most a few
        # per operation.
        if row["path"] == "virtio" and not (0 < ex["mmio"] <= 4 * row["ops"]):
            errors.append("%s/virtio: MMIO exits %s for %d operations" % (row["workload"], ex, row["ops"]))
for w, paths in expected.items():
    if seen.get(w) != paths:
        errors.append("%s: paths %s, expected %s" % (w, sorted(seen.get(w, [])), sorted(paths)))
if errors:
    print("\n".join("FAIL: " + e for e in errors))
    sys.exit(1)
print("bench: %d rows, all workloads and paths present: PASS" % len(doc["results"]))
