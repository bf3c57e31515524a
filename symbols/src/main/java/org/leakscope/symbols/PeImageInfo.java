package org.leakscope.symbols;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.model.DebugIds;
import org.leakscope.model.Limits;
import org.leakscope.model.Problem;

/**
 * What identifies a PE image, read from its headers and debug directory alone: for {@code dumpsyms} on a PE
 * without its PDB (the MODULE and {@code INFO CODE_ID} lines) and for the Microsoft symbol store key of a binary
 * ({@code name.exe/<codeId>/name.exe}).
 *
 * @param machine       the COFF header's Machine (0x8664, 0x14c, 0xaa64, ...)
 * @param timeDateStamp the COFF header's link time stamp, unsigned (in reproducible builds a hash)
 * @param sizeOfImage   the optional header's SizeOfImage
 * @param codeId        TimeDateStamp as 8 hex digits then SizeOfImage in hex, {@code %08X%x} ({@code 589DFD111a000}):
 *                      Breakpad's code id as a minidump gives it, and the folder of a binary in a Microsoft symbol
 *                      store (see {@link #symCodeId()} for the .sym spelling)
 * @param codeView      the first RSDS or NB10 CodeView record, or null
 * @param debugEntries  every debug directory entry
 * @param problems      damage skipped while reading (a bad debug directory or CodeView record)
 */
public record PeImageInfo(int machine, long timeDateStamp, long sizeOfImage, String codeId, PeCodeView codeView,
        List<PeDebugEntry> debugEntries, List<Problem> problems) {
    public static final int MACHINE_I386 = 0x14c;
    public static final int MACHINE_AMD64 = 0x8664;
    public static final int MACHINE_ARM64 = 0xaa64;
    public static final int MACHINE_ARMNT = 0x1c4;

    public PeImageInfo {
        debugEntries = List.copyOf(debugEntries);
        problems = List.copyOf(problems);
    }

    public static PeImageInfo read(Path path) throws IOException {
        return read(path, Limits.DEFAULT);
    }

    /**
     * Reads the headers and the debug directory only. A file that is not a PE image, or whose headers are
     * damaged, is an {@link org.leakscope.model.InputFormatException}; a damaged debug directory is a problem
     * and leaves {@link #codeView()} null.
     */
    public static PeImageInfo read(Path path, Limits limits) throws IOException {
        PeSymbolFile f = PeSymbolFile.open(path, limits, false);
        return new PeImageInfo(f.machine(), f.timeDateStamp(), f.imageSize(),
                DebugIds.peCode(f.timeDateStamp(), f.imageSize()), f.codeView(), f.debugEntries(), f.problems());
    }

    /** Breakpad's CPU name of the machine ({@code x86}, {@code x86_64}, {@code arm64}, {@code arm}), or null. */
    public String cpu() {
        return switch (machine) {
            case MACHINE_I386 -> "x86";
            case MACHINE_AMD64 -> "x86_64";
            case MACHINE_ARM64 -> "arm64";
            case MACHINE_ARMNT -> "arm";
            default -> null;
        };
    }

    /**
     * The code id as dump_syms (Breakpad's and mozilla's) writes it on the {@code INFO CODE_ID} line: all
     * upper case ({@code 589DFD111A000}), where {@link #codeId()} keeps SizeOfImage in lower case as a minidump
     * reader and Microsoft's symstore spell it ({@code 589DFD111a000}).
     */
    public String symCodeId() {
        return codeId.toUpperCase(java.util.Locale.ROOT);
    }

    /** The CodeView record's debug id, or null. */
    public String debugId() {
        return codeView == null ? null : codeView.debugId();
    }

    /** The file name of the PDB the CodeView record names, or null. */
    public String pdbName() {
        return codeView == null ? null : codeView.pdbName();
    }
}
