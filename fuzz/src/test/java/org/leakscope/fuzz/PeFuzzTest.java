package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.leakscope.symbols.PeCode;
import org.leakscope.symbols.PeSymbolFile;

/** PE images: headers, debug directory and CodeView id, exports, and the code bytes the walker reads. */
class PeFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void pe(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.dll", input);
        ReaderContract.check("pe", () -> {
            PeSymbolFile.isPe(file);
            PeSymbolFile pe = PeSymbolFile.open(file);
            pe.functions();
            pe.is64();
            pe.imageBase();
            pe.imageSize();
            pe.timeDateStamp();
            pe.debugId();
            pe.machine();
            pe.codeView();
            pe.debugEntries();
            pe.identity();
            pe.problems();
            long size = pe.imageSize();
            PeCode code = pe.code();
            for (long rva : new long[] {0, 0x1000, size / 2, size - 1, size, -1}) {
                pe.lookup(rva);
                if (code.contains(rva)) {
                    code.before(rva, 16);
                }
            }
        });
    }
}
