package org.leakscope.spark;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.analysis.Settings;
import org.leakscope.model.Limits;
import org.leakscope.symbols.store.SymbolPath;

/**
 * What every executor reads files with, as plain values shipped with the job: the same {@link Settings} that
 * {@code triage} builds from its options. The environment the symbol path consults ({@code LEAKSCOPE_SYMBOL_PATH},
 * {@code _NT_SYMBOL_PATH}, the default cache) is the driver's, captured once, so every executor resolves the same
 * path whatever its own environment.
 *
 * @param symbolPath --symbols-path values, WinDbg's syntax (docs/symbols.md)
 * @param env        the driver's values of the variables the symbol path asked for
 * @param offline    never ask a symbol server
 * @param foldGlobs  --fold globs
 * @param noFold     --no-fold
 * @param encoding   --encoding's charset name, or null for the readers' default
 */
record TriageSettings(List<String> symbolPath, Map<String, String> env, boolean offline, List<String> foldGlobs,
        boolean noFold, String encoding) implements Serializable {
    TriageSettings {
        symbolPath = List.copyOf(symbolPath);
        env = Map.copyOf(env);
        foldGlobs = List.copyOf(foldGlobs);
    }

    /** The settings with the driver's environment captured. */
    static TriageSettings capture(List<String> symbolPath, boolean offline, List<String> foldGlobs, boolean noFold,
            String encoding) {
        Map<String, String> env = new HashMap<>();
        SymbolPath.of(symbolPath, name -> {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
            return v;
        });
        return new TriageSettings(symbolPath, env, offline, foldGlobs, noFold, encoding);
    }

    /** The analysis settings, as the CLI's CommonOptions.settings makes them from the same options. */
    Settings settings() {
        return new Settings(List.of(), foldGlobs, noFold, encoding == null ? null : Charset.forName(encoding), false,
                null, null, null, Limits.DEFAULT, List.of(), null, false).withSymbolPath(symbolPath, env::get,
                offline);
    }
}
