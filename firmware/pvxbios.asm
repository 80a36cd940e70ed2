; pvxbios.asm — pvx's own PC BIOS (128 KiB flat image, nasm -f bin).
;
; The image is mapped so that its last byte is at 0xFFFFF (and at 0xFFFFFFFF): the first 64 KiB
; are segment E000 (static ACPI tables and data templates), the last 64 KiB segment F000 (all
; code, reset vector at F000:FFF0). Everything runs in real mode; the ROM is never written.
; See README.md for the memory layout, the POST order and the services.

        cpu 686
        bits 16

%include "defs.inc"
%include "macros.inc"

; ---------------------------------------------------------------------------------------------
; Segment E000 (physical 0xE0000-0xEFFFF): tables. Labels are offsets in segment E000.
; ---------------------------------------------------------------------------------------------
        section rom_e start=0 vstart=0
rom_e_start:
; physical address of a label in this section (a plain number, usable in checksum sums)
%define EPHYS(x) ((x) - rom_e_start + ROM_PHYS)

%include "acpi.asm"
%include "smbios_tables.asm"

; ---------------------------------------------------------------------------------------------
; Segment F000 (physical 0xF0000-0xFFFFF): code. Labels are offsets in segment F000.
; ---------------------------------------------------------------------------------------------
        section rom_f start=0x10000 vstart=0
rom_f_start:
%define FPHYS(x) ((x) - rom_f_start + ROM_PHYS + 0x10000)

%include "post.asm"
%include "console.asm"
%include "video.asm"
%include "ata.asm"
%include "disk.asm"
%include "system.asm"
%include "keyboard.asm"
%include "time.asm"
%include "pci.asm"
%include "boot.asm"
%include "linux_entry.asm"
%include "smbios.asm"

; ---------------------------------------------------------------------------------------------
; The top 16 bytes: reset vector, BIOS date, model byte
; ---------------------------------------------------------------------------------------------
rom_f_code_end:
        times 0xFFF0 - ($ - $$) db 0xFF
reset_vector:                           ; F000:FFF0, where the CPU starts
        jmp BIOS_SEG:post_entry
        db BIOS_DATE_STR                ; F000:FFF5
        db 0xFF
        db 0xFC                         ; F000:FFFE model byte: AT
        db 0x00

; pad segment E000 to exactly 64 KiB (an error here means the tables outgrew it)
        section rom_e
rom_e_data_end:
        times 0x10000 - ($ - $$) db 0xFF
