#!/bin/sh
# pvx-compare.sh: inside a Linux guest on pvx, the same work through emulated hardware and
# through pvx's PV drivers, with a comparison table (busybox sh; scripts/linux-bench runs it):
#   pvx-compare.sh [MIB [CONSOLE_KIB [FORKS [CLOCK]]]]     defaults: 32 256 100 (CLOCK from the host)
#
# Rows: sequential dd reads (1 MiB and 4 KiB blocks) and writes (1 MiB, then fsync) of MIB MiB
# on /dev/sda (ata_piix, pvx's emulated PIIX IDE with bus-master DMA) and /dev/pvxblk0 (pvxblk:
# BLOCK_RW escapes) with O_DIRECT, so the page cache is out of the way; CONSOLE_KIB KiB of text
# written to /dev/ttyS0 (8250 driver, emulated 16550) and /dev/hvc0 (pvxcon: CONSOLE_WRITE),
# as `cat` does (onlcr on) and raw (-opost);
# FORKS fork+exec of /bin/true (no PV twin: the baseline cost of a process in the interpreter).
# When the disk is also a virtio-blk device (pvx --disk FILE,if=all, virtio_blk loaded), the dd
# rows gain /dev/vda: the standard paravirtual middle tier between ATA and the escape.
# Reads cover [0, MIB) MiB of the disk and writes [MIB, 2*MIB): the disk must hold 2*MIB MiB.
#
# Measurements come from /sys/kernel/pvx/stats (pvxinfo.ko: pvx's own counters via INFO_STATS),
# read before and after each step: pvx's host CPU time, the guest's machine clock, guest
# instructions, port and MMIO exits, escapes and interrupts (busybox's date has no %N).
# Which time is honest:
#   host CPU  the CPU time the pvx process spent on the step: what the work cost the host,
#             unaffected by other load on a shared machine. "MB/s" and the PV speed-up use it.
#   guest     the guest's own clock. With pvx --clock virtual (CLOCK, or pvx.clock= on the kernel
#             command line) it is instructions retired (1 ns each) plus time halted; an escape is
#             one instruction however much host work it does, so it measures guest CPU work,
#             not speed. With --clock host it is host wall time, which includes whatever else
#             the host was doing.
# Instructions and exits per unit do not depend on the clock mode (except for the timer
# interrupts that fall into a step). Every figure is net of a baseline run of the same command
# doing no work (see step()).
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

snap() { read -r S_INSN S_PIO S_MMIO S_PV S_TLB S_WALK S_IRQ S_NS S_CPU < $STATS; }

# measure COMMAND...: runs COMMAND (output discarded) between two counter snapshots after
# writing back and dropping the page cache; D_* = the deltas.
measure() {
  sync
  echo 3 > /proc/sys/vm/drop_caches
  snap; i0=$S_INSN p0=$S_PIO m0=$S_MMIO v0=$S_PV q0=$S_IRQ t0=$S_NS c0=$S_CPU
  "$@" > /dev/null 2>/tmp/pvx-compare.err || { cat /tmp/pvx-compare.err; die "$* failed"; }
  snap
  D_CPU=$((S_CPU - c0)) D_NS=$((S_NS - t0)) D_INSN=$((S_INSN - i0)) D_PIO=$((S_PIO - p0))
  D_MMIO=$((S_MMIO - m0)) D_PV=$((S_PV - v0)) D_IRQ=$((S_IRQ - q0))
}

# step WORKLOAD PATH UNITS UNIT BYTES BASELINE... -- COMMAND...: one row, the cost of COMMAND
# (UNITS units of work, BYTES moved) minus that of BASELINE, the same command doing no work
# (dd count=0, cat of an empty file): each command's fork+exec, open, close and fsync cost
# about a million guest instructions and would otherwise blur the per-unit figures.
step() {
  workload=$1 path=$2 units=$3 unit=$4 bytes=$5
  shift 5
  base=
  while [ "$1" != -- ]; do base="$base $1"; shift; done
  shift
  measure $base
  b_cpu=$D_CPU b_ns=$D_NS b_insn=$D_INSN b_pio=$D_PIO b_mmio=$D_MMIO b_pv=$D_PV b_irq=$D_IRQ
  measure "$@"
  echo "$workload $path $units $unit $bytes $((D_CPU - b_cpu)) $((D_NS - b_ns)) $((D_INSN - b_insn)) $((D_PIO - b_pio)) $((D_MMIO - b_mmio)) $((D_PV - b_pv)) $((D_IRQ - b_irq))" >> $ROWS
  echo "$workload $path gross: host_cpu_ns=$D_CPU guest_ns=$D_NS insns=$D_INSN; baseline: host_cpu_ns=$b_cpu guest_ns=$b_ns insns=$b_insn" >> $ROWS.gross
}

dd_read() { dd if=$1 of=/dev/null bs=$2 count=$3 iflag=direct; }
dd_write() { dd if=/dev/zero of=$1 bs=1M count=$2 seek=$MIB oflag=direct conv=fsync; }
flood() { cat $2 > $1; }
# raw: without output processing (-opost: no \n -> \r\n), so the tty layer hands the driver
# whole buffers instead of cutting them at every newline
flood_raw() { ( stty -opost && cat $2; stty opost ) < $1 > $1; }
forks() { n=0; while [ $n -lt $1 ]; do /bin/true; n=$((n + 1)); done; }

# 64-byte lines of text for the console steps
F=/tmp/pvx-compare.flood E=/tmp/pvx-compare.empty
yes 'pvx console flood: 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ' | head -c $((CON_KIB * 1024)) > $F
: > $E
: > $ROWS
: > $ROWS.gross
echo "pvx-compare: Linux $(uname -r), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource), pvx --clock $CLOCK"
step read-1M sda $MIB MiB $((MIB << 20)) dd_read /dev/sda 1M 0 -- dd_read /dev/sda 1M $MIB
step read-1M pvxblk0 $MIB MiB $((MIB << 20)) dd_read /dev/pvxblk0 1M 0 -- dd_read /dev/pvxblk0 1M $MIB
[ -e /dev/vda ] && step read-1M vda $MIB MiB $((MIB << 20)) dd_read /dev/vda 1M 0 -- dd_read /dev/vda 1M $MIB
step read-4k sda $((MIB * 64)) 4KiB $((MIB << 18)) dd_read /dev/sda 4k 0 -- dd_read /dev/sda 4k $((MIB * 64))
step read-4k pvxblk0 $((MIB * 64)) 4KiB $((MIB << 18)) dd_read /dev/pvxblk0 4k 0 -- dd_read /dev/pvxblk0 4k $((MIB * 64))
[ -e /dev/vda ] && step read-4k vda $((MIB * 64)) 4KiB $((MIB << 18)) dd_read /dev/vda 4k 0 -- dd_read /dev/vda 4k $((MIB * 64))
step write-1M sda $MIB MiB $((MIB << 20)) dd_write /dev/sda 0 -- dd_write /dev/sda $MIB
step write-1M pvxblk0 $MIB MiB $((MIB << 20)) dd_write /dev/pvxblk0 0 -- dd_write /dev/pvxblk0 $MIB
[ -e /dev/vda ] && step write-1M vda $MIB MiB $((MIB << 20)) dd_write /dev/vda 0 -- dd_write /dev/vda $MIB
echo "pvx-compare: console flood of $CON_KIB KiB on ttyS0 and hvc0 follows"
step console ttyS0 $CON_KIB KiB $((CON_KIB << 10)) flood /dev/ttyS0 $E -- flood /dev/ttyS0 $F
step console hvc0 $CON_KIB KiB $((CON_KIB << 10)) flood /dev/hvc0 $E -- flood /dev/hvc0 $F
step console-raw ttyS0 $CON_KIB KiB $((CON_KIB << 10)) flood_raw /dev/ttyS0 $E -- flood_raw /dev/ttyS0 $F
step console-raw hvc0 $CON_KIB KiB $((CON_KIB << 10)) flood_raw /dev/hvc0 $E -- flood_raw /dev/hvc0 $F
step fork-exec - $FORKS fork 0 forks 0 -- forks $FORKS

# x / y with one decimal
div1() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "pvx-compare: table (per unit of work, net of the same command doing no work; MB/s = 10^6 bytes per second of pvx host CPU time; guest us = guest clock, pvx --clock $CLOCK)"
echo "| workload | path | units | MB/s | host us/unit | guest us/unit | insns/unit | port exits/unit | MMIO exits/unit | escapes/unit | irqs/unit | PV speed-up |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
prev_cpu=0
while read -r workload path units unit bytes cpu ns insn pio mmio pv irq; do
  [ "$cpu" -gt 0 ] || cpu=1
  mbs=-
  [ "$bytes" -gt 0 ] && mbs=$(div1 $((bytes * 1000)) $cpu)
  speedup=
  case $path in pvxblk0|hvc0) speedup="$(div1 $prev_cpu $cpu)x" ;; esac
  [ "$path" = vda ] || prev_cpu=$cpu
  echo "| $workload | $path | $units x $unit | $mbs | $(div1 $cpu $((units * 1000))) | $(div1 $ns $((units * 1000))) | $((insn / units)) | $(div1 $pio $units) | $(div1 $mmio $units) | $(div1 $pv $units) | $(div1 $irq $units) | $speedup |"
done < $ROWS
while read -r workload path units unit bytes cpu ns insn pio mmio pv irq; do
  echo "pvx-compare: raw $workload $path units=$units unit=$unit bytes=$bytes host_cpu_ns=$cpu guest_ns=$ns insns=$insn pio=$pio mmio=$mmio escapes=$pv irqs=$irq"
done < $ROWS
sed 's/^/pvx-compare: raw /' $ROWS.gross
[ "$CLOCK" = virtual ] && echo "pvx-compare: note: --clock virtual: guest us counts instructions (1 ns each) and halted time; an escape is one instruction, so a PV path's guest time is guest CPU work, not host speed. MB/s and speed-up use pvx's host CPU time."
[ "$CLOCK" = host ] && echo "pvx-compare: note: --clock host: guest us is host wall time and includes other load on the host; MB/s and speed-up use pvx's host CPU time."
echo "pvx-compare: done"
