; smbios.asm — the SMBIOS 2.8 entry point (segment F000, 16-byte aligned, checksummed at
; assembly time) and the POST steps that put the RAM-resident firmware tables in place.

        align 16
smbios_entry:
        CK_BEGIN
        CSTR "_SM_"
        db smbios_ep_ck
        CB 0x1F                         ; entry point length
        CB 2, 8                         ; SMBIOS 2.8
        CW SMB_MAX_SIZE
        CB 0                            ; entry point revision
        CB 0, 0, 0, 0, 0                ; formatted area
%xdefine SMB_EP_SUM1 CK_TOTAL
        CK_BEGIN
        CSTR "_DMI_"
        db smbios_ep_ick
        CW smb_tmpl_end - smb_tmpl      ; structure table length
        CD SMBIOS_PHYS                  ; structure table address
        CW SMB_COUNT
        CB 0x28                         ; BCD revision
smbios_ep_ick equ (-CK_TOTAL) & 0xFF
smbios_ep_ck equ (-(SMB_EP_SUM1 + CK_TOTAL + smbios_ep_ick)) & 0xFF

; smbios_init (POST): copy the structure table to the EBDA, fill in memory size and CPU id
smbios_init:
        mov ax, EBDA_SEG
        mov es, ax
        mov ax, ROME_SEG
        mov ds, ax
        mov si, smb_tmpl
        mov di, EB_SMBIOS
        mov cx, smb_tmpl_end - smb_tmpl
        rep movsb
        ; RAM in MiB = RAM top below 4 GiB + RAM above 4 GiB
        mov eax, [es:EB_RAMTOP]
        shr eax, 20
        mov edx, [es:EB_RAMHI]
        shr edx, 20
        add eax, edx
        mov edx, [es:EB_RAMHI + 4]
        shl edx, 12
        add eax, edx
        mov ebx, eax
        shl ebx, 10                     ; KiB
        mov [es:EB_SMBIOS + smb_t16_cap - smb_tmpl], ebx
        cmp eax, 0x7FFF
        jb .small
        mov [es:EB_SMBIOS + smb_t17_xsize - smb_tmpl], eax
        mov eax, 0x7FFF
.small: mov [es:EB_SMBIOS + smb_t17_size - smb_tmpl], ax
        mov eax, 1
        cpuid
        mov [es:EB_SMBIOS + smb_t4_id - smb_tmpl], eax
        mov [es:EB_SMBIOS + smb_t4_id - smb_tmpl + 4], edx
        ret

; acpi_init (POST): the FACS, the only ACPI table in RAM
acpi_init:
        mov ax, EBDA_SEG
        mov es, ax
        mov di, EB_FACS
        xor ax, ax
        mov cx, 32
        rep stosw
        mov dword [es:EB_FACS + 0], 'FACS'
        mov dword [es:EB_FACS + 4], 64  ; length
        mov byte [es:EB_FACS + 32], 1   ; version (ACPI 2.0)
        ret
