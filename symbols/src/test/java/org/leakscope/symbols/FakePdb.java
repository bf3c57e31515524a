package org.leakscope.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the PDB reader while it is written in parallel (issue 15): a text file
 * {@code FAKEPDB <debug id> <function>} that says which build it is and names every offset after one function.
 * What the store tests check is how a PDB is found and whether its identity is checked, not how it is read.
 */
final class FakePdb implements ImageSymbols {
    private static final String MAGIC = "FAKEPDB ";
    /** What the store asked: each file it recognised, opened, and whose identity it read. */
    static final List<String> OPENED = new CopyOnWriteArrayList<>();

    private final String debugId;
    private final String function;

    private FakePdb(String debugId, String function) {
        this.debugId = debugId;
        this.function = function;
    }

    static byte[] bytes(String debugId, String function) {
        return (MAGIC + debugId + " " + function + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    static final SymbolStore.PdbOpener OPENER = new SymbolStore.PdbOpener() {
        @Override
        public boolean isPdb(Path p) {
            try {
                return Files.isRegularFile(p) && Files.readString(p, StandardCharsets.ISO_8859_1).startsWith(MAGIC);
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public ImageSymbols open(Path p) throws IOException {
            String[] f = Files.readString(p, StandardCharsets.US_ASCII).strip().split(" ");
            OPENED.add(p.getFileName().toString());
            return new FakePdb(f[1], f[2]);
        }
    };

    @Override
    public Optional<SymbolHit> lookup(long moduleOffset) {
        return Optional.of(new SymbolHit(function, moduleOffset - 0x1000, "c:\\src\\app.cpp", 42));
    }

    @Override
    public int functions() {
        return 1;
    }

    @Override
    public BuildIdentity identity() {
        return new BuildIdentity(debugId, null, null, List.of(), "SizeOfImage");
    }
}
