; keyboard.asm — IRQ1 (scan codes from the i8042, set 1 after translation, into the BDA ring
; buffer) and INT 16h. US layout. LEDs are not driven.

irq1_handler:
        push ax
        push bx
        push cx
        push si
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        in al, KBC_DATA
        mov ah, 0x4F                    ; keyboard intercept: a hook may consume or change AL
        stc
        int 0x15
        jnc .eoi
        call kbd_scancode
.eoi:   cli
        mov al, 0x20
        out PIC1_CMD, al
        pop ds
        pop si
        pop cx
        pop bx
        pop ax
        iret

; kbd_scancode: AL = scan code. DS = BDA. Clobbers AX, BX, CX, SI.
kbd_scancode:
        cmp al, 0xE1                    ; Pause: E1 1D 45 E1 9D C5, ignored
        jne .n1
        or byte [BDA_KBFLAG3], 0x01
        ret
.n1:    test byte [BDA_KBFLAG3], 0x01
        jz .n2
        cmp al, 0xC5
        jne .ret
        and byte [BDA_KBFLAG3], ~0x01 & 0xFF
        ret
.n2:    cmp al, 0xE0
        jne .n3
        or byte [BDA_KBFLAG3], 0x02
        ret
.n3:    mov ah, [BDA_KBFLAG3]           ; bit 1: this code had the E0 prefix
        and byte [BDA_KBFLAG3], ~0x02 & 0xFF
        mov bl, al
        and bl, 0x7F
        cmp bl, 0x2A
        je .lshift
        cmp bl, 0x36
        je .rshift
        cmp bl, 0x1D
        je .ctrl
        cmp bl, 0x38
        je .alt
        cmp bl, 0x3A
        je .caps
        cmp bl, 0x45
        je .num
        cmp bl, 0x46
        je .scroll
        test al, 0x80
        jnz .ret                        ; other key released
        cmp bl, 0x52
        jne .key
        test ah, 0x02
        jnz .ins
        test byte [BDA_KBFLAG], 0x20    ; keypad 0 with Num Lock is a digit
        jnz .key
.ins:   xor byte [BDA_KBFLAG], 0x80
.key:   call kbd_translate
        jc .ret
        jmp kbd_enqueue
.ret:   ret

.lshift:
        test ah, 0x02                   ; E0 2A: a fake shift around extended keys
        jnz .ret
        mov cl, 0x02
        jmp .shift
.rshift:
        test ah, 0x02
        jnz .ret
        mov cl, 0x01
.shift: test al, 0x80
        jnz .shrel
        or [BDA_KBFLAG], cl
        ret
.shrel: not cl
        and [BDA_KBFLAG], cl
        ret

.ctrl:  mov cl, 0x04
        mov ch, 0x01
        jmp .lr
.alt:   mov cl, 0x08
        mov ch, 0x02
; CL = right-hand bit in KBFLAG3, CH = left-hand bit in KBFLAG1; KBFLAG gets CL if either
.lr:    mov si, BDA_KBFLAG1
        test ah, 0x02
        jz .left
        mov si, BDA_KBFLAG3
        mov ch, cl
.left:  test al, 0x80
        jnz .lrrel
        or [si], ch
        jmp .lrsum
.lrrel: not ch
        and [si], ch
.lrsum: mov al, [BDA_KBFLAG1]
        and al, 0x03
        shl al, 2                       ; left ctrl -> 04h, left alt -> 08h
        mov ah, [BDA_KBFLAG3]
        and ah, 0x0C
        or al, ah
        and byte [BDA_KBFLAG], ~0x0C & 0xFF
        or [BDA_KBFLAG], al
        ret

.caps:  mov cl, 0x40
        jmp .lock
.num:   mov cl, 0x20
        jmp .lock
.scroll:
        test ah, 0x02                   ; E0 46: Ctrl-Break
        jnz .ret
        mov cl, 0x10
; CL = lock bit: toggled in KBFLAG on the first make, "held" in KBFLAG1
.lock:  test al, 0x80
        jnz .lkrel
        test [BDA_KBFLAG1], cl
        jnz .ret                        ; typematic repeat
        or [BDA_KBFLAG1], cl
        xor [BDA_KBFLAG], cl
        ret
.lkrel: not cl
        and [BDA_KBFLAG1], cl
        ret

; kbd_translate: BL = make code, AH bit 1 = E0 prefix -> AX = BIOS key (scan << 8 | ASCII),
; CF set if the key produces nothing. DS = BDA.
kbd_translate:
        mov cl, [BDA_KBFLAG]
        test ah, 0x02
        jnz .ext
        cmp bl, 0x53                    ; Ctrl-Alt-Del
        jne .notcad
        mov al, cl
        and al, 0x0C
        cmp al, 0x0C
        je kbd_reboot
.notcad:
        cmp bl, 0x39
        jbe .main
        cmp bl, 0x3B
        jb .none
        cmp bl, 0x44
        jbe .fkey
        cmp bl, 0x47
        jb .none
        cmp bl, 0x53
        jbe .keypad
        cmp bl, 0x57
        je .f11
        cmp bl, 0x58
        je .f12
.none:  stc
        ret

.main:  movzx si, bl
        test cl, 0x08
        jz .noalt
        cmp byte [cs:kbd_normal + si], 0
        je .none
        mov ah, bl
        xor al, al
        cmp bl, 0x02                    ; Alt+1 .. Alt+= : 78h-83h
        jb .done
        cmp bl, 0x0D
        ja .done
        add ah, 0x76
        jmp .done
.noalt: test cl, 0x04
        jz .noctrl
        mov al, [cs:kbd_normal + si]
        cmp al, 'a'
        jb .ctrlother
        cmp al, 'z'
        ja .ctrlother
        sub al, 0x60
        mov ah, bl
        jmp .done
.ctrlother:
        mov si, kbd_ctrl_pairs
.cp:    mov ax, [cs:si]
        add si, 2
        test ax, ax
        jz .none
        cmp al, bl
        jne .cp
        mov al, ah                      ; ASCII
        mov ah, bl
        cmp bl, 0x0F                    ; Ctrl+Tab: scan 94h
        jne .done
        mov ah, 0x94
        jmp .done
.noctrl:
        mov al, [cs:kbd_normal + si]
        mov ch, cl
        and ch, 0x03                    ; shifted?
        cmp al, 'a'
        jb .nocaps
        cmp al, 'z'
        ja .nocaps
        test cl, 0x40
        jz .nocaps
        xor ch, 0x03
.nocaps:
        test ch, ch
        jz .plain
        mov al, [cs:kbd_shift + si]
.plain: mov ah, bl
        test al, al
        jnz .done
        cmp bl, 0x0F                    ; Shift+Tab: 0F00h
        jne .none
.done:  clc
        ret

.fkey:  mov ah, bl
        xor al, al
        test cl, 0x08
        jz .fk1
        add ah, 0x2D
        jmp .done
.fk1:   test cl, 0x04
        jz .fk2
        add ah, 0x23
        jmp .done
.fk2:   test cl, 0x03
        jz .done
        add ah, 0x19
        jmp .done
.f11:   mov ah, 0x85
        jmp .f1112
.f12:   mov ah, 0x86
.f1112: xor al, al
        test cl, 0x08
        jz .f1
        add ah, 6
        jmp .done
.f1:    test cl, 0x04
        jz .f2
        add ah, 4
        jmp .done
.f2:    test cl, 0x03
        jz .done
        add ah, 2
        jmp .done

.keypad:
        movzx si, bl
        mov al, [cs:kbd_keypad + si - 0x47]
        mov ah, bl
        cmp bl, 0x4A                    ; grey - and + are always characters
        je .done
        cmp bl, 0x4E
        je .done
        test cl, 0x0C
        jnz .kpnav
        mov ch, cl
        and ch, 0x03
        jz .kp1
        mov ch, 0x20
.kp1:   xor ch, cl
        test ch, 0x20                   ; Num Lock xor Shift: digits
        jnz .done
.kpnav: xor al, al
        jmp .done

.ext:   cmp bl, 0x1C                    ; keypad Enter
        jne .e1
        mov ax, 0xE00D
        test cl, 0x04
        jz .done
        mov al, 0x0A
        jmp .done
.e1:    cmp bl, 0x35                    ; keypad /
        jne .e2
        mov ax, 0xE02F
        jmp .done
.e2:    cmp bl, 0x47                    ; the grey navigation keys
        jb .none
        cmp bl, 0x53
        ja .none
        cmp bl, 0x4A
        je .none
        cmp bl, 0x4E
        je .none
        cmp bl, 0x4C
        je .none
        mov ah, bl
        mov al, 0xE0
        jmp .done

kbd_reboot:
        mov word [BDA_RESETFLAG], 0x1234
        mov al, 0xFE                    ; pulse the reset line through the i8042
        out KBC_STATUS, al
        jmp BIOS_SEG:reset_vector

; kbd_enqueue: AX -> keyboard buffer (dropped when full). DS = BDA.
kbd_enqueue:
        mov bx, [BDA_KBTAIL]
        mov si, bx
        add si, 2
        cmp si, [BDA_KBEND]
        jb .in
        mov si, [BDA_KBSTART]
.in:    cmp si, [BDA_KBHEAD]
        je .full
        mov [bx], ax
        mov [BDA_KBTAIL], si
.full:  ret

kbd_normal:
        db 0, 27, '1234567890-=', 8, 9
        db 'qwertyuiop[]', 13, 0
        db "asdfghjkl;'`", 0, '\'
        db 'zxcvbnm,./', 0, '*', 0, ' '
kbd_shift:
        db 0, 27, '!@#$%^&*()_+', 8, 0
        db 'QWERTYUIOP{}', 13, 0
        db 'ASDFGHJKL:"~', 0, '|'
        db 'ZXCVBNM<>?', 0, '*', 0, ' '
kbd_keypad:
        db '789-456+1230.'
kbd_ctrl_pairs:                         ; scan, ASCII with Ctrl
        db 0x01, 0x1B, 0x0E, 0x7F, 0x1C, 0x0A, 0x1A, 0x1B, 0x1B, 0x1D, 0x2B, 0x1C
        db 0x0C, 0x1F, 0x07, 0x1E, 0x39, 0x20, 0x0F, 0x00, 0x03, 0x00
        dw 0

; ---------------------------------------------------------------------------------------------
; INT 16h
; ---------------------------------------------------------------------------------------------
int16_handler:
        sti
        cld
        ENTER_FRAME
        mov ax, BDA_SEG
        mov ds, ax
        mov ax, [bp + F_AX]
        mov cl, ah
        and cl, 0x10                    ; extended function (10h/11h/12h)
        and ah, 0xEF
        cmp ah, 0x00
        je .read
        cmp ah, 0x01
        je .check
        cmp ah, 0x02
        je .shift
        cmp cl, 0                       ; the rest have no extended twin
        jne .ret
        cmp ah, 0x05
        je .store
        cmp ah, 0x09
        je .caps
        cmp ah, 0x0A
        je .id
.ret:   LEAVE_FRAME

.read:  cli
        mov bx, [BDA_KBHEAD]
        cmp bx, [BDA_KBTAIL]
        jne .have
        sti
        hlt
        jmp .read
.have:  mov ax, [bx]
        call kbd_advance
        sti
        call kbd_filter
        jc .read
        mov [bp + F_AX], ax
        LEAVE_FRAME

.check: cli
        mov bx, [BDA_KBHEAD]
        cmp bx, [BDA_KBTAIL]
        je .empty
        mov ax, [bx]
        call kbd_filter
        jnc .found
        call kbd_advance                ; a key the old functions cannot return: drop it
        jmp .check
.found: sti
        mov [bp + F_AX], ax
        CLR_ZF
        LEAVE_FRAME
.empty: sti
        SET_ZF
        LEAVE_FRAME

.shift: mov al, [BDA_KBFLAG]
        mov [bp + F_AL], al
        test cl, cl
        jz .ret
        mov al, [BDA_KBFLAG1]
        mov ah, al
        and al, 0x73
        and ah, 0x04
        shl ah, 5                       ; SysRq held -> bit 7
        or al, ah
        mov ah, [BDA_KBFLAG3]
        and ah, 0x0C
        or al, ah
        mov [bp + F_AH], al
        LEAVE_FRAME

.store: cli
        mov ax, [bp + F_CX]
        mov bx, [BDA_KBTAIL]
        call kbd_enqueue
        cmp bx, [BDA_KBTAIL]
        sti
        mov byte [bp + F_AL], 1
        je .ret                         ; tail did not move: buffer full
        mov byte [bp + F_AL], 0
        LEAVE_FRAME

.caps:  mov byte [bp + F_AL], 0x60      ; AH=0Ah and AH=10h-12h
        LEAVE_FRAME

.id:    mov word [bp + F_BX], 0x41AB    ; MF2 keyboard, translated
        LEAVE_FRAME

; kbd_advance: BX = head -> next head stored. DS = BDA.
kbd_advance:
        add bx, 2
        cmp bx, [BDA_KBEND]
        jb .s
        mov bx, [BDA_KBSTART]
.s:     mov [BDA_KBHEAD], bx
        ret

; kbd_filter: AX = key, CL = 10h for the extended functions -> AX adjusted for the old
; functions, CF set if the old functions must not see the key at all
kbd_filter:
        test cl, cl
        jnz .ok
        cmp ah, 0x84
        ja .drop
        cmp al, 0xE0
        jne .ok
        test ah, ah
        jz .ok
        xor al, al
.ok:    clc
        ret
.drop:  stc
        ret
