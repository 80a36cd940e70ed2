#!/usr/bin/env python3
"""Runs the commands of a Markdown document and checks that they print what the document says.

A checked example is a ```sh block whose lines start with "$ " (one command each), followed by a
```text block with the exact combined stdout+stderr of those commands. Blocks of other kinds, and
sh blocks without "$ " lines, are prose. Commands run with bash from the repository root, one
after another in the order of the document, with `pvx` on PATH meaning the binary under test.

  check-doc.py --pvx BUILD/pvx DOC.md            check (exit 1 and a diff on any difference)
  check-doc.py --pvx BUILD/pvx DOC.md --update   rewrite the text blocks with today's output
"""
import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(\w*)\s*$")


def blocks(lines):
    """Yields (kind, first_line_index, last_line_index_exclusive, body_lines) per fenced block."""
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        kind, start = m.group(1), i + 1
        j = start
        while j < len(lines) and lines[j].rstrip("\n") != "```":
            j += 1
        if j == len(lines):
            sys.exit(f"unterminated code block at line {i + 1}")
        yield kind, start, j, lines[start:j]
        i = j + 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pvx", required=True)
    ap.add_argument("doc")
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(a.doc) as f:
        lines = f.readlines()

    bindir = tempfile.mkdtemp(prefix="pvx-doc-")
    os.symlink(os.path.abspath(a.pvx), os.path.join(bindir, "pvx"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"], LC_ALL="C")

    found = list(blocks(lines))
    edits, failures, checked = [], 0, 0
    for n, (kind, start, end, body) in enumerate(found):
        cmds = [l[2:].rstrip("\n") for l in body if l.startswith("$ ")]
        if kind != "sh" or not cmds:
            continue
        if n + 1 >= len(found) or found[n + 1][0] != "text":
            sys.exit(f"{a.doc}:{start}: a checked example needs a ```text block right after it")
        tkind, tstart, tend, expected = found[n + 1]
        script = "set -o pipefail\n" + "\n".join(cmds) + "\n"
        r = subprocess.run(["bash", "-c", script], cwd=root, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=300)
        got = r.stdout.splitlines(keepends=True)
        checked += 1
        if a.update:
            edits.append((tstart, tend, got))
        elif got != expected:
            failures += 1
            print(f"{a.doc}:{start}: the output of\n  " + "\n  ".join(cmds) + "\nchanged:")
            sys.stdout.writelines(difflib.unified_diff(expected, got, "document", "pvx today"))
    if a.update:
        for tstart, tend, got in reversed(edits):
            lines[tstart:tend] = got
        with open(a.doc, "w") as f:
            f.writelines(lines)
        print(f"{a.doc}: {checked} examples rewritten")
        return 0
    print(f"{a.doc}: {checked} examples checked, {failures} differ")
    if checked == 0:
        print("no checked examples found: the document lost its ```sh / ```text pairs?")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
