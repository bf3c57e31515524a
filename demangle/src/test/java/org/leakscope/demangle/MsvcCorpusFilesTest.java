package org.leakscope.demangle;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.testing.Required;

/** The corpus files the MSVC demangler's differential test reads are all there. */
class MsvcCorpusFilesTest {
    @Test
    void corpusHoldsTheFilesTheMsvcTestsRead() {
        List<String> files = new ArrayList<>(MsvcCorpusNames.PDB_FILES);
        files.addAll(MsvcCorpusNames.PE_FILES);
        files.add("pdb/moz_basic32-min.sym");
        Required.corpusHolds(files);
    }
}
