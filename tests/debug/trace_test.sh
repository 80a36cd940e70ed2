#!/usr/bin/env bash
# --trace on tests/debug/trace_target.asm with the virtual clock: the trace is deterministic, so
# each case is compared line for line with tests/debug/expected/<case>.txt.
# The other categories are checked on guests of tests/guest (by pattern, without the instruction
# counts, which change whenever pvxtest.inc does).
# usage: trace_test.sh PVX IMAGE SOURCE_DIR GUEST_BUILD_DIR
set -u
pvx=$1 image=$2 dir=$3 guests=$4
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok=1
run_case() {  # name, pvx trace arguments...
  local name=$1; shift
  timeout 60 "$pvx" --bios "$image" --debug-exit --clock virtual --serial none "$@" \
    --trace-file "$tmp/$name.txt" </dev/null >/dev/null 2>"$tmp/$name.err"
  local status=$?
  if [ $status != 1 ]; then echo "FAIL $name: exit status $status"; cat "$tmp/$name.err"; ok=0; return; fi
  if ! diff -u "$dir/expected/$name.txt" "$tmp/$name.txt"; then echo "FAIL $name: trace differs"; ok=0; fi
}
run_case insn_io_exc --trace insn,io,exc,pv
run_case range --trace insn --trace-range f0010-f0016
run_case window --trace insn,io --trace-after 7 --trace-count 2
run_case io_only --trace io
# Without --trace-file the trace goes to stderr, and stdout stays the guest's.
timeout 60 "$pvx" --bios "$image" --debug-exit --serial none --debugcon stdio --trace io </dev/null \
  >"$tmp/stdout.txt" 2>"$tmp/stderr.txt"
grep -qx "io 8 out 00e9 size=1 value=41 debugcon" "$tmp/stderr.txt" || { echo "FAIL: stderr trace"; ok=0; }
[ "$(cat "$tmp/stdout.txt")" = "A" ] || { echo "FAIL: stdout has more than the guest's output"; ok=0; }
# docs/debugging.md quotes the first trace: it must be the one pvx produces.
awk '/the `debug.trace` test:/{m=1; next} m && /^```/{if (b) exit; b=1; next} b{print}' \
  "$dir/../../docs/debugging.md" >"$tmp/doc.txt"
diff -u "$dir/expected/insn_io_exc.txt" "$tmp/doc.txt" >/dev/null || { echo "FAIL: docs/debugging.md trace excerpt is stale"; ok=0; }
expect_lines() {  # guest, trace list, regex...
  local guest=$1 list=$2; shift 2
  timeout 60 "$pvx" --bios "$guests/$guest.bin" --debug-exit --serial none --trace "$list" \
    --trace-file "$tmp/g.txt" </dev/null >/dev/null 2>&1
  for re in "$@"; do
    grep -qE "$re" "$tmp/g.txt" || { echo "FAIL $guest --trace $list: no line matches: $re"; ok=0; }
  done
}
expect_lines mmu/paging32 mmu \
  '^mmu [0-9]+ walk-fault 402024 error=2 \(not-present write supervisor\) cr3=20000$' \
  '^mmu [0-9]+ walk-fault 400000 error=7 \(protection write user\) cr3=20000$' \
  '^mmu [0-9]+ invlpg 403000 -> 102000 UC$' \
  '^mmu [0-9]+ tlb-flush cr3=20000 cr4=10$'
expect_lines devices/apic_timer irq,mmio \
  '^mmio [0-9]+ write fee00320 size=4 value=40 lapic\+320$' \
  '^irq [0-9]+ vector=64 source=intr cs:rip=0018:[0-9a-f]+$'
[ $ok = 1 ] && echo PASS
[ $ok = 1 ]
