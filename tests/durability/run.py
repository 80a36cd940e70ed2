#!/usr/bin/env python3
"""Durability: flushed writes survive SIGKILL, and nothing else in the image changes.

Runs flush_then_kill.asm (a ROM guest) under pvx with a pattern-filled raw image as the ATA disk
(also PV block device 0). The guest writes through ATA PIO and through PV block, flushes both,
prints "FLUSHED" on the 0xE9 console and spins; this script kills pvx with SIGKILL as soon as it
reads that line, then checks the image file sector by sector:
  - LBA 10-13 (ATA, flushed) and 100-107 (PV, flushed) hold exactly what the guest wrote;
  - LBA 200 (written through PV after the flush, never flushed) holds either the old or the new
    contents, nothing else;
  - every other sector is byte-identical to the original.
usage: run.py PVX NASM GUEST_INCLUDE_DIR
"""
import os, select, signal, subprocess, sys, tempfile, time

SECTORS = 2048  # 1 MiB image


def original(lba):
    return bytes(((lba * 31 + i * 7 + (i >> 8)) ^ 0x96) & 0xFF for i in range(512))


def main():
    pvx, nasm, include = sys.argv[1:4]
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        rom = os.path.join(tmp, "guest.bin")
        subprocess.run([nasm, "-f", "bin", "-I" + include + "/", "-o", rom,
                        os.path.join(here, "flush_then_kill.asm")], check=True)
        img = os.path.join(tmp, "disk.img")
        with open(img, "wb") as f:
            for lba in range(SECTORS):
                f.write(original(lba))
        proc = subprocess.Popen([pvx, "--bios", rom, "--disk", img, "--debugcon", "stdio"],
                                stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        out = b""
        deadline = time.monotonic() + 60
        try:
            while b"FLUSHED\n" not in out:
                left = deadline - time.monotonic()
                if left <= 0:
                    sys.exit("FAIL: no FLUSHED line within 60 s; output:\n" + out.decode(errors="replace"))
                r, _, _ = select.select([proc.stdout], [], [], left)
                if r:
                    chunk = os.read(proc.stdout.fileno(), 4096)
                    if not chunk:
                        sys.exit("FAIL: pvx exited (status %s) before FLUSHED; output:\n%s"
                                 % (proc.wait(), out.decode(errors="replace")))
                    out += chunk
        finally:
            proc.send_signal(signal.SIGKILL)
            status = proc.wait()
        print(out.decode(errors="replace"), end="")
        if b"FAIL" in out:
            sys.exit("FAIL: the guest reported a failure")
        if status != -signal.SIGKILL:
            sys.exit("FAIL: pvx ended with %s, not by SIGKILL" % status)

        data = open(img, "rb").read()
        if len(data) != SECTORS * 512:
            sys.exit("FAIL: image size changed to %d" % len(data))
        bad = []
        for lba in range(SECTORS):
            got = data[lba * 512:(lba + 1) * 512]
            if 10 <= lba <= 13:
                want = [bytes([(lba * 7 + 1) & 0xFF]) * 512]
            elif 100 <= lba <= 107:
                want = [bytes([(lba * 13 + 3) & 0xFF]) * 512]
            elif lba == 200:
                want = [original(lba), b"\xEE" * 512]
            else:
                want = [original(lba)]
            if got not in want:
                bad.append(lba)
        if bad:
            sys.exit("FAIL: sectors with wrong contents: %s" % bad[:20])
        print("PASS: 12 flushed sectors present after SIGKILL, %d other sectors unchanged" % (SECTORS - 13))


if __name__ == "__main__":
    main()
