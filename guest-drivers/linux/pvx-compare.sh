#!/bin/sh
# pvx-compare.sh: inside a Linux guest on pvx, the same work through emulated hardware and
# through pvx's PV drivers, with a comparison table (busybox sh; scripts/linux-bench runs it):
#   pvx-compare.sh [MIB [CONSOLE_KIB [FORKS [CLOCK]]]]     defaults: 32 256 100 (CLOCK from the host)
#
# Rows: sequential dd reads (1 MiB and 4 KiB blocks) and writes (1 MiB, then fsync) of MIB MiB
# on /dev/sda (ata_piix, pvx's emulated PIIX IDE with bus-master DMA) and /dev/pvxblk0 (pvxblk:
# BLOCK_RW escapes) with O_DIRECT, so the page cache is out of the way; CONSOLE_KIB KiB of text
# written to /dev/ttyS0 (8250 driver, emulated 16550) and /dev/hvc0 (pvxcon: CONSOLE_WRITE);
# FORKS fork+exec of /bin/true (no PV twin: the baseline cost of a process in the interpreter).
# Reads cover [0, MIB) MiB of the disk and writes [MIB, 2*MIB): the disk must hold 2*MIB MiB.
#
# Measurements come from /sys/kernel/pvx/stats (pvxinfo.ko: pvx's own counters via INFO_STATS),
# read before and after each step: the machine clock in ns, guest instructions, port and MMIO
# exits, escapes and interrupts. busybox's date has no %N, so the clock comes from there too.
# What the time means depends on pvx's --clock, passed as CLOCK (or pvx.clock= on the kernel
# command line):
#   host     guest time is host time: MB/s and us/op are what a user of this guest sees.
#   virtual  guest time is instructions retired (1 ns each) plus time spent halted. An escape is
#            one instruction however much host work it does, so PV rows look arbitrarily fast:
#            those times say how much guest CPU work a path takes, not how fast the host did it.
# Instructions and exits per unit do not depend on the clock mode (except for the timer
# interrupts that fall into a step).
set -u
MIB=${1:-32}
CON_KIB=${2:-256}
FORKS=${3:-100}
CLOCK=${4:-$(sed -n 's/.*pvx\.clock=\([a-z]*\).*/\1/p' /proc/cmdline)}
CLOCK=${CLOCK:-unknown}
STATS=/sys/kernel/pvx/stats
ROWS=/tmp/pvx-compare.rows

die() { echo "pvx-compare: $*"; exit 1; }
[ -r $STATS ] || die "no $STATS: load pvxinfo.ko"
for d in /dev/sda /dev/pvxblk0 /dev/hvc0 /dev/ttyS0; do [ -e $d ] || die "no $d (load pvxblk.ko/pvxcon.ko)"; done
sectors=$(cat /sys/block/pvxblk0/size)
[ $((sectors / 2048)) -ge $((2 * MIB)) ] || die "the disk has $((sectors / 2048)) MiB, $((2 * MIB)) needed"

snap() { read -r S_INSN S_PIO S_MMIO S_PV S_TLB S_WALK S_IRQ S_NS < $STATS; }

# step WORKLOAD PATH UNITS UNIT BYTES COMMAND...: runs COMMAND (its output discarded) between two
# counter snapshots and records one row: the deltas over UNITS units of work (BYTES moved).
step() {
  workload=$1 path=$2 units=$3 unit=$4 bytes=$5
  shift 5
  sync
  echo 3 > /proc/sys/vm/drop_caches
  snap; i0=$S_INSN p0=$S_PIO m0=$S_MMIO v0=$S_PV q0=$S_IRQ t0=$S_NS
  "$@" > /dev/null 2>/tmp/pvx-compare.err || { cat /tmp/pvx-compare.err; die "$workload/$path failed"; }
  snap
  echo "$workload $path $units $unit $bytes $((S_NS - t0)) $((S_INSN - i0)) $((S_PIO - p0)) $((S_MMIO - m0)) $((S_PV - v0)) $((S_IRQ - q0))" >> $ROWS
}

dd_read() { dd if=$1 of=/dev/null bs=$2 count=$3 iflag=direct; }
dd_write() { dd if=/dev/zero of=$1 bs=1M count=$MIB seek=$MIB oflag=direct conv=fsync; }
flood() { cat /tmp/pvx-compare.flood > $1; }
forks() { n=0; while [ $n -lt $FORKS ]; do /bin/true; n=$((n + 1)); done; }

# 64-byte lines of text for the console steps
yes 'pvx console flood: 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ' | head -c $((CON_KIB * 1024)) > /tmp/pvx-compare.flood
: > $ROWS
echo "pvx-compare: Linux $(uname -r), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource), pvx --clock $CLOCK"
step read-1M sda $MIB MiB $((MIB << 20)) dd_read /dev/sda 1M $MIB
step read-1M pvxblk0 $MIB MiB $((MIB << 20)) dd_read /dev/pvxblk0 1M $MIB
step read-4k sda $((MIB * 64)) 4KiB $((MIB << 18)) dd_read /dev/sda 4k $((MIB * 64))
step read-4k pvxblk0 $((MIB * 64)) 4KiB $((MIB << 18)) dd_read /dev/pvxblk0 4k $((MIB * 64))
step write-1M sda $MIB MiB $((MIB << 20)) dd_write /dev/sda
step write-1M pvxblk0 $MIB MiB $((MIB << 20)) dd_write /dev/pvxblk0
echo "pvx-compare: console flood of $CON_KIB KiB on ttyS0 and hvc0 follows"
step console ttyS0 $CON_KIB KiB $((CON_KIB << 10)) flood /dev/ttyS0
step console hvc0 $CON_KIB KiB $((CON_KIB << 10)) flood /dev/hvc0
step fork-exec - $FORKS fork 0 forks

# x / y with one decimal, rounded
div1() { echo $(( ($1 * 10 + $2 / 2) / $2 )) | sed 's/\(.\)$/.\1/; s/^\./0./'; }

echo "pvx-compare: table (per unit of work; MB/s = 10^6 bytes per guest-clock second; clock=$CLOCK)"
echo "| workload | path | units | MB/s | us/unit | insns/unit | port exits/unit | MMIO exits/unit | escapes/unit | irqs/unit | PV speed-up |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
prev_ns=0
while read -r workload path units unit bytes ns insn pio mmio pv irq; do
  mbs=-
  [ "$bytes" -gt 0 ] && [ "$ns" -gt 0 ] && mbs=$(div1 $((bytes * 1000)) $ns)
  speedup=
  case $path in
    pvxblk0|hvc0) [ "$ns" -gt 0 ] && speedup="$(div1 $prev_ns $ns)x" ;;
  esac
  prev_ns=$ns
  echo "| $workload | $path | $units x $unit | $mbs | $(div1 $ns $((units * 1000))) | $((insn / units)) | $(div1 $pio $units) | $(div1 $mmio $units) | $(div1 $pv $units) | $(div1 $irq $units) | $speedup |"
done < $ROWS
while read -r workload path units unit bytes ns insn pio mmio pv irq; do
  echo "pvx-compare: raw $workload $path units=$units unit=$unit bytes=$bytes ns=$ns insns=$insn pio=$pio mmio=$mmio escapes=$pv irqs=$irq"
done < $ROWS
[ "$CLOCK" = virtual ] && echo "pvx-compare: note: --clock virtual: guest time counts instructions (1 ns each) and halted time; an escape is one instruction, so PV MB/s is guest CPU work, not host speed. Use --clock host for host-time throughput."
echo "pvx-compare: done"
