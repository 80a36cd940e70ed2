; Durability guest (tests/durability/run.sh): writes sectors through the emulated ATA disk (PIO,
; LBA28) and through the PV block device, flushes each path (ATA FLUSH CACHE, SDM-independent:
; ATA8-ACS 7.10; PV block.flush, docs/pvabi.md), prints "FLUSHED" on the 0xE9 console and spins.
; run.sh kills pvx with SIGKILL when it sees that line and checks the image file: every flushed
; sector holds what was written, every other sector is unchanged.
;   ATA: LBA 10-13, every byte of sector s = (s * 7 + 1) & 0xFF
;   PV:  LBA 100-107, every byte of sector s = (s * 13 + 3) & 0xFF
; Then, unflushed, LBA 200 through PV (it may or may not be in the file; run.sh accepts both).
%define TEST_NAME "durability"
%include "pvxtest.inc"

ATA_DATA    equ 0x1F0
ATA_COUNT   equ 0x1F2
ATA_LBA0    equ 0x1F3
ATA_LBA1    equ 0x1F4
ATA_LBA2    equ 0x1F5
ATA_DRIVE   equ 0x1F6
ATA_CMD     equ 0x1F7
BUF         equ 0x20000          ; sector buffers (RAM)
REQ         equ 0x30000          ; pvx_block_req list

test_main:
        ENTER_PM32
        ; ---- ATA PIO: WRITE SECTORS (30h), 4 sectors at LBA 10 ----
        call ata_wait_ready
        mov dx, ATA_DRIVE
        mov al, 0xE0             ; LBA mode, master, LBA[27:24] = 0
        out dx, al
        mov dx, ATA_COUNT
        mov al, 4
        out dx, al
        mov dx, ATA_LBA0
        mov al, 10
        out dx, al
        mov dx, ATA_LBA1
        xor al, al
        out dx, al
        mov dx, ATA_LBA2
        out dx, al
        mov dx, ATA_CMD
        mov al, 0x30
        out dx, al
        mov ebx, 10
.ata_sector:
        call ata_wait_drq
        mov eax, ebx             ; fill the buffer with (lba * 7 + 1)
        imul eax, eax, 7
        inc eax
        mov edi, BUF
        mov ecx, 512
        rep stosb
        mov esi, BUF
        mov ecx, 256
        mov dx, ATA_DATA
        rep outsw
        inc ebx
        cmp ebx, 14
        jne .ata_sector
        call ata_wait_ready
        mov dx, ATA_CMD
        in al, dx
        test al, 0x01            ; ERR
        jz .ata_ok
        FAIL "ATA write error"
.ata_ok:
        mov dx, ATA_CMD
        mov al, 0xE7             ; FLUSH CACHE
        out dx, al
        call ata_wait_ready
        mov dx, ATA_CMD
        in al, dx
        test al, 0x01
        jz .ata_flushed
        FAIL "ATA flush error"
.ata_flushed:

        ; ---- PV block: one WRITE request of 8 sectors at LBA 100, then block.flush ----
        mov edi, BUF
        mov ebx, 100
.pv_fill:
        mov eax, ebx
        imul eax, eax, 13
        add eax, 3
        mov ecx, 512
        rep stosb
        inc ebx
        cmp ebx, 108
        jne .pv_fill
        mov dword [REQ + 0], 1   ; op = PVX_BLOCK_WRITE
        mov dword [REQ + 4], 0   ; status
        mov dword [REQ + 8], 100 ; lba
        mov dword [REQ + 12], 0
        mov dword [REQ + 16], BUF
        mov dword [REQ + 20], 0
        mov dword [REQ + 24], 8  ; sectors
        mov dword [REQ + 28], 0  ; device 0
        mov eax, 0x0201          ; PVX_CALL_BLOCK_RW
        mov ebx, REQ
        mov ecx, 1
        xor edx, edx
        vmcall
        CHECK_EQ 1, "PV block write of 8 sectors"
        mov eax, 0x0202          ; PVX_CALL_BLOCK_FLUSH
        xor ebx, ebx
        vmcall
        CHECK_EQ 0, "PV block flush"
        PRINTLN "FLUSHED"

        ; ---- unflushed: LBA 200 through PV; the test accepts it present or absent ----
        mov edi, BUF
        mov al, 0xEE
        mov ecx, 512
        rep stosb
        mov dword [REQ + 8], 200
        mov dword [REQ + 24], 1
        mov eax, 0x0201
        mov ebx, REQ
        mov ecx, 1
        xor edx, edx
        vmcall
.spin:
        jmp .spin                ; until SIGKILL

ata_wait_ready:                  ; BSY clear
        mov dx, ATA_CMD
.w:     in al, dx
        test al, 0x80
        jnz .w
        ret
ata_wait_drq:                    ; BSY clear and DRQ set
        mov dx, ATA_CMD
.w:     in al, dx
        test al, 0x80
        jnz .w
        test al, 0x08
        jz .w
        ret

