#!/usr/bin/env python3
"""Drives Debian's real gdb in batch mode against pvx's GDB stub (--gdb 0 --gdb-wait) running
tests/debug/gdb_target.asm, then talks the remote protocol by hand for what batch gdb cannot do
(Ctrl-C while running, malformed packets). Every step has a timeout; nothing is timing-based.

usage: gdb_test.py PVX GDB IMAGE MAPFILE
"""
import os
import re
import socket
import subprocess
import sys
import tempfile

PVX, GDB, IMAGE, MAPFILE = sys.argv[1:5]
STEP_TIMEOUT = 60
failures = []


def symbols(path):
    syms = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+(\w+)\s*$", line)
            if m:
                syms[m.group(3)] = int(m.group(2), 16)
    return syms


def start_pvx(console, wait=True):
    p = subprocess.Popen([PVX, "--bios", IMAGE, "--debug-exit", "--debugcon", "file:" + console, "--serial", "none",
                          "--gdb", "0", "--max-insns", "2000000000"] + (["--gdb-wait"] if wait else []),
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # pvx prints "pvx: gdb: listening on 127.0.0.1:PORT, waiting for the debugger" before it waits.
    for line in p.stderr:
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if m:
            return p, int(m.group(1))
    p.kill()
    raise SystemExit("pvx did not report its gdb port")


def finish_pvx(p, what, expect_status):
    try:
        _, rest = p.communicate(timeout=STEP_TIMEOUT)
        status = p.returncode
    except subprocess.TimeoutExpired:
        p.kill()
        failures.append(f"{what}: pvx did not exit")
        return
    if status != expect_status:
        failures.append(f"{what}: pvx exit status {status}, expected {expect_status}; stderr: {rest}")


def expect_in_order(text, patterns, what):
    pos = 0
    for pat in patterns:
        m = re.compile(pat, re.M).search(text, pos)
        if not m:
            failures.append(f"{what}: missing (in order): {pat}")
            continue
        pos = m.end()


# ---- part 1: the real gdb -------------------------------------------------------------------
s = symbols(MAPFILE)
tmp = tempfile.mkdtemp()
console = os.path.join(tmp, "console.txt")
p, port = start_pvx(console)
script = f"""
set pagination off
set confirm off
target remote 127.0.0.1:{port}
printf "pc0=%#x cs0=%#x\\n", $pc, $cs
break *{s['real_bp']:#x}
continue
printf "pc1=%#x\\n", $pc
stepi
printf "pc2=%#x rax=%#x\\n", $pc, $rax
x/2xw 0x5000
watch *(unsigned int *)0x5000
continue
printf "pc3=%#x rcx=%#x\\n", $pc, $rcx
delete
hbreak *{s['long_bp']:#x}
continue
printf "pc4=%#x cr0=%#lx efer=%#lx cs=%#x\\n", $pc, $cr0, $efer, $cs
stepi
printf "rdx=%#lx\\n", $rdx
monitor info
monitor phys 0x5000 8
monitor translate {s['long_bp']:#x}
monitor stats
set var *(unsigned int *)0x5004 = 1
x/1xw 0x5004
p $xmm0.uint128
p/x $mxcsr
detach
"""
script_path = os.path.join(tmp, "script.gdb")
with open(script_path, "w") as f:
    f.write(script)
try:
    r = subprocess.run([GDB, "-nx", "-batch", "-x", script_path], capture_output=True, text=True,
                       timeout=STEP_TIMEOUT, stdin=subprocess.DEVNULL)
    out = r.stdout
    # `monitor` output reaches gdb's stderr: checked on its own, in its own order.
    expect_in_order(r.stderr, [
        r"^mode 64-bit, CPL 0$",
        r"^cs:rip 0048:0*%x " % s['long_bp'] + "|^cs:rip 0048:0*%x " % (s['long_bp'] + 10),
        r"^00005000: 44 33 22 11 00 00 00 00 ",
        # CR0.CD is still set from reset (the guest never cleared it): the PAT type is UC.
        rf"^{s['long_bp']:016x} -> 00{s['long_bp']:08x} \(2048 KiB page, UC\)$",
        r'^\{"instructions":\d+,',  # monitor stats: the --stats JSON
    ], "gdb monitor")
    print(r.stderr)
except subprocess.TimeoutExpired as e:
    out = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
    failures.append("gdb timed out")
    p.kill()
print(out)
expect_in_order(out, [
    r"^pc0=0xfffffff0 cs0=0xf000$",
    rf"^Breakpoint 1 at {s['real_bp']:#x}$",
    rf"^Breakpoint 1, {s['real_bp']:#018x} in",
    rf"^pc1={s['real_bp']:#x}$",
    rf"^pc2={s['real_next']:#x} rax=0x1234$",
    r"^0x5000:\s+0x00000000\s+0x00000000$",
    r"^Hardware watchpoint 2: \*\(unsigned int \*\)0x5000$",
    r"^Old value = 0$",
    r"^New value = 287454020$",
    rf"^pc3={s['pm32_after_store']:#x} rcx=0xcafebabe$",
    rf"^Hardware assisted breakpoint 3 at {s['long_bp']:#x}$",
    rf"^Breakpoint 3, {s['long_bp']:#018x} in",
    r"^pc4=%#x cr0=0xe0000011 efer=0x500 cs=0x48$" % s['long_bp'],
    r"^rdx=0x123456789abcdef0$",
    r"^0x5004:\s+0x00000001$",
    r"^\$1 = 0$",
    r"^\$2 = 0x1f80$",
    r"^\[Inferior 1 \(Remote target\) detached\]$",
], "gdb")
finish_pvx(p, "gdb session", 1)  # after detach the guest leaves the spin loop and passes
with open(console) as f:
    con = f.read()
if "spin loop left" not in con or "debug/gdb_target: PASS" not in con:
    failures.append("guest console after detach: " + con)


# ---- part 2: the protocol by hand (Ctrl-C, malformed input) -----------------------------------
def checksum(b):
    return b"%02x" % (sum(b) & 0xFF)


def packet(payload):
    return b"$" + payload + b"#" + checksum(payload)


class Client:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=STEP_TIMEOUT)
        self.buf = b""

    def read_packet(self):
        """Returns the next packet payload, skipping acks."""
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start + 1) if start >= 0 else -1
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                payload = self.buf[start + 1:end]
                self.buf = self.buf[end + 3:]
                return payload
            data = self.s.recv(4096)
            if not data:
                return None
            self.buf += data

    def ask(self, payload):
        """Sends a packet and returns its reply, skipping qRcmd console output (O + hex)."""
        self.s.sendall(packet(payload))
        while True:
            r = self.read_packet()
            if r is None or not re.fullmatch(rb"O[0-9a-f]+", r):
                return r


console2 = os.path.join(tmp, "console2.txt")
p, port = start_pvx(console2)
c = Client(port)
got = c.ask(b"?")
if got not in (b"S05", b"T05"):
    failures.append(f"raw: '?' -> {got!r}")
# Malformed input: a bad checksum is NAKed, garbage and half packets are ignored, an oversized
# packet is refused; pvx must keep answering.
c.s.sendall(b"$g#00")
c.s.sendall(b"garbage\x7f}}}#$$$#zz")
c.s.sendall(b"$" + b"A" * 70000 + b"#00")
for bad in [b"m", b"mzz,4", b"m0,", b"M5000,4:zz", b"P999=00", b"p1ffffffffffffffffff", b"Z9,0,0", b"Z0,,",
            b"qXfer:features:read:other.xml:0,10", b"qXfer:features:read:target.xml:zz", b"X5000,2:a", b"vCont;q",
            b"qRcmd,zz", b"qRcmd," + b"phys 0 99999999".hex().encode(), b"G00"]:
    if c.ask(bad) is None:
        failures.append(f"raw: pvx hung up after {bad!r}")
        break
r = c.ask(b"m" + b"%x" % s['long_bp'] + b",4")
if r != b"48ba" + b"f0de":
    failures.append(f"raw: m long_bp -> {r!r}")
r = c.ask(b"m7fffffffffff0000,4")
if r != b"E14":
    failures.append(f"raw: unmapped read -> {r!r}, expected E14")
xml = c.ask(b"qXfer:features:read:target.xml:0,3fff")
if not xml or not xml.startswith(b"l") or b"<architecture>i386:x86-64</architecture>" not in xml:
    failures.append("raw: target.xml")
# Run, then interrupt with Ctrl-C (the guest spins in 64-bit mode until FLAG is set).
c.s.sendall(packet(b"c"))
c.s.sendall(b"\x03")
stop = c.read_packet()
if stop != b"T02":
    failures.append(f"raw: Ctrl-C -> {stop!r}")
c.s.sendall(packet(b"k"))
c.s.close()
finish_pvx(p, "raw session", 0)

# ---- part 3: attach to a running guest, let it exit -------------------------------------------
# Without --gdb-wait gdb attaches wherever the guest is; the hardware breakpoint on the spin loop
# makes the rest independent of that moment.
console3 = os.path.join(tmp, "console3.txt")
p, port = start_pvx(console3, wait=False)
with open(script_path, "w") as f:
    f.write(f"""
target remote 127.0.0.1:{port}
hbreak *{s['long_spin']:#x}
continue
delete
set var *(unsigned int *)0x5004 = 1
continue
""")
try:
    r = subprocess.run([GDB, "-nx", "-batch", "-x", script_path], capture_output=True, text=True,
                       timeout=STEP_TIMEOUT, stdin=subprocess.DEVNULL)
    print(r.stdout)
    expect_in_order(r.stdout, [rf"^Breakpoint 1, {s['long_spin']:#018x} in", r"^\[Inferior 1 \(Remote target\) exited with code 01\]$"],
                    "gdb attach")
except subprocess.TimeoutExpired:
    failures.append("gdb attach: timed out")
    p.kill()
finish_pvx(p, "attach session", 1)

# ---- part 4: bad command lines ----------------------------------------------------------------
for args in (["--gdb", "70000"], ["--gdb", "x"], ["--gdb-wait"], ["--trace", "insn,bogus"], ["--trace-range", "1-2"],
             ["--trace", "insn", "--trace-range", "9-1"], ["--trace", "io", "--trace-count", "0"]):
    r = subprocess.run([PVX, "--bios", IMAGE] + args, capture_output=True, text=True, timeout=STEP_TIMEOUT)
    if r.returncode != 2 or len(r.stderr.strip().splitlines()) != 1:
        failures.append(f"cli {args}: status {r.returncode}, stderr {r.stderr!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
