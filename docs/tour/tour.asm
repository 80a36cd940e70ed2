; tour.asm — the guest of the guided tour (docs/tour.md). From the reset vector it goes to 32-bit
; protected mode and on to 64-bit long mode, then reads sector 0 of the disk twice: once the way
; a driver talks to an emulated ATA disk (programmed I/O, one port access at a time), once through
; pvx's escape (one VMCALL with a request list), and checks that both reads got the same bytes.
; Build: nasm -f bin -I tests/guest/include/ -o tour.bin docs/tour/tour.asm
; Run:   pvx --bios tour.bin --disk tour.img --debugcon stdio --debug-exit
%define TEST_NAME "tour"
%include "pvxtest.inc"

ATA_DATA        equ 0x1F0               ; ATA command block registers (primary channel)
ATA_COUNT       equ 0x1F2
ATA_LBA0        equ 0x1F3
ATA_LBA1        equ 0x1F4
ATA_LBA2        equ 0x1F5
ATA_DEVICE      equ 0x1F6
ATA_STATUS      equ 0x1F7               ; read: status; write: command
ATA_CMD_READ    equ 0x20                ; READ SECTORS (PIO)
ST_BSY          equ 0x80
ST_DRQ          equ 0x08

ATA_BUF         equ 0x20000             ; sector 0 as the ATA disk returned it
PV_BUF          equ 0x21000             ; sector 0 as the escape returned it
PV_REQ          equ 0x22000             ; struct pvx_block_req (docs/pvabi.md, BLOCK_RW)
PVX_CALL_BLOCK_RW equ 0x201

test_main:
        ENTER_PM32
        ENTER_LONG64
        PRINTLN "tour: 64-bit long mode"

        ; --- 1. The emulated way: ATA PIO READ SECTORS of LBA 0 (ATA/ATAPI-6 8.27, 9.5). Every
        ;        IN/OUT below is one access pvx's ATA model handles: an "exit" on real hardware.
        mov dx, ATA_STATUS
.busy:  in al, dx                       ; wait until the drive is not busy
        test al, ST_BSY
        jnz .busy
        mov dx, ATA_DEVICE
        mov al, 0xE0                    ; LBA mode, master, LBA bits 27:24 = 0
        out dx, al
        mov dx, ATA_COUNT
        mov al, 1                       ; one sector
        out dx, al
        xor eax, eax                    ; LBA 0: bits 7:0, 15:8, 23:16
        mov dx, ATA_LBA0
        out dx, al
        mov dx, ATA_LBA1
        out dx, al
        mov dx, ATA_LBA2
        out dx, al
        mov dx, ATA_STATUS              ; written: the command register
        mov al, ATA_CMD_READ
        out dx, al                      ; the drive starts
.drq:   in al, dx                       ; wait for "data request"
        test al, ST_BSY
        jnz .drq
        test al, ST_DRQ
        jz .drq
        mov edi, ATA_BUF
        mov dx, ATA_DATA
        mov ecx, 256
        rep insw                        ; 256 reads of the 16-bit data register
        mov dx, ATA_STATUS
        in al, dx                       ; the final status read
        PRINTLN "tour: ATA read done"

        ; --- 2. The PV way: is this pvx? (CPUID 0x40000000: signature "pvxPVXpvxPVX")
        mov eax, 0x40000000
        cpuid
        cmp ebx, 0x50787670
        CHECK e, "pvx signature at CPUID 0x40000000"
        ; one BLOCK_RW request: read 1 sector of device 0 at LBA 0 into PV_BUF
        mov rdi, PV_REQ
        mov dword [rdi], 0              ; op = PVX_BLOCK_READ
        mov dword [rdi + 4], -1         ; status (pvx writes 0)
        mov qword [rdi + 8], 0          ; lba
        mov qword [rdi + 16], PV_BUF    ; buffer
        mov dword [rdi + 24], 1         ; sectors
        mov dword [rdi + 28], 0         ; device
        mov eax, PVX_CALL_BLOCK_RW
        mov rbx, PV_REQ                 ; the list
        mov ecx, 1                      ; one entry
        xor edx, edx                    ; start index
        vmcall                          ; the escape: pvx does the whole read
        CHECK_EQ 1, "BLOCK_RW: one request done"
        mov eax, [PV_REQ + 4]
        CHECK_EQ 0, "request status 0"
        PRINTLN "tour: PV read done"

        ; --- 3. Same bytes both ways.
        mov rsi, ATA_BUF
        mov rdi, PV_BUF
        mov ecx, 512
        repe cmpsb
        CHECK e, "ATA and PV read the same 512 bytes"
        PASS
