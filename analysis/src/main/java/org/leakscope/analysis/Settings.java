package org.leakscope.analysis;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.model.Limits;
import org.leakscope.resmon.DebugViewOptions;
import org.leakscope.resmon.ResmonLogOptions;
import org.leakscope.symbols.SymbolStore;
import org.leakscope.symbols.store.SymbolPath;
import org.leakscope.umdh.UmdhOptions;

/**
 * What a front end asks for, as plain values: from these the analysis layer builds the readers' options, the
 * allocator folding and the symbol service, so a command never constructs them itself. Checking the values
 * (an unknown encoding, a blank glob) is the front end's job: its error wording is its own.
 *
 * @param symbolRoots  symbol stores and directories of program files, in lookup order
 * @param foldGlobs    function globs folded on top of the default allocator list (docs/attribution.md)
 * @param noFold       keep every frame: no folding at all (then {@code foldGlobs} must be empty)
 * @param encoding     the capturing machine's code page for text that is not UTF-8; null for windows-1252
 * @param strict       a malformed line is an error rather than a recorded problem
 * @param processId    only the log runs of this process id; null for any
 * @param processName  only the log runs of this process name; null for any
 * @param compareRadix the radix of a UMDH compare output's numbers (16 or 10); null to detect it
 * @param limits       the caps every reader applies
 * @param moduleFiles  program files of the modules of logs that print no module list (the original resmon): their
 *                     load addresses are recovered from the return addresses ({@link RunModules})
 * @param symbolPath   where symbols are looked for: folders, caches and symbol servers in WinDbg's syntax
 *                     (docs/symbols.md); null for the folders of {@code symbolRoots}
 * @param offline      symbol servers are not asked: only what their caches hold is used
 */
public record Settings(List<Path> symbolRoots, List<String> foldGlobs, boolean noFold, Charset encoding,
        boolean strict, Long processId, String processName, Integer compareRadix, Limits limits,
        List<Path> moduleFiles, SymbolPath symbolPath, boolean offline) {
    /** Copies the lists, so a caller's later change cannot reach an analysis under way. */
    public Settings {
        symbolRoots = List.copyOf(symbolRoots);
        foldGlobs = List.copyOf(foldGlobs);
        moduleFiles = List.copyOf(moduleFiles);
        symbolPath = symbolPath != null ? symbolPath : SymbolPath.folders(symbolRoots);
    }

    /** Settings whose symbols are the folders {@code symbolRoots} only, without module files. */
    public Settings(List<Path> symbolRoots, List<String> foldGlobs, boolean noFold, Charset encoding,
            boolean strict, Long processId, String processName, Integer compareRadix, Limits limits) {
        this(symbolRoots, foldGlobs, noFold, encoding, strict, processId, processName, compareRadix, limits,
                List.of(), null, false);
    }

    /** No symbols, the default folding, the readers' defaults. */
    public static Settings defaults() {
        return new Settings(List.of(), List.of(), false, null, false, null, null, null, Limits.DEFAULT);
    }

    /** These settings keeping only the log runs of {@code pid} and/or {@code name} (null: any). */
    public Settings withProcess(Long pid, String name) {
        return new Settings(symbolRoots, foldGlobs, noFold, encoding, strict, pid, name, compareRadix, limits,
                moduleFiles, symbolPath, offline);
    }

    /** These settings reading UMDH compare outputs' numbers in {@code radix} (16 or 10; null to detect it). */
    public Settings withCompareRadix(Integer radix) {
        return new Settings(symbolRoots, foldGlobs, noFold, encoding, strict, processId, processName, radix, limits,
                moduleFiles, symbolPath, offline);
    }

    /**
     * These settings looking for symbols along a symbol path in WinDbg's syntax (docs/symbols.md).
     *
     * @param values  the path as given, each value {@code ;}-separated entries: folders, {@code cache*DIR},
     *                {@code srv*CACHE*URL}; searched before the environment's
     * @param env     the environment ({@code LEAKSCOPE_SYMBOL_PATH}, {@code _NT_SYMBOL_PATH}, the default cache)
     * @param offline never ask a symbol server: only what earlier runs downloaded into its cache
     * @return the settings
     */
    public Settings withSymbolPath(List<String> values, UnaryOperator<String> env, boolean offline) {
        SymbolPath path = SymbolPath.of(values, env);
        return new Settings(path.localFolders(), foldGlobs, noFold, encoding, strict, processId, processName,
                compareRadix, limits, moduleFiles, path, offline);
    }

    /** These settings with the program files of logs' modules ({@code --module-file}). */
    public Settings withModuleFiles(List<Path> files) {
        return new Settings(symbolRoots, foldGlobs, noFold, encoding, strict, processId, processName, compareRadix,
                limits, files, symbolPath, offline);
    }

    /** The allocator and runtime frames to fold: none, the defaults, or the defaults plus {@code foldGlobs}. */
    public AllocatorFolding folding() {
        return noFold ? AllocatorFolding.none()
                : foldGlobs.isEmpty() ? AllocatorFolding.defaults() : AllocatorFolding.defaults().plus(foldGlobs);
    }

    /** A new symbol service over {@link #symbolPath}; the caller closes it. */
    public SymbolStore openSymbols() {
        return new SymbolStore(symbolPath, offline);
    }

    /** The UMDH readers' options: strictness, code page, compare radix. */
    public UmdhOptions umdh() {
        UmdhOptions d = UmdhOptions.defaults();
        return new UmdhOptions(limits, strict, encoding == null ? d.ansiCharset() : encoding,
                compareRadix == null ? d.compareRadix() : compareRadix, null);
    }

    /** The resmon log reader's options: DebugView framing (strictness, code page) and the process filter. */
    public ResmonLogOptions log() {
        DebugViewOptions d = DebugViewOptions.defaults();
        DebugViewOptions dv = new DebugViewOptions(limits, strict, encoding == null ? d.ansiCharset() : encoding);
        return ResmonLogOptions.defaults().withDebugView(dv).withFilter(processId, processName);
    }

    /** Both readers' options together, as {@link Inputs#open} takes them. */
    public InputOptions inputs() {
        return new InputOptions(umdh(), log());
    }
}
