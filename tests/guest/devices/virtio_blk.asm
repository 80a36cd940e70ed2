; devices/virtio_blk.asm — a minimal virtio-blk driver (OASIS virtio 1.2) for the transitional
; device at PCI 00:03.0 (1AF4:1001), through both interfaces, on a disk that is a copy of this ROM:
;   - PCI: ID, BARs programmed by hand (no BIOS here; BAR4 may be 64-bit as under QEMU), bus
;     mastering, the capability list (§4.1.4) located: common, notify, ISR and device config
;   - modern interface (§3.1.1): reset, ACKNOWLEDGE, DRIVER, VERSION_1 only, FEATURES_OK read
;     back, an 8-entry split queue (§2.7), DRIVER_OK
;   - capacity from the device config = 128 sectors (the 64 KiB image)
;   - IN of sectors 0-1 equals the ROM's first KiB; OUT of sector 100, FLUSH, IN reads it back;
;     IN past the end gives VIRTIO_BLK_S_IOERR (§5.2.6)
;   - INTx#: with PIRQC (slot 3 INTA#, PIRQ[(pin-1+slot-1) mod 4]) routed to IRQ 11 level, the
;     slave 8259's IRR shows IRQ 11 after a request; reading ISR status returns 1 and drops it
;   - legacy interface (I/O BAR0, §4.1.5.1.3 / "Legacy Interfaces"): reset, PFN queue layout,
;     capacity at 0x14, IN of sector 100 still holds what the modern interface wrote
;
; pvx-args: --disk @DISK@,if=virtio
; qemu-args: -drive if=none,id=vd0,file=@DISK@,format=raw -device virtio-blk-pci,drive=vd0,addr=03.0
; expect-output: ok: modern: sectors 0-1 equal the disk image
; expect-output: ok: legacy: sector 100 holds the pattern written through the modern interface
; expect-output: devices/virtio_blk: PASS

%define TEST_NAME "devices/virtio_blk"
%include "pvxtest.inc"

VIO_CFG    equ 0x80000000 | (3 << 11)   ; bus 0, device 3, function 0
ISA_CFG    equ 0x80000000 | (1 << 11)   ; PIIX3 function 0
IO_BASE    equ 0xC000
MEM_BASE   equ 0xE0000000
QSIZE      equ 8
VQ_DESC       equ 0x100000                 ; modern queue
AVAIL      equ 0x101000
USED       equ 0x102000
LEG_PFN    equ 0x200                    ; legacy queue at 0x200000 (4 KiB aligned)
REQ        equ 0x110000
BUF0       equ 0x120000
BUF1       equ 0x130000
STATUS     equ 0x140000

V_COMMON   equ PVX_USER + 0x00          ; absolute addresses of the modern structures
V_NOTIFY   equ PVX_USER + 0x04
V_ISR      equ PVX_USER + 0x08
V_DEVCFG   equ PVX_USER + 0x0C
V_DESC     equ PVX_USER + 0x10          ; the queue in use
V_AVAIL    equ PVX_USER + 0x14
V_USED     equ PVX_USER + 0x18
V_QSIZE    equ PVX_USER + 0x1C
V_LEGACY   equ PVX_USER + 0x20          ; 1: notify through BAR0
V_IDX      equ PVX_USER + 0x24          ; next avail index

test_main:
        ENTER_PM32
        ; ---- PCI ----
        xor edi, edi
        call cfg_rd
        CHECK_EQ 0x10011AF4, "PCI 00:03.0 is a transitional virtio-blk (1AF4:1001)"
        mov edi, 0x10                   ; BAR0: I/O
        mov ecx, IO_BASE
        call cfg_wr
        mov edi, 0x20                   ; BAR4: memory, maybe 64-bit
        call cfg_rd
        mov ebx, eax
        mov ecx, MEM_BASE
        call cfg_wr
        and ebx, 6
        cmp ebx, 4
        jne .bar32
        mov edi, 0x24
        xor ecx, ecx
        call cfg_wr
.bar32: mov edi, 0x04
        mov ecx, 0x0007                 ; I/O, memory, bus master
        call cfg_wr
        mov edi, 0x04
        call cfg_rd
        shr eax, 16
        and eax, 0x10
        CHECK_EQ 0x10, "status: capabilities list"

        ; ---- capabilities (§4.1.4): vendor-specific 09h, cfg_type at +3, bar at +4, offset +8 ----
        mov dword [V_COMMON], 0
        mov dword [V_NOTIFY], 0
        mov dword [V_ISR], 0
        mov dword [V_DEVCFG], 0
        mov edi, 0x34
        call cfg_rd
        movzx esi, al
.cap:   and esi, 0xFC
        jz .caps_done
        mov edi, esi
        call cfg_rd
        mov ebx, eax                    ; id | next << 8 | len << 16 | type << 24
        cmp bl, 0x09
        jne .cap_next
        lea edi, [esi + 4]
        call cfg_rd
        cmp al, 4                       ; every structure pvx and QEMU expose lives in BAR4
        jne .cap_next
        lea edi, [esi + 8]
        call cfg_rd
        add eax, MEM_BASE
        mov edx, ebx
        shr edx, 24
        cmp edx, 1
        jne .c2
        mov [V_COMMON], eax
.c2:    cmp edx, 2
        jne .c3
        mov [V_NOTIFY], eax
        lea edi, [esi + 16]             ; notify_off_multiplier
        call cfg_rd
        mov [PVX_USER + 0x40], eax
.c3:    cmp edx, 3
        jne .c4
        lea edi, [esi + 8]
        call cfg_rd
        add eax, MEM_BASE
        mov [V_ISR], eax
.c4:    cmp edx, 4
        jne .cap_next
        lea edi, [esi + 8]
        call cfg_rd
        add eax, MEM_BASE
        mov [V_DEVCFG], eax
.cap_next:
        movzx esi, bh
        jmp .cap
.caps_done:
        mov eax, [V_COMMON]
        test eax, eax
        CHECK nz, "common config capability found"
        mov eax, [V_NOTIFY]
        test eax, eax
        CHECK nz, "notify capability found"
        mov eax, [V_ISR]
        test eax, eax
        CHECK nz, "ISR capability found"
        mov eax, [V_DEVCFG]
        test eax, eax
        CHECK nz, "device config capability found"

        ; ---- INTx routing: PIRQC -> IRQ 11, level; 8259s initialized, all masked ----
        mov al, 0x11
        out 0x20, al
        out 0xA0, al
        mov al, 0x20
        out 0x21, al
        mov al, 0x28
        out 0xA1, al
        mov al, 4
        out 0x21, al
        mov al, 2
        out 0xA1, al
        mov al, 1
        out 0x21, al
        out 0xA1, al
        mov al, 0xFF
        out 0x21, al
        out 0xA1, al
        mov dx, 0x4D1                   ; ELCR2: IRQ 11 level-triggered
        mov al, 0x08
        out dx, al
        mov edi, 0x60                   ; PIRQRC[A:D] = 10, 10, 11, 11
        call isa_rd
        mov ecx, 0x0B0B0A0A
        call isa_wr

        ; ---- modern initialization (§3.1.1) ----
        mov ebx, [V_COMMON]
        mov byte [ebx + 0x14], 0        ; reset
.rst:   cmp byte [ebx + 0x14], 0
        jne .rst
        mov byte [ebx + 0x14], 1        ; ACKNOWLEDGE
        mov byte [ebx + 0x14], 3        ; DRIVER
        mov dword [ebx + 0x00], 1       ; device_feature_select = 1
        mov eax, [ebx + 0x04]
        and eax, 1
        CHECK_EQ 1, "device offers VIRTIO_F_VERSION_1"
        mov dword [ebx + 0x08], 0
        mov dword [ebx + 0x0C], 0
        mov dword [ebx + 0x08], 1
        mov dword [ebx + 0x0C], 1       ; VERSION_1 only
        mov byte [ebx + 0x14], 0x0B     ; FEATURES_OK
        movzx eax, byte [ebx + 0x14]
        CHECK_EQ 0x0B, "FEATURES_OK accepted"
        movzx eax, word [ebx + 0x12]
        CHECK_EQ 1, "num_queues = 1"
        mov word [ebx + 0x16], 0        ; queue 0
        movzx eax, word [ebx + 0x18]
        cmp eax, QSIZE
        CHECK ae, "queue 0 holds at least 8 entries"
        mov word [ebx + 0x18], QSIZE
        ; clear the rings
        mov edi, VQ_DESC
        mov ecx, 0x3000 / 4
        xor eax, eax
        rep stosd
        mov dword [ebx + 0x20], VQ_DESC
        mov dword [ebx + 0x24], 0
        mov dword [ebx + 0x28], AVAIL
        mov dword [ebx + 0x2C], 0
        mov dword [ebx + 0x30], USED
        mov dword [ebx + 0x34], 0
        movzx eax, word [ebx + 0x1E]    ; queue_notify_off
        imul eax, [PVX_USER + 0x40]
        add [V_NOTIFY], eax
        mov word [ebx + 0x1C], 1        ; queue_enable
        mov byte [ebx + 0x14], 0x0F     ; DRIVER_OK
        mov dword [V_DESC], VQ_DESC
        mov dword [V_AVAIL], AVAIL
        mov dword [V_USED], USED
        mov dword [V_QSIZE], QSIZE
        mov dword [V_LEGACY], 0
        mov dword [V_IDX], 0

        mov ebx, [V_DEVCFG]
        mov eax, [ebx + 4]
        CHECK_EQ 0, "capacity high dword"
        mov eax, [ebx]
        CHECK_EQ 128, "capacity = 128 sectors"

        ; ---- IN sectors 0-1 ----
        mov edi, BUF0
        mov ecx, 1024 / 4
        mov eax, 0xDEADBEEF
        rep stosd
        mov eax, 0                      ; VIRTIO_BLK_T_IN
        xor ebx, ebx
        mov ecx, BUF0
        mov edx, 1024
        mov esi, 2                      ; VIRTQ_DESC_F_WRITE
        call blk_request
        CHECK_EQ 0, "modern: IN status OK"
        mov esi, BUF0
        mov edi, 0xF0000
        mov ecx, 1024 / 4
        repe cmpsd
        sete al
        movzx eax, al
        CHECK_EQ 1, "modern: sectors 0-1 equal the disk image"
        mov ebx, [V_USED]
        mov eax, [ebx + 8]              ; used ring entry 0: len
        CHECK_EQ 1025, "used length = data + status byte"

        ; ---- INTx# and the ISR ----
        mov al, 0x0A                    ; OCW3: read IRR
        out 0xA0, al
        in al, 0xA0
        and eax, 0x08
        CHECK_EQ 0x08, "IRQ 11 requested at the slave 8259 (PIRQC)"
        mov ebx, [V_ISR]
        movzx eax, byte [ebx]
        and eax, 1
        CHECK_EQ 1, "ISR status: queue interrupt"
        movzx eax, byte [ebx]
        CHECK_EQ 0, "ISR status cleared by the read"
        mov al, 0x0A
        out 0xA0, al
        in al, 0xA0
        and eax, 0x08
        CHECK_EQ 0, "IRQ 11 dropped with the ISR read"

        ; ---- OUT sector 100, FLUSH, IN back ----
        mov edi, BUF1
        xor ecx, ecx
.fill:  lea eax, [ecx * 3 + 7]
        mov [edi + ecx], al
        inc ecx
        cmp ecx, 512
        jb .fill
        mov eax, 1                      ; VIRTIO_BLK_T_OUT
        mov ebx, 100
        mov ecx, BUF1
        mov edx, 512
        xor esi, esi
        call blk_request
        CHECK_EQ 0, "modern: OUT status OK"
        mov eax, 4                      ; VIRTIO_BLK_T_FLUSH
        xor ebx, ebx
        xor edx, edx
        call blk_request
        CHECK_EQ 0, "modern: FLUSH status OK"
        call clear_buf0
        xor eax, eax
        mov ebx, 100
        mov ecx, BUF0
        mov edx, 512
        mov esi, 2
        call blk_request
        CHECK_EQ 0, "modern: IN of sector 100 status OK"
        call cmp_buf0_buf1
        CHECK_EQ 1, "modern: sector 100 reads back what was written"
        xor eax, eax
        mov ebx, 128
        mov ecx, BUF0
        mov edx, 512
        mov esi, 2
        call blk_request
        CHECK_EQ 1, "modern: IN past the end -> VIRTIO_BLK_S_IOERR"
        mov ebx, [V_ISR]
        mov al, [ebx]                   ; acknowledge

        ; ---- legacy interface ----
        mov dx, IO_BASE + 0x12
        xor al, al
        out dx, al                      ; reset
        in al, dx
        movzx eax, al
        CHECK_EQ 0, "legacy: status 0 after reset"
        mov al, 3
        out dx, al                      ; ACKNOWLEDGE | DRIVER
        mov dx, IO_BASE + 0x04
        xor eax, eax
        out dx, eax                     ; no features
        mov dx, IO_BASE + 0x14
        in eax, dx
        CHECK_EQ 128, "legacy: capacity at BAR0 + 14h"
        mov dx, IO_BASE + 0x0E
        xor ax, ax
        out dx, ax                      ; queue 0
        mov dx, IO_BASE + 0x0C
        in ax, dx
        movzx ecx, ax                   ; N: the device's queue size
        mov [V_QSIZE], ecx
        mov eax, LEG_PFN << 12
        mov [V_DESC], eax
        mov edi, eax                    ; clear 16 KiB of ring memory
        push ecx
        mov ecx, 0x4000 / 4
        xor eax, eax
        rep stosd
        pop ecx
        mov eax, ecx
        shl eax, 4
        add eax, LEG_PFN << 12
        mov [V_AVAIL], eax
        lea eax, [eax + ecx * 2 + 6 + 4095]
        and eax, ~4095
        mov [V_USED], eax
        mov dx, IO_BASE + 0x08
        mov eax, LEG_PFN
        out dx, eax
        mov dx, IO_BASE + 0x12
        mov al, 7                       ; DRIVER_OK
        out dx, al
        mov dword [V_LEGACY], 1
        mov dword [V_IDX], 0
        call clear_buf0
        xor eax, eax
        mov ebx, 100
        mov ecx, BUF0
        mov edx, 512
        mov esi, 2
        call blk_request
        CHECK_EQ 0, "legacy: IN status OK"
        call cmp_buf0_buf1
        CHECK_EQ 1, "legacy: sector 100 holds the pattern written through the modern interface"
        mov dx, IO_BASE + 0x13
        in al, dx
        movzx eax, al
        and eax, 1
        CHECK_EQ 1, "legacy: ISR status at BAR0 + 13h"
        PASS

; cfg_rd: EDI = register -> EAX (device 3). cfg_wr: EDI, ECX. isa_rd / isa_wr: the PIIX3.
cfg_rd: mov eax, VIO_CFG
        jmp pci_rd
isa_rd: mov eax, ISA_CFG
pci_rd: push edx
        or eax, edi
        mov dx, 0xCF8
        out dx, eax
        mov dx, 0xCFC
        in eax, dx
        pop edx
        ret
cfg_wr: mov eax, VIO_CFG
        jmp pci_wr
isa_wr: mov eax, ISA_CFG
pci_wr: push edx
        or eax, edi
        mov dx, 0xCF8
        out dx, eax
        mov dx, 0xCFC
        mov eax, ecx
        out dx, eax
        pop edx
        ret

clear_buf0:
        push edi
        push ecx
        mov edi, BUF0
        mov ecx, 512 / 4
        xor eax, eax
        rep stosd
        pop ecx
        pop edi
        ret

; -> EAX = 1 if the first 512 bytes of BUF0 and BUF1 are equal
cmp_buf0_buf1:
        mov esi, BUF0
        mov edi, BUF1
        mov ecx, 512 / 4
        repe cmpsd
        sete al
        movzx eax, al
        ret

; blk_request: EAX = type, EBX = sector, ECX = data address, EDX = data length (0: none),
; ESI = data descriptor flags (2: device-writable). Descriptors 0 (header), 1 (data),
; 2 (status); waits for the used ring (polling: QEMU completes asynchronously).
; -> EAX = status byte.
blk_request:
        push ebp
        mov ebp, [V_DESC]
        mov [REQ], eax
        mov dword [REQ + 4], 0
        mov [REQ + 8], ebx
        mov dword [REQ + 12], 0
        mov byte [STATUS], 0xFF
        ; descriptor 0: header, NEXT
        mov dword [ebp + 0], REQ
        mov dword [ebp + 4], 0
        mov dword [ebp + 8], 16
        mov word [ebp + 12], 1
        mov word [ebp + 14], 1
        test edx, edx
        jnz .data
        mov word [ebp + 14], 2          ; no data: straight to the status
        jmp .status
.data:  mov [ebp + 16], ecx
        mov dword [ebp + 20], 0
        mov [ebp + 24], edx
        or esi, 1                       ; NEXT
        mov [ebp + 28], si
        mov word [ebp + 30], 2
.status:
        mov dword [ebp + 32], STATUS
        mov dword [ebp + 36], 0
        mov dword [ebp + 40], 1
        mov word [ebp + 44], 2          ; WRITE
        mov word [ebp + 46], 0
        ; avail ring: ring[idx % size] = 0, then idx + 1
        mov ebx, [V_AVAIL]
        mov eax, [V_IDX]
        xor edx, edx
        div dword [V_QSIZE]
        mov word [ebx + 4 + edx * 2], 0
        mov eax, [V_IDX]
        inc eax
        mov [V_IDX], eax
        mov [ebx + 2], ax
        ; notify queue 0
        cmp dword [V_LEGACY], 0
        je .modern
        mov dx, IO_BASE + 0x10
        xor ax, ax
        out dx, ax
        jmp .wait
.modern:
        mov ebx, [V_NOTIFY]
        mov word [ebx], 0
.wait:  mov ebx, [V_USED]
        mov ecx, 100000000
.poll:  mov ax, [ebx + 2]
        cmp ax, [V_IDX]
        je .done
        pause
        dec ecx
        jnz .poll
        FAIL "request not completed"
.done:  movzx eax, byte [STATUS]
        pop ebp
        ret
