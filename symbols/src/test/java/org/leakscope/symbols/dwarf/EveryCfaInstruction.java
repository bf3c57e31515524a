package org.leakscope.symbols.dwarf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An x86-64 program whose call frame information uses every {@code DW_CFA_*} instruction gas writes from
 * {@code .cfi_*} directives and, through {@code .cfi_escape}, the rest ({@code offset_extended(_sf)},
 * {@code restore_extended}, {@code def_cfa_sf}, {@code def_cfa_offset_sf}, {@code val_offset(_sf)},
 * {@code expression}, {@code val_expression}, {@code def_cfa_expression}, {@code GNU_args_size},
 * {@code GNU_negative_offset_extended}, {@code GNU_window_save}); {@code advance_loc}, {@code advance_loc1},
 * {@code 2} and {@code 4} (the fills); the {@code zPLR} augmentation with an indirect personality pointer and an
 * LSDA, and {@code zRS} (a signal frame); {@code remember_state} with rules added after it, so
 * {@code restore_state} drops them; an undefined return address ({@code _start}).
 */
final class EveryCfaInstruction {
    private EveryCfaInstruction() {
    }

    static final String SOURCE = """
                .text
                .globl _start
            _start:
                .cfi_startproc
                .cfi_undefined rip
                call f
                call sig
                hlt
                .cfi_endproc

                .globl f
                .type f, @function
            f:
                .cfi_startproc
                .cfi_personality 0x9b, DW.ref.pers
                .cfi_lsda 0x1b, lsda
                .cfi_remember_state
                push %rbx
                .cfi_adjust_cfa_offset 8
                .cfi_offset rbx, -16
                push %rbp
                .cfi_def_cfa_offset 24
                .cfi_rel_offset rbp, 0
                mov %rsp, %rbp
                .cfi_def_cfa_register rbp
                nop
                .cfi_register r12, rax
                nop
                .cfi_same_value r12
                nop
                .cfi_val_offset r13, -8
                nop
                .cfi_escape 0x11, 14, 0x7d          # offset_extended_sf r14, 24
                nop
                .cfi_escape 0x15, 15, 0x7f          # val_offset_sf r15, 8
                nop
                .cfi_escape 0x2f, 3, 2              # GNU_negative_offset_extended rbx, 16
                nop
                .cfi_escape 0x2e, 16                # GNU_args_size 16
                .fill 300, 1, 0x90
                .cfi_escape 0x10, 13, 2, 0x76, 0    # expression r13: DW_OP_breg6 0
                nop
                .cfi_escape 0x16, 12, 1, 0x9c       # val_expression r12: DW_OP_call_frame_cfa
                .fill 70000, 1, 0x90
                .cfi_escape 0x12, 7, 0x7d           # def_cfa_sf rsp, 24
                nop
                .cfi_escape 0x13, 0x7e              # def_cfa_offset_sf 16
                nop
                .cfi_escape 0x0f, 2, 0x77, 0x08     # def_cfa_expression DW_OP_breg7 8
                nop
                .cfi_def_cfa rsp, 8
                nop
                .cfi_restore rbp
                .cfi_escape 0x06, 3                 # restore_extended rbx
                nop
                .cfi_restore_state
                nop
                .cfi_escape 0x05, 3, 2              # offset_extended rbx, -16
                .cfi_escape 0x14, 6, 1              # val_offset rbp, -8
                .cfi_undefined r14
                nop
                .cfi_escape 0x0a, 0x0a, 0x0b        # remember_state twice, restore_state once
                .cfi_escape 0x07, 15                # undefined r15
                ret
                .cfi_endproc

                .globl sig
            sig:
                .cfi_startproc
                .cfi_signal_frame
                .cfi_escape 0x2d                    # GNU_window_save
                nop
                .cfi_escape 0x0c, 7, 16             # def_cfa rsp, 16
                ret
                .cfi_endproc

                .globl pers
            pers:
                ret

                .data
                .globl DW.ref.pers
            DW.ref.pers:
                .quad pers
            lsda:
                .byte 0
            """;

    /**
     * A function whose {@code .debug_frame} entries are 64-bit DWARF (length escape 0xffffffff, 8-byte CIE id
     * and pointer) with a version 4 CIE (address and segment sizes), written out byte by byte.
     */
    static final String DWARF64_SOURCE = """
                .text
                .globl _start
            _start:
                push %rbp
                mov %rsp, %rbp
                pop %rbp
                ret
            _start_end:

                .section .debug_frame,"",@progbits
            cie:
                .long 0xffffffff
                .quad cie_end - cie_body
            cie_body:
                .quad 0xffffffffffffffff
                .byte 4
                .asciz ""
                .byte 8, 0
                .uleb128 1
                .sleb128 -8
                .uleb128 16
                .byte 0x0c, 7, 8, 0x90, 1
                .balign 8, 0
            cie_end:
                .long 0xffffffff
                .quad fde_end - fde_body
            fde_body:
                .quad 0
                .quad _start
                .quad _start_end - _start
                .byte 0x41, 0x0e, 16, 0x86, 2, 0x43, 0x0d, 6, 0x41, 0x0c, 7, 8
                .balign 8, 0
            fde_end:
            """;

    /** Assembles and links {@link #DWARF64_SOURCE}. */
    static Path buildDwarf64(Path dir, Runner run) throws Exception {
        Path s = dir.resolve("dwarf64.s");
        Files.writeString(s, DWARF64_SOURCE);
        Path out = dir.resolve("dwarf64");
        run.run(List.of("gcc", "-nostdlib", "-static", "-no-pie", s.toString(), "-o", out.toString()));
        return out;
    }

    /** Assembles and links it with gcc ({@code .eh_frame}, or {@code .debug_frame} when {@code debugFrame}). */
    static Path build(Path dir, boolean debugFrame, Runner run) throws Exception {
        Path s = dir.resolve(debugFrame ? "every-df.s" : "every.s");
        Files.writeString(s, (debugFrame ? "    .cfi_sections .debug_frame\n" : "") + SOURCE);
        Path out = dir.resolve(debugFrame ? "every-df" : "every");
        run.run(List.of("gcc", "-nostdlib", "-static", "-no-pie", s.toString(), "-o", out.toString()));
        return out;
    }

    /** Runs a command (the test's own runner, which skips or fails when the tool is missing). */
    interface Runner {
        String run(List<String> cmd) throws Exception;
    }
}
