package org.leakscope.cli.text;

import java.io.IOException;
import java.io.Writer;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;

/** dumpsyms' output: the records as Breakpad {@code .sym} text. */
public final class SymFileText {
    private SymFileText() {
    }

    /**
     * Writes the module's records in dump_syms' order.
     *
     * @param d the records
     * @param w where they go
     * @throws IOException when writing fails
     */
    public static void write(SymbolData d, Writer w) throws IOException {
        SymText.write(d, w);
    }
}
