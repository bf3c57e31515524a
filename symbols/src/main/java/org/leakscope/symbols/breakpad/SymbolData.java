package org.leakscope.symbols.breakpad;

import java.util.List;

/**
 * The records of a Breakpad {@code .sym} file, in the order dump_syms writes them: what a PDB, a PE or an ELF
 * file is turned into by {@code dumpsyms}, and what the golden tests read back from the reference tools' files.
 * Addresses are module offsets (RVAs); sizes and counts as the file says them.
 *
 * @param module    the MODULE line
 * @param info      INFO lines, each without its {@code INFO } prefix ({@code CODE_ID 589DFD111A000 x.exe})
 * @param files     FILE records, by index as written
 * @param origins   INLINE_ORIGIN records (empty for PDB input without inline data)
 * @param functions FUNC records with their line records and inline records
 * @param publics   PUBLIC records
 * @param stackWin  STACK WIN records (x86 FPO and frame data)
 * @param stackCfi  STACK CFI records: each INIT record followed by its delta records at higher addresses
 */
public record SymbolData(Module module, List<String> info, List<SourceFile> files, List<InlineOrigin> origins,
        List<Function> functions, List<Public> publics, List<StackWin> stackWin, List<StackCfi> stackCfi) {
    public SymbolData {
        info = List.copyOf(info);
        files = List.copyOf(files);
        origins = List.copyOf(origins);
        functions = List.copyOf(functions);
        publics = List.copyOf(publics);
        stackWin = List.copyOf(stackWin);
        stackCfi = List.copyOf(stackCfi);
    }

    /** {@code MODULE windows x86_64 72E103A85CB249078B76B2E7C06257B13 dump_syms_regtest64.pdb}. */
    public record Module(String os, String cpu, String debugId, String debugFile) {
    }

    /** {@code FILE 1 c:\src\x.cc}. */
    public record SourceFile(long index, String name) {
    }

    /** {@code INLINE_ORIGIN 3 Foo::bar()}. */
    public record InlineOrigin(long index, String name) {
    }

    /**
     * {@code FUNC [m] address size paramSize name}, then its line records and INLINE records.
     *
     * @param multiple  {@code m}: several symbols were folded to this address (identical code folding)
     */
    public record Function(boolean multiple, long address, long size, long paramSize, String name,
            List<Line> lines, List<Inline> inlines) {
        public Function {
            lines = List.copyOf(lines);
            inlines = List.copyOf(inlines);
        }
    }

    /** A line record: {@code address size line fileIndex}. */
    public record Line(long address, long size, long line, long file) {
    }

    /**
     * {@code INLINE depth callLine callFile origin [address size]+}.
     *
     * @param ranges pairs of address and size, flattened: {@code [a0, s0, a1, s1, ...]}
     */
    public record Inline(int depth, long callLine, long callFile, long origin, List<Long> ranges) {
        public Inline {
            ranges = List.copyOf(ranges);
        }
    }

    /** {@code PUBLIC [m] address paramSize name}. */
    public record Public(boolean multiple, long address, long paramSize, String name) {
    }

    /**
     * {@code STACK WIN type rva codeSize prologSize epilogSize paramSize savedRegSize localSize maxStackSize
     * hasProgram programOrAllocatesBasePointer}.
     *
     * @param type          0 FPO, 4 frame data
     * @param hasProgram    whether the last field is a program string (else {@code allocatesBasePointer})
     * @param program       the postfix program, when {@code hasProgram}
     * @param allocatesBasePointer the FPO flag, when not {@code hasProgram}
     */
    public record StackWin(int type, long rva, long codeSize, long prologSize, long epilogSize, long paramSize,
            long savedRegisterSize, long localSize, long maxStackSize, boolean hasProgram, String program,
            boolean allocatesBasePointer) {
    }

    /**
     * {@code STACK CFI INIT address size rules} (when {@code size} is non-null) or {@code STACK CFI address rules}.
     *
     * @param rules the rule text as written ({@code .cfa: $rsp 48 + .ra: .cfa 8 - ^})
     */
    public record StackCfi(long address, Long size, String rules) {
    }
}
