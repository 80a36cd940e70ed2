; smbios_tables.asm — the SMBIOS 2.8 structure table template (segment E000). POST copies it
; to the EBDA (SMBIOS_PHYS) and fills in the memory size and the CPUID signature.

SMB_COUNT equ 7                         ; structures, including the end-of-table one

%define SMB_MAXE 0
; SMB_END label: close a structure (its strings were emitted) and fold its size into the
; running maximum label_max
%macro SMB_END 1
%1 %+ _end:
%1 %+ _max equ (SMB_MAXE) + ((%1 %+ _end - %1) - (SMB_MAXE)) * ((%1 %+ _end - %1) > (SMB_MAXE))
  %xdefine SMB_MAXE %1 %+ _max
%endmacro

smb_tmpl:
smb_t0:                                 ; type 0: BIOS information
        db 0, 0x18
        dw 0x0000
        db 1                            ; vendor
        db 2                            ; version
        dw ROME_SEG                     ; start segment
        db 3                            ; release date
        db (ROM_SIZE >> 16) - 1         ; ROM size in 64 KiB units - 1
        dq (1 << 4) | (1 << 7)          ; characteristics: ISA, PCI
        db 0x01                         ; extension 1: ACPI
        db 0x10                         ; extension 2: virtual machine
        db 0, 1                         ; BIOS release 0.1
        db 0xFF, 0xFF                   ; no embedded controller
        db "pvx", 0
        db "pvx BIOS ", BIOS_VERSION_STR, 0
        db BIOS_DATE_STR, 0
        db 0
        SMB_END smb_t0

smb_t1:                                 ; type 1: system information
        db 1, 0x1B
        dw 0x0100
        db 1, 2, 3, 0                   ; manufacturer, product, version, serial
        times 16 db 0                   ; UUID: not set
        db 0x06                         ; woken by the power switch
        db 0, 0                         ; SKU, family
        db "pvx", 0
        db "pvx PC (i440FX + PIIX)", 0
        db BIOS_VERSION_STR, 0
        db 0
        SMB_END smb_t1

smb_t4:                                 ; type 4: processor
        db 4, 0x2A
        dw 0x0400
        db 1                            ; socket designation
        db 0x03                         ; central processor
        db 0x01                         ; family: other
        db 2                            ; manufacturer
smb_t4_id:
        dq 0                            ; CPUID 1: EAX, EDX (POST)
        db 0                            ; version string
        db 0                            ; voltage
        dw 0                            ; external clock
        dw 0, 0                         ; max, current speed: unknown
        db 0x41                         ; socket populated, CPU enabled
        db 0x01                         ; upgrade: other
        dw 0xFFFF, 0xFFFF, 0xFFFF       ; no cache information
        db 0, 0, 0                      ; serial, asset tag, part number
        db 1, 1, 1                      ; cores, enabled cores, threads
        dw 0x0004                       ; 64-bit capable
        dw 0x0001                       ; family 2
        db "CPU 0", 0
        db "pvx", 0
        db 0
        SMB_END smb_t4

smb_t16:                                ; type 16: physical memory array
        db 16, 0x17
        dw 0x1000
        db 0x03                         ; location: system board
        db 0x03                         ; use: system memory
        db 0x03                         ; error correction: none
smb_t16_cap:
        dd 0                            ; maximum capacity, KiB (POST)
        dw 0xFFFE                       ; no error information
        dw 1                            ; devices
        dq 0                            ; extended maximum capacity
        db 0, 0
        SMB_END smb_t16

smb_t17:                                ; type 17: memory device
        db 17, 0x28
        dw 0x1100
        dw 0x1000                       ; its array
        dw 0xFFFE
        dw 64, 64                       ; total, data width
smb_t17_size:
        dw 0                            ; size, MiB (POST)
        db 0x09                         ; DIMM
        db 0                            ; not in a set
        db 1                            ; device locator
        db 0                            ; bank locator
        db 0x07                         ; RAM
        dw 0x0002                       ; type detail: other
        dw 0                            ; speed unknown
        db 2                            ; manufacturer
        db 0, 0, 0                      ; serial, asset tag, part number
        db 0                            ; attributes
smb_t17_xsize:
        dd 0                            ; extended size, MiB (POST, when size is 7FFFh)
        dw 0                            ; configured speed
        dw 0, 0, 0                      ; voltages
        db "DIMM 0", 0
        db "pvx", 0
        db 0
        SMB_END smb_t17

smb_t32:                                ; type 32: system boot information
        db 32, 0x0B
        dw 0x2000
        times 6 db 0
        db 0                            ; no errors detected
        db 0, 0
        SMB_END smb_t32

smb_t127:                               ; type 127: end of table
        db 127, 4
        dw 0x7F00
        db 0, 0
        SMB_END smb_t127
smb_tmpl_end:

%xdefine SMB_MAX_SIZE SMB_MAXE
