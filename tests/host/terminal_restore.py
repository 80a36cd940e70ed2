#!/usr/bin/env python3
"""With --serial stdio pvx puts its terminal in raw, non-blocking mode (src/host/terminal.cpp).
Every way out must give the terminal back as it was: a normal exit (--max-insns reached), and
SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE (stdout's reader gone) and SIGABRT while the guest
runs (pvx then dies of that signal, as a shell expects). The terminal is a pseudo-terminal this script owns; the guest is a ROM that spins.
usage: terminal_restore.py PVX
"""
import fcntl, os, pty, select, signal, subprocess, sys, tempfile, termios, time


def spin_rom(path):
    rom = bytearray(b"\xF4" * 65536)
    rom[0xFFF0:0xFFF2] = b"\xEB\xFE"  # F000:FFF0: jmp $
    open(path, "wb").write(rom)


def drain(master):
    while select.select([master], [], [], 0)[0]:
        try:
            if not os.read(master, 4096):
                return
        except OSError:
            return


def run_case(pvx, rom, sig):
    master, slave = pty.openpty()
    try:
        before = termios.tcgetattr(slave)
        flags_before = fcntl.fcntl(slave, fcntl.F_GETFL)
        args = [pvx, "--bios", rom, "--serial", "stdio"]
        if sig is None:
            args += ["--max-insns", "50000000"]
        proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
        deadline = time.monotonic() + 30
        raw_seen = False
        while time.monotonic() < deadline and proc.poll() is None:
            drain(master)
            if termios.tcgetattr(slave) != before:
                raw_seen = True
                break
            time.sleep(0.01)
        if not raw_seen:
            proc.kill()
            proc.wait()
            return "pvx never put the terminal in raw mode"
        if sig is not None:
            os.kill(proc.pid, sig)
        while proc.poll() is None:
            drain(master)
            time.sleep(0.01)
        status = proc.returncode
        want = -sig if sig is not None else 6  # 6: --max-insns reached (README exit statuses)
        if status != want:
            return "exit status %s, expected %s" % (status, want)
        if termios.tcgetattr(slave) != before:
            return "terminal attributes not restored"
        if fcntl.fcntl(slave, fcntl.F_GETFL) != flags_before:
            return "file status flags (O_NONBLOCK) not restored"
        return None
    finally:
        os.close(master)
        os.close(slave)


def main():
    pvx = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        rom = os.path.join(tmp, "spin.bin")
        spin_rom(rom)
        failures = []
        for name, sig in (("exit", None), ("SIGINT", signal.SIGINT), ("SIGTERM", signal.SIGTERM),
                          ("SIGHUP", signal.SIGHUP), ("SIGQUIT", signal.SIGQUIT), ("SIGPIPE", signal.SIGPIPE),
                          ("SIGABRT", signal.SIGABRT)):
            err = run_case(pvx, rom, sig)
            print("%s: %s" % (name, "restored" if err is None else "FAIL: " + err))
            if err:
                failures.append(name)
        if failures:
            sys.exit("FAIL: " + ", ".join(failures))
        print("PASS")


if __name__ == "__main__":
    main()
