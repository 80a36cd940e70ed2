; linux_entry.asm — the Linux boot protocol's 32- and 64-bit entries (boot.rst "32-bit Boot
; Protocol", "64-bit Boot Protocol"), for `pvx --kernel bzImage --kernel-entry 32|64`.
;
; pvx (machine/linux_loader) has put the protected-mode kernel at code32_start, the command line,
; the initrd, and the zero page (boot_params with the completed setup header) at LINUX_ZERO_PAGE.
; The BIOS adds the two things only it knows, the E820 map (from its own INT 15h E820) and the
; ACPI RSDP, then leaves for good: no BIOS code runs once the kernel starts.
;   32-bit: flat __BOOT_CS (10h) / __BOOT_DS (18h), paging off, interrupts off,
;           ESI = zero page, EBP = EDI = EBX = 0, jump to code32_start.
;   64-bit: long mode, identity map of the low 4 GiB (2 MiB pages, LINUX_PAGE_TABLES), the same
;           selectors with 10h a 64-bit code segment, RSI = zero page, jump to code32_start+200h.
; Entered from INT 19h with AH = DIRECT_BOOT_LINUX32 or DIRECT_BOOT_LINUX64, interrupts off.

BP_ACPI_RSDP_ADDR equ 0x070             ; boot_params.acpi_rsdp_addr (protocol 2.14)
BP_E820_ENTRIES   equ 0x1E8
BP_E820_TABLE     equ 0x2D0
BP_E820_MAX       equ 128
BP_CODE32_START   equ 0x214

linux_enter_protected:
        mov bl, ah
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, STACK_TOP
        push bx                         ; BL = the entry (the ROM is never written)
        PUTS "Booting Linux (kernel loaded by pvx, protected-mode entry)", 13, 10

        ; E820 map into boot_params, through our own INT 15h so there is one source of truth.
        mov ax, LINUX_ZERO_PAGE >> 4
        mov es, ax
        mov di, BP_E820_TABLE
        xor ebx, ebx
        xor si, si                      ; entries stored
.e820:  mov eax, 0xE820
        mov edx, 0x534D4150
        mov ecx, 20
        push si
        push di
        int 0x15
        pop di
        pop si
        jc .e820_done
        cmp eax, 0x534D4150
        jne .e820_done
        inc si
        add di, 20
        cmp si, BP_E820_MAX
        jae .e820_done
        test ebx, ebx
        jnz .e820
.e820_done:
        mov ax, LINUX_ZERO_PAGE >> 4
        mov es, ax
        mov ax, si
        mov [es:BP_E820_ENTRIES], al
        mov dword [es:BP_ACPI_RSDP_ADDR], EPHYS(acpi_rsdp)
        mov dword [es:BP_ACPI_RSDP_ADDR + 4], 0

        cli
        pop bx
        cmp bl, DIRECT_BOOT_LINUX64
        je .long

        ; 32-bit: protected mode straight from real mode, no paging (SDM Vol.3 9.9.1).
        o32 lgdt [cs:linux_gdt32_desc]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp dword 0x10:FPHYS(linux_pm32)

        ; 64-bit: identity-map 0-4 GiB with 2 MiB pages, then PAE + LME + PE|PG in one step and a
        ; far jump to the 64-bit code segment (SDM Vol.3 9.8.5).
.long:  mov ax, LINUX_PAGE_TABLES >> 4
        mov es, ax
        xor di, di
        xor eax, eax
        mov cx, 6 * 4096 / 4
        cld
        rep stosd
        mov dword [es:0], LINUX_PAGE_TABLES + 0x1000 + 3           ; PML4[0] -> PDPT, P|RW
        mov di, 0x1000
        mov eax, LINUX_PAGE_TABLES + 0x2000 + 3                    ; PDPT[0..3] -> PD0..PD3
        mov cx, 4
.pdpt:  mov [es:di], eax
        add di, 8
        add eax, 0x1000
        loop .pdpt
        mov di, 0x2000                  ; 2048 PDEs: 2 MiB pages, P|RW|PS
        mov eax, 0x83
        xor edx, edx                    ; high dword of the PDE (bits 32+ of 4 GiB: none)
        mov cx, 2048
.pd:    mov [es:di], eax
        mov [es:di + 4], edx
        add di, 8
        add eax, 0x200000
        loop .pd
        mov eax, cr4
        or eax, 1 << 5                  ; PAE
        mov cr4, eax
        mov eax, LINUX_PAGE_TABLES
        mov cr3, eax
        mov ecx, 0xC0000080             ; IA32_EFER
        rdmsr
        or eax, 1 << 8                  ; LME
        wrmsr
        o32 lgdt [cs:linux_gdt64_desc]
        mov eax, cr0
        or eax, 0x80000001              ; PG | PE
        mov cr0, eax
        jmp dword 0x10:FPHYS(linux_lm64)

        align 8
linux_gdt32:
        dq 0, 0
        dq 0x00CF9A000000FFFF           ; 10h __BOOT_CS: flat 32-bit code, execute/read
        dq 0x00CF92000000FFFF           ; 18h __BOOT_DS: flat data, read/write
linux_gdt32_end:
linux_gdt64:
        dq 0, 0
        dq 0x00AF9A000000FFFF           ; 10h __BOOT_CS: 64-bit code (L=1, D=0)
        dq 0x00CF92000000FFFF           ; 18h __BOOT_DS
linux_gdt64_end:
linux_gdt32_desc:
        dw linux_gdt32_end - linux_gdt32 - 1
        dd FPHYS(linux_gdt32)
linux_gdt64_desc:
        dw linux_gdt64_end - linux_gdt64 - 1
        dd FPHYS(linux_gdt64)

        bits 32
linux_pm32:
        mov ax, 0x18
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esi, LINUX_ZERO_PAGE
        mov eax, [esi + BP_CODE32_START]
        xor ebp, ebp
        xor edi, edi
        xor ebx, ebx
        jmp eax

        cpu x64                         ; (the rest of the ROM is assembled for the 686)
        bits 64
linux_lm64:
        mov eax, 0x18
        mov ds, eax
        mov es, eax
        mov fs, eax
        mov gs, eax
        mov ss, eax
        mov esi, LINUX_ZERO_PAGE
        mov eax, [rsi + BP_CODE32_START]
        add rax, 0x200                  ; startup_64
        xor ebp, ebp
        xor edi, edi
        xor ebx, ebx
        jmp rax
        bits 16
        cpu 686
