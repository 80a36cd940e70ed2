; INT 13h on drive 80h (2 MiB disk): 41h/08h/15h/48h, CHS and extended reads checked against the
; disk pattern (across head, cylinder and 64 KiB boundaries, more than 128 sectors at once),
; writes read back both ways, errors, floppy and missing drives.
; expect-output: boot/int13: PASS
; disk-size: 2M
; pvx-args: -m 64
%define TEST_NAME "boot/int13"
%include "boot.inc"

DAP     equ 0x0700
EDDBUF  equ 0x0600

test_main:
        ; --- 41h: extensions present
        mov ah, 0x41
        mov bx, 0x55AA
        mov dl, 0x80
        int 0x13
        CHECK nc, "41h: CF clear"
        movzx eax, bx
        CHECK_EQ 0xAA55, "41h: BX = AA55h"
        movzx eax, cx
        and eax, 1
        CHECK_EQ 1, "41h: extended disk access supported"
        mov ah, 0x41
        mov bx, 0x1234
        mov dl, 0x80
        int 0x13
        CHECK c, "41h without the 55AAh key fails"

        ; --- 08h: geometry
        mov ah, 0x08
        mov dl, 0x80
        xor di, di
        int 0x13
        CHECK nc, "08h: CF clear"
        movzx eax, dl
        CHECK_EQ 1, "08h: one hard disk"
        mov al, cl
        and ax, 0x3F
        mov [g_spt], ax
        movzx ax, dh
        inc ax
        mov [g_heads], ax
        movzx ax, cl
        shl ax, 2
        and ax, 0x300
        mov al, ch
        inc ax
        mov [g_cyls], ax
        PRINT "geometry "
        movzx eax, word [g_cyls]
        PRINT_DEC
        PRINT "/"
        movzx eax, word [g_heads]
        PRINT_DEC
        PRINT "/"
        movzx eax, word [g_spt]
        PRINT_DEC
        PRINTLN ""
        ; the CHS capacity fits the disk (4096 sectors) and wastes less than a cylinder
        movzx eax, word [g_cyls]
        movzx ebx, word [g_heads]
        mul ebx
        movzx ebx, word [g_spt]
        mul ebx
        mov [g_chs_total], eax
        cmp eax, 4096
        CHECK be, "08h: CHS capacity within the disk"
        movzx ebx, word [g_heads]
        movzx ecx, word [g_spt]
        imul ebx, ecx
        add eax, ebx
        cmp eax, 4096
        CHECK a, "08h: CHS capacity within a cylinder of the disk size"

        ; --- 15h: fixed disk, CX:DX sectors
        mov ah, 0x15
        mov dl, 0x80
        int 0x13
        CHECK nc, "15h: CF clear"
        movzx eax, ah
        CHECK_EQ 3, "15h: AH = 03h (fixed disk)"
        mov ax, cx
        shl eax, 16
        mov ax, dx
        cmp eax, [g_chs_total]
        CHECK e, "15h: CX:DX = CHS capacity"

        ; --- 48h: EDD 3.0 parameters
        mov word [EDDBUF], 0x42
        mov ah, 0x48
        mov dl, 0x80
        mov si, EDDBUF
        int 0x13
        CHECK nc, "48h: CF clear"
        movzx eax, word [EDDBUF]
        CHECK_EQ 0x42, "48h: EDD 3.0 buffer filled"
        mov eax, [EDDBUF + 0x10]
        CHECK_EQ 4096, "48h: total sectors"
        mov eax, [EDDBUF + 0x14]
        CHECK_EQ 0, "48h: total sectors, high dword"
        movzx eax, word [EDDBUF + 0x18]
        CHECK_EQ 512, "48h: bytes per sector"
        movzx eax, word [EDDBUF + 0x1E]
        CHECK_EQ 0xBEDD, "48h: device path key"
        xor al, al
        mov si, EDDBUF + 0x1E
.edsum: add al, [si]
        inc si
        cmp si, EDDBUF + 0x42
        jb .edsum
        movzx eax, al
        CHECK_EQ 0, "48h: device path checksum"
        ; the DPTE it points at
        les si, [EDDBUF + 0x1A]
        movzx eax, word [es:si]
        CHECK_EQ 0x1F0, "48h: DPTE base port"
        xor al, al
        mov cx, 16
.dpsum: add al, [es:si]
        inc si
        loop .dpsum
        push ds
        pop es
        movzx eax, al
        CHECK_EQ 0, "48h: DPTE checksum"

        ; --- 02h: CHS reads
        mov eax, 100
        mov bx, 1
        call chs_read_check
        CHECK e, "02h: LBA 100 by CHS"
        movzx eax, word [g_spt]         ; head 1, second-to-last sector: crosses into head 2
        shl eax, 1
        sub eax, 2
        mov bx, 5
        call chs_read_check
        CHECK e, "02h: 5 sectors across a head boundary"
        movzx eax, word [g_spt]         ; the last sector of cylinder 0 and into cylinder 1
        movzx ebx, word [g_heads]
        imul eax, ebx
        dec eax
        mov bx, 3
        call chs_read_check
        CHECK e, "02h: 3 sectors across a cylinder boundary"
        movzx eax, byte [chs_read_check.al_out]
        CHECK_EQ 3, "02h: AL = sectors read"
        ; a buffer that crosses a 64 KiB boundary: 1000:FF00, LBA 70 and 71
        mov eax, 70
        call lba_to_chs
        mov ax, 0x1000
        mov es, ax
        mov bx, 0xFF00
        mov ax, 0x0202
        mov dl, 0x80
        int 0x13
        CHECK nc, "02h: read into 1000:FF00"
        mov ax, 0x1FF0
        mov es, ax
        xor di, di
        mov eax, 70
        call bt_check_pattern
        CHECK e, "02h: first sector below the 64 KiB boundary"
        mov ax, 0x2010
        mov es, ax
        xor di, di
        mov eax, 71
        call bt_check_pattern
        CHECK e, "02h: second sector above it"
        push ds
        pop es

        ; --- 42h: extended reads
        mov eax, 2000
        mov cx, 8
        call ext_read_check
        CHECK e, "42h: 8 sectors at LBA 2000"
        movzx eax, word [DAP + 2]
        CHECK_EQ 8, "42h: DAP count = 8"
        mov eax, 64                     ; 300 sectors: several commands, buffer past 64 KiB
        mov cx, 300
        call ext_read_check
        CHECK e, "42h: 300 sectors at LBA 64"
        mov eax, 4095                   ; the last sector
        mov cx, 1
        call ext_read_check
        CHECK e, "42h: the last sector"

        ; --- errors
        mov eax, 4095
        mov cx, 2
        call ext_read
        CHECK c, "42h: a read past the end fails"
        movzx eax, word [DAP + 2]
        CHECK_EQ 0, "42h: DAP count = 0 after the failed read"
        mov ah, 0x01
        mov dl, 0x80
        int 0x13
        CHECK c, "01h: last status is an error"
        mov ah, 0x00
        mov dl, 0x80
        int 0x13
        CHECK nc, "00h: reset"
        mov ax, 0x0201                  ; sector 0 does not exist
        mov cx, 0x0000
        mov dx, 0x0080
        mov bx, 0x8000
        int 0x13
        CHECK c, "02h: sector 0 is invalid"
        mov ax, 0x0200                  ; zero sectors
        mov cx, 0x0001
        mov dx, 0x0080
        int 0x13
        CHECK c, "02h: a count of 0 is invalid"

        ; --- writes: 43h then 02h, and 03h then 42h
        mov ax, 0x3000
        mov es, ax
        xor di, di
        mov eax, 0xC0DE0000
        mov cx, 256
.fill:  stosd
        inc eax
        loop .fill
        push ds
        pop es
        mov dword [DAP], 0x00020010     ; size 10h, count 2
        mov dword [DAP + 4], 0x30000000 ; 3000:0000
        mov dword [DAP + 8], 3000
        mov dword [DAP + 12], 0
        mov ah, 0x43
        mov al, 0
        mov dl, 0x80
        mov si, DAP
        int 0x13
        CHECK nc, "43h: write 2 sectors at LBA 3000"
        movzx eax, word [DAP + 2]
        CHECK_EQ 2, "43h: DAP count = 2"
        mov eax, 3000
        call lba_to_chs
        mov ax, 0x4000
        mov es, ax
        xor bx, bx
        mov ax, 0x0202
        mov dl, 0x80
        int 0x13
        CHECK nc, "02h: read them back"
        call compare_3000_4000
        CHECK e, "02h: data written by 43h"
        ; 03h at LBA 3100, 42h back
        mov eax, 3100
        call lba_to_chs
        mov ax, 0x3000
        mov es, ax
        xor bx, bx
        mov ax, 0x0302
        mov dl, 0x80
        int 0x13
        CHECK nc, "03h: write 2 sectors at LBA 3100"
        push ds
        pop es
        mov dword [DAP], 0x00020010
        mov dword [DAP + 4], 0x40000000
        mov dword [DAP + 8], 3100
        mov dword [DAP + 12], 0
        mov ah, 0x42
        mov dl, 0x80
        mov si, DAP
        mov ax, 0x4000                  ; clear the target first
        mov es, ax
        xor di, di
        xor eax, eax
        mov cx, 256
        rep stosd
        push ds
        pop es
        mov ah, 0x42
        int 0x13
        CHECK nc, "42h: read them back"
        call compare_3000_4000
        CHECK e, "42h: data written by 03h"

        ; --- floppies and other drives do not exist
        mov ax, 0x0201
        mov cx, 0x0001
        mov dx, 0x0000
        mov bx, 0x8000
        int 0x13
        CHECK c, "02h on drive 00h fails"
        mov ah, 0x15
        mov dl, 0x00
        int 0x13
        movzx eax, ah
        CHECK_EQ 0, "15h on drive 00h: no such drive"
        mov ah, 0x08
        mov dl, 0x81
        int 0x13
        CHECK c, "08h on drive 81h fails"
        PASS

; lba_to_chs: EAX = LBA -> CH, CL, DH for INT 13h (DL untouched)
lba_to_chs:
        push eax
        push ebx
        push si
        xor edx, edx
        movzx ebx, word [g_spt]
        div ebx                         ; EAX = track, EDX = sector - 1
        mov si, dx
        inc si                          ; sector
        xor edx, edx
        movzx ebx, word [g_heads]
        div ebx                         ; EAX = cylinder, EDX = head
        mov dh, dl
        mov ch, al
        mov cl, ah
        shl cl, 6
        mov bx, si
        or cl, bl
        pop si
        pop ebx
        pop eax
        ret

; chs_read_check: EAX = first LBA, BX = count: AH=02h to 5000:0000, ZF set if the pattern holds
chs_read_check:
        pushad
        push es
        mov [.lba], eax
        mov [.n], bx
        call lba_to_chs
        mov ax, 0x5000
        mov es, ax
        mov al, [.n]
        mov ah, 0x02
        mov dl, 0x80
        xor bx, bx
        int 0x13
        mov [.al_out], al
        jc .bad
        mov eax, [.lba]
        mov cx, [.n]
        mov bx, 0x5000
        call check_run
        jmp .out
.bad:   or al, 1                        ; ZF clear (AL may be 0; force a nonzero result)
        or ax, 1
.out:   pop es
        popad
        ret
.lba:   dd 0
.n:     dw 0
.al_out: db 0

; ext_read: EAX = LBA, CX = count: AH=42h to 5000:0000 (CF from the BIOS)
ext_read:
        mov word [DAP], 0x0010
        mov [DAP + 2], cx
        mov dword [DAP + 4], 0x50000000
        mov [DAP + 8], eax
        mov dword [DAP + 12], 0
        push si
        push dx
        mov ah, 0x42
        mov dl, 0x80
        mov si, DAP
        int 0x13
        pop dx
        pop si
        ret

; ext_read_check: EAX = LBA, CX = count -> ZF set if the read worked and the pattern holds
ext_read_check:
        pushad
        push es
        mov [.lba], eax
        mov [.n], cx
        call ext_read
        jc .bad
        mov eax, [.lba]
        mov cx, [.n]
        mov bx, 0x5000
        call check_run
        jmp .out
.bad:   or ax, 1
.out:   pop es
        popad
        ret
.lba:   dd 0
.n:     dw 0

; check_run: EAX = first LBA, CX = count, BX = segment of the first sector -> ZF set if all match
check_run:
.next:  mov es, bx
        xor di, di
        call bt_check_pattern
        jne .done
        inc eax
        add bx, 512 / 16
        loop .next
        cmp ax, ax                      ; ZF = 1
.done:  ret

; compare_3000_4000: ZF set if 3000:0000 and 4000:0000 agree over 1 KiB
compare_3000_4000:
        push ds
        push es
        push si
        push di
        push cx
        mov cx, 0x3000
        mov ds, cx
        mov cx, 0x4000
        mov es, cx
        xor si, si
        xor di, di
        mov cx, 256
        repe cmpsd
        pop cx
        pop di
        pop si
        pop es
        pop ds
        ret

g_spt:          dw 0
g_heads:        dw 0
g_cyls:         dw 0
g_chs_total:    dd 0

        BOOT_END
