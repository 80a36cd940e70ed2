#!/usr/bin/env python3
"""Writes the seed corpora in this directory (tests/fuzz/corpus/<target>/seed-*). Re-run after
changing a target's input format: python3 tests/fuzz/corpus/make_seeds.py (needs nasm)."""
import os, struct, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def out(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def nasm(bits, src):
    with tempfile.TemporaryDirectory() as t:
        s, b = os.path.join(t, "a.asm"), os.path.join(t, "a.bin")
        open(s, "w").write("bits %d\n%s\n" % (bits, src))
        subprocess.run(["nasm", "-f", "bin", "-o", b, s], check=True)
        return open(b, "rb").read()


# ---- cpu: mode byte, 15 register-seed bytes, code (tests/fuzz/cpu_fuzz.cpp) ----
REGS = bytes(range(1, 16))
COMMON = """
    mov ax, 0x1234
    add ax, bx
    imul cx, dx, 7
    xchg si, di
    push ax
    pop bx
    rep movsb
    lea ax, [esi+4]
    div cl
    int3
    cpuid
    rdtsc
    in al, 0x60
    out 0x80, al
    hlt
"""
MODES = {0: 16, 1: 16, 2: 32, 3: 32, 4: 64, 5: 32, 6: 16}
for mode, bits in MODES.items():
    out("cpu", "mode%d-basic" % mode, bytes([mode]) + REGS + nasm(bits, COMMON))
out("cpu", "mode2-sse", bytes([0x22]) + REGS + nasm(32, """
    movaps xmm0, [esp]
    addps xmm0, xmm1
    cvtsi2sd xmm2, eax
    pshufb xmm3, xmm4
    fld1
    fsqrt
    fstp dword [esp]
    fxsave [0x20000]
    xsave [0x20000]
"""))
out("cpu", "mode4-system", bytes([4]) + REGS + nasm(64, """
    mov rax, cr0
    mov cr3, rax
    lgdt [rsp]
    lidt [rsp]
    ltr ax
    mov ss, ax
    syscall
    sysret
    iretq
    wrmsr
    rdmsr
    invlpg [rax]
    swapgs
    vmcall
    mov rax, [rel $+0x100]
    lock cmpxchg16b [rsp]
"""))
out("cpu", "mode3-user-far", bytes([0x13]) + REGS + nasm(32, """
    call 0x30:0
    jmp 0x08:0x10000
    retf
    iret
    int 0x80
    mov ds, ax
    les eax, [ebx]
    lar eax, ebx
    verr ax
    sgdt [esp]
    cli
    sti
"""))
out("cpu", "mode6-v86", bytes([0x46]) + REGS + nasm(16, """
    pushf
    popf
    cli
    sti
    int 0x21
    iret
    in al, dx
    outsb
"""))

# ---- pv: call count, 6 x u64 per call, guest memory (tests/fuzz/pv_fuzz.cpp) ----
def call(idx, rbx=0, rcx=0, rdx=0, rsi=0, rdi=0):
    return struct.pack("<6Q", idx, rbx, rcx, rdx, rsi, rdi)

# Indices into Dispatcher::calls(): 0 version, 1 features, 2 stats, 3 console.write, 4 console.read,
# 5 block.info, 6 block.rw, 7 block.flush, 8 clock.set_page, 9 wallclock, 10 mmu.update,
# 11 mmu.flush, 12 mmu.zero, 13 mmu.copy, 14 halt_until, 15 off, 16 reset, 17 multicall.
KLIST, KDATA = 0x10000, 0x100000
out("pv", "info", bytes([2]) + call(0) + call(1) + call(2, KDATA, 64))
out("pv", "console", bytes([1]) + call(3, KDATA, 32) + call(4, KDATA, 16) + b"hello, world\n" * 4)
def blockreq(op, lba, buf, sectors, device=0):
    return struct.pack("<IiQQII", op, 0, lba, buf, sectors, device)


reqs = blockreq(1, 3, KDATA + 0x1000, 2) + blockreq(0, 0, 0x200000, 4) + blockreq(2, 0, 0, 0) + blockreq(0, 62, KDATA, 4)
out("pv", "block", bytes([3]) + call(5, 0) + call(6, KLIST, 4, 0) + call(7, 0) + reqs)
out("pv", "block-big", bytes([0]) + call(6, KLIST, 1, 0) + blockreq(0, 0, 0x100000, 64) + bytes(64))
out("pv", "mmu", bytes([3]) + call(12, 0x200000, 4) + call(13, 0x200000, 2, 0, 0x100000) + call(11, KLIST, 3) +
    struct.pack("<4Q", 0x1000, 0x2000, 0xFFFFFFFFFFFFF000, 0) * 4)
out("pv", "mmu-update", bytes([0]) + call(10, KLIST, 3) +
    struct.pack("<3Q", 0x3000, 0x1003, 0x400000) + struct.pack("<3Q", 0x3008, 0x2003, 0xFFFFFFFFFFFFFFFF) +
    struct.pack("<3Q", 0x3FFF8, 0x5, 0x1000))
out("pv", "clock", bytes([2]) + call(8, 0x100000) + call(9) + call(14, 6_000_000_000))


def multi(callnum, *args):
    a = list(args) + [0] * (6 - len(args))
    return struct.pack("<8Q", callnum, *a, 0)


out("pv", "multicall", bytes([0]) + call(17, KLIST, 4) +
    multi(0x0000) + multi(0x0100, KDATA, 8) + multi(0x0201, KLIST + 256, 1) + multi(0x0202, 0) + bytes(0) +
    blockreq(1, 5, KDATA, 1))

# ---- devices: 8-byte operations (tests/fuzz/devices_fuzz.cpp) ----
PORTS = [0x20, 0x21, 0xA0, 0xA1, 0x4D0, 0x4D1, 0x40, 0x41, 0x42, 0x43, 0x61, 0x70, 0x71, 0x3F8,
         0x3F9, 0x3FA, 0x3FB, 0x3FC, 0x3FD, 0x3FE, 0x3FF, 0x60, 0x64, 0x92, 0xCF8, 0xCF9, 0xCFA, 0xCFB,
         0xCFC, 0xCFD, 0xCFE, 0xCFF, 0x1F0, 0x1F1, 0x1F2, 0x1F3, 0x1F4, 0x1F5, 0x1F6, 0x1F7, 0x3F6, 0x170,
         0x171, 0x172, 0x173, 0x174, 0x175, 0x176, 0x177, 0x376, 0xF0, 0xB2, 0xB3, 0xC000, 0xC002, 0xC004,
         0xC008, 0xC00A, 0xC00C, 0x600, 0x602, 0x604, 0x608, 0x620, 0x700]


def pw(port, value, size=1):
    return struct.pack("<BHBI", 0, PORTS.index(port), {1: 0, 2: 1, 4: 2}[size], value)


def pr(port, size=1):
    return struct.pack("<BHBI", 2, PORTS.index(port), {1: 0, 2: 1, 4: 2}[size], 0)


def mmio(offset, value=None, ioapic=False, size=4):
    flags = {1: 0, 2: 1, 4: 2, 8: 3}[size] | (0x40 if ioapic else 0) | (0x10 if value is not None else 0)
    return struct.pack("<BHBI", 3, offset, flags, value or 0)


def tick(n):
    return struct.pack("<BHBI", 4, 0, 0, n)


def inta():
    return struct.pack("<BHBI", 5, 0, 0, 0)


out("devices", "pic-pit", pw(0x20, 0x11) + pw(0x21, 0x08) + pw(0x21, 0x04) + pw(0x21, 0x01) + pw(0x21, 0x00) +
    pw(0x43, 0x34) + pw(0x40, 0x00) + pw(0x40, 0x10) + tick(100000) + inta() + pw(0x20, 0x20) + pr(0x40) + pr(0x61))
out("devices", "ata-identify", pw(0x1F6, 0xA0) + pw(0x1F7, 0xEC) + pr(0x1F7) + pr(0x1F0, 2) * 8 +
    pw(0x1F2, 1) + pw(0x1F3, 5) + pw(0x1F7, 0x20) + pr(0x1F0, 2) * 8 + pw(0x1F7, 0x30) + pw(0x1F0, 0xABCD, 2) * 8 +
    pw(0x1F7, 0xE7) + pw(0x3F6, 0x04) + pw(0x3F6, 0x00))
out("devices", "pci-ide-dma", pw(0xCF8, 0x80000904, 4) + pr(0xCFC, 4) + pw(0xCF8, 0x80000920, 4) +
    pw(0xCFC, 0xC001, 4) + pw(0xCF8, 0x80000904, 4) + pw(0xCFC, 0x5, 4) + pw(0xC004, 0x1000, 4) +
    pw(0x1F6, 0xE0) + pw(0x1F2, 2) + pw(0x1F7, 0xC8) + pw(0xC000, 0x09) + tick(1000) + pr(0xC002) + pr(0x1F7))
out("devices", "uart-rtc-kbc", pw(0x3FB, 0x80) + pw(0x3F8, 1) + pw(0x3F9, 0) + pw(0x3FB, 3) + pw(0x3F9, 0x0F) +
    pw(0x3F8, 0x41) + pr(0x3FD) + pr(0x3FA) + pw(0x70, 0x0A) + pr(0x71) + pw(0x70, 0x0B) + pw(0x71, 0x42) +
    tick(2000000) + pw(0x70, 0x0C) + pr(0x71) + pw(0x64, 0xAA) + pr(0x60) + pw(0x64, 0xD1) + pw(0x60, 0xDF) + pr(0x92))
out("devices", "apic", mmio(0xF0, 0x1FF) + mmio(0x320, 0x20030) + mmio(0x3E0, 0xB) + mmio(0x380, 1000) +
    tick(50000) + inta() + mmio(0xB0, 0) + mmio(0x30) + mmio(0x00, 0x10, ioapic=True) + mmio(0x10, 0x30, ioapic=True) +
    mmio(0x00, 0x01, ioapic=True) + mmio(0x10, ioapic=True) + struct.pack("<BHBI", 6, 0x0101, 0, 0) + inta())
out("devices", "acpi-pm", pw(0xCF8, 0x80000B40, 4) + pw(0xCFC, 0x601, 4) + pw(0xCF8, 0x80000B80, 4) +
    pw(0xCFC, 1, 4) + pr(0x608, 4) + pw(0x604, 0x2001, 2) + pw(0xB2, 0x01) + pw(0xCF9, 0x06))

# ---- loaders: selector, split (0-255 of the file), command-line length, file (loaders_fuzz.cpp) ----
bz = bytearray(0x400 + 512)
bz[0x1F1] = 1  # setup_sects
struct.pack_into("<H", bz, 0x1FE, 0xAA55)
bz[0x202:0x206] = b"HdrS"
struct.pack_into("<H", bz, 0x206, 0x020F)
bz[0x211] = 1  # LOADED_HIGH
struct.pack_into("<I", bz, 0x22C, 0x37FFFFFF)  # initrd_addr_max
struct.pack_into("<I", bz, 0x238, 255)  # cmdline_size
struct.pack_into("<I", bz, 0x260, 0x100000)  # init_size
out("loaders", "bzimage", bytes([0, 230, 13]) + bytes(bz) + b"INITRD" * 20 + b"console=ttyS0")

elf = bytearray(52 + 32 + 64)
elf[0:4] = b"\x7fELF"
elf[4], elf[5], elf[6] = 1, 1, 1
struct.pack_into("<HHIIIIIHHHHHH", elf, 16, 2, 3, 1, 0x100000, 52, 0, 0, 52, 32, 1, 0, 0, 0)
struct.pack_into("<8I", elf, 52, 1, 84, 0x100000, 0x100000, 64, 128, 5, 4096)
struct.pack_into("<3I", elf, 84, 0x1BADB002, 3, (-(0x1BADB002 + 3)) & 0xFFFFFFFF)
out("loaders", "multiboot-elf", bytes([1, 200, 4]) + bytes(elf) + b"MODULE" * 6 + b"arg1")

aout = bytearray(64)
struct.pack_into("<8I", aout, 0, 0x1BADB002, 0x10003, (-(0x1BADB002 + 0x10003)) & 0xFFFFFFFF,
                 0x100000, 0x100000, 0x100040, 0x101000, 0x100020)
out("loaders", "multiboot-aout", bytes([1, 255, 0]) + bytes(aout))
rom = bytearray(b"\x90" * 4096)
rom[-16:] = b"\xEA\x00\xE0\x00\xF0" + bytes(11)
out("loaders", "rom", bytes([2, 0, 0]) + bytes(rom))
out("loaders", "disk", bytes([3, 0, 0]) + bytes(range(256)) * 4 + b"partial sector")
