; Multiboot v1 direct boot: checks the entry state and the information structure that
; `pvx --kernel` (and qemu -kernel) build: magic in EAX, flat 32-bit protected mode, the memory
; fields, a memory map with usable RAM at 1 MiB, the command line and one module.
; kind: multiboot
; pvx-args: --append mbtest-arg --initrd @SRC@
; qemu-args: -append mbtest-arg -initrd @SRC@
; expect-output: multiboot: PASS
bits 32
org 0x100000

MB_MAGIC equ 0x1BADB002
MB_FLAGS equ (1 << 1) | (1 << 16)          ; memory info; a.out-kludge address fields
header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, load_end, bss_end, entry

entry:
    mov esp, stack_top
    mov [boot_eax], eax
    mov [boot_ebx], ebx
    mov esi, msg_start
    call puts

    cmp dword [boot_eax], 0x2BADB002
    jne fail
    mov ebx, [boot_ebx]
    ; flags: bit 0 mem_lower/upper, bit 6 mmap must be present
    test dword [ebx], 1
    jz fail
    test dword [ebx], 1 << 6
    jz fail
    ; mem_lower is 639 or 640 KiB; mem_upper >= 63 MiB for a 64 MiB guest
    mov eax, [ebx + 4]
    cmp eax, 600
    jb fail
    cmp dword [ebx + 8], 60 * 1024
    jb fail
    mov esi, msg_mem
    call puts

    ; The memory map lists usable (type 1) RAM at 1 MiB.
    mov ecx, [ebx + 44]             ; mmap_length
    mov esi, [ebx + 48]             ; mmap_addr
    xor edx, edx
.mmap:
    test ecx, ecx
    jz .mmap_done
    cmp dword [esi + 4], 0x100000   ; base low
    jne .next
    cmp dword [esi + 8], 0          ; base high
    jne .next
    cmp dword [esi + 20], 1         ; type
    jne .next
    inc edx
.next:
    mov eax, [esi]                  ; size (excludes the size field)
    add eax, 4
    add esi, eax
    sub ecx, eax
    jg .mmap
.mmap_done:
    test edx, edx
    jz fail
    mov esi, msg_mmap
    call puts

    ; The command line ends with our argument.
    test dword [ebx], 1 << 2
    jz fail
    mov edi, [ebx + 16]
    xor ecx, ecx
.len:
    cmp byte [edi + ecx], 0
    je .len_done
    inc ecx
    jmp .len
.len_done:
    cmp ecx, 10
    jb fail
    lea edi, [edi + ecx - 10]
    mov esi, arg
    mov ecx, 10
    repe cmpsb
    jne fail
    mov esi, msg_cmd
    call puts

    ; One module whose first byte is ';' (the module is this guest's source file).
    test dword [ebx], 1 << 3
    jz fail
    cmp dword [ebx + 20], 1
    jne fail
    mov edi, [ebx + 24]
    mov esi, [edi]                  ; mod_start
    cmp byte [esi], ';'
    jne fail
    mov eax, [edi + 4]              ; mod_end > mod_start
    cmp eax, esi
    jbe fail
    test esi, 0xFFF                 ; page aligned (header flag 0 not requested; pvx aligns anyway)
    mov esi, msg_mod
    call puts

    mov esi, msg_pass
    call puts
    mov al, 0
    out 0xF4, al
    jmp $

fail:
    mov esi, msg_fail
    call puts
    mov al, 1
    out 0xF4, al
    jmp $

puts:
    lodsb
    test al, al
    jz .done
    out 0xE9, al
    jmp puts
.done:
    ret

arg:       db "mbtest-arg"
msg_start: db "multiboot: entered in protected mode", 10, 0
msg_mem:   db "ok: magic and memory fields", 10, 0
msg_mmap:  db "ok: memory map has RAM at 1 MiB", 10, 0
msg_cmd:   db "ok: command line", 10, 0
msg_mod:   db "ok: module", 10, 0
msg_pass:  db "multiboot: PASS", 10, 0
msg_fail:  db "multiboot: FAIL", 10, 0
load_end:
absolute load_end                     ; the bss: zeroed by the loader, not in the file
boot_eax:  resd 1
boot_ebx:  resd 1
           resb 4096
stack_top:
bss_end:
