package org.leakscope.stackwalk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.symbols.PeSymbolFile;
import org.leakscope.symbols.X64Unwind;
import org.leakscope.symbols.dwarf.CallFrameInfo;

/**
 * The unwind data of a module's own program file, for modules without a Breakpad symbol file: DWARF
 * {@code .eh_frame}/{@code .debug_frame} (ELF, and mingw PE files), and x64 {@code .pdata}/{@code .xdata} (PE),
 * each read once, as Breakpad STACK CFI text. A file that cannot be read is a problem, and no rules.
 */
final class ModuleUnwindInfo implements AutoCloseable {
    private final Path file;
    private final List<Problem> problems;
    private final boolean amd64;
    private CallFrameInfo dwarf;
    private X64Unwind x64;
    private boolean opened;
    /** How many of the DWARF reader's problems are in {@code problems}: it finds more as lookups decode entries */
    private int dwarfProblemsCopied;

    /** @param amd64 whether the process is amd64: only then does a PE file's x64 unwind data apply */
    ModuleUnwindInfo(Path file, List<Problem> problems, boolean amd64) {
        this.file = file;
        this.problems = problems;
        this.amd64 = amd64;
    }

    /** The rules at a module offset: DWARF call frame information first, then x64 unwind data; or empty. */
    Optional<String> rulesAt(long rva) {
        open();
        Optional<String> rules = Optional.empty();
        if (dwarf != null) {
            rules = dwarf.rulesAt(rva).map(r -> r.breakpad()).filter(r -> !r.isEmpty());
            copyDwarfProblems();
        }
        if (rules.isEmpty() && x64 != null) {
            rules = x64.stackCfiRulesAt(rva);
        }
        return rules;
    }

    private void open() {
        if (opened) {
            return;
        }
        opened = true;
        try {
            dwarf = CallFrameInfo.open(file);
            copyDwarfProblems();
        } catch (InputFormatException e) {
            problems.add(Problem.of(e));
        } catch (IOException e) {
            problems.add(new Problem(file.toString(), null, null, file + ": cannot read: " + e.getMessage()));
        }
        if (amd64 && PeSymbolFile.isPe(file)) {
            try {
                x64 = X64Unwind.open(file);
            } catch (InputFormatException e) {
                problems.add(Problem.of(e));
            } catch (IOException e) {
                problems.add(new Problem(file.toString(), null, null, file + ": cannot read: " + e.getMessage()));
            }
        }
    }

    private void copyDwarfProblems() {
        List<Problem> all = dwarf.problems();
        if (all.size() > dwarfProblemsCopied) {
            problems.addAll(all.subList(dwarfProblemsCopied, all.size()));
            dwarfProblemsCopied = all.size();
        }
    }

    @Override
    public void close() throws IOException {
        if (x64 != null) {
            x64.close();
        }
    }
}
