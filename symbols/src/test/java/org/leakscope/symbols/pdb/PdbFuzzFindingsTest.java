package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What the PDB fuzz target found (fuzz/, docs/fuzzing.md), kept as the fuzzer wrote it: inputs made from our own
 * seed (testdata/fuzz/pdb/small.pdb), so they may be committed.
 */
class PdbFuzzFindingsTest {
    private static final Path FUZZ = Path.of("../testdata/fuzz/pdb");

    /**
     * small.pdb with 7 bytes changed: the PDB info stream's named-stream table declares more buckets than its
     * "present" bit vector has words for. The vector was sized by its word count and the bucket loop indexed past
     * it (ArrayIndexOutOfBoundsException out of debugId()); buckets beyond the vector are now absent.
     */
    @Test
    void aPresentBitVectorShorterThanTheBucketsLeavesTheRestAbsent() throws Exception {
        try (PdbSymbols pdb = PdbSymbols.open(FUZZ.resolve("info-short-bit-vector.pdb"))) {
            assertEquals("5EED00000000400080000000000000F21", pdb.debugId());
        }
    }
}
