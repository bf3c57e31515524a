package org.leakscope.symbols.pdb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.leakscope.symbols.BuildIdentity;
import org.leakscope.symbols.ImageSymbols;
import org.leakscope.symbols.SymbolHit;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * CONTRACT PLACEHOLDER (issue 15; the PDB helper replaces the body, keeps the shape): the functions, lines and
 * publics of one PDB file, opened lazily (only the stream directory at open), looked up by module offset.
 */
public final class PdbSymbols implements ImageSymbols, AutoCloseable {
    private PdbSymbols() {
    }

    /**
     * Opens a PDB (MSF 7.00).
     *
     * @throws org.leakscope.model.InputFormatException when the file is not one, or is damaged
     */
    public static PdbSymbols open(Path pdb) throws IOException {
        throw new UnsupportedOperationException("PDB reader not written yet");
    }

    /** True when the file starts with the MSF 7.00 (or 2.00) signature. */
    public static boolean isPdb(Path p) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(p)) {
            byte[] head = in.readNBytes(40);
            return MsfFile.hasMagic(head, head.length);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Debug id = GUID + age in Breakpad's form; code id and sizes null/empty (a PDB does not know them). */
    @Override
    public BuildIdentity identity() {
        throw new UnsupportedOperationException();
    }

    /** The function (name with argument types, as dump_syms prints it) and source line at an RVA. */
    @Override
    public Optional<SymbolHit> lookup(long moduleOffset) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int functions() {
        throw new UnsupportedOperationException();
    }

    /** Everything dump_syms would write for this PDB (no STACK CFI, no INFO CODE_ID: those come from the PE). */
    public SymbolData toSymbolData() throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() throws IOException {
    }
}
