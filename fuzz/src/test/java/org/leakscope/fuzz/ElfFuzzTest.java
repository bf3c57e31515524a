package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.leakscope.symbols.ElfSymbolFile;

/** ELF images: headers, symbol tables, build id and lookups at each symbol and around it. */
class ElfFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void elf(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.so", input);
        ReaderContract.check("elf", () -> {
            ElfSymbolFile.isElf(file);
            ElfSymbolFile elf = ElfSymbolFile.open(file);
            elf.functions();
            elf.identity();
            elf.buildId();
            elf.debugId();
            elf.lookup(0);
            elf.lookup(-1);
            elf.symbols().stream().limit(64).forEach(s -> {
                elf.lookup(s.moduleOffset());
                elf.lookup(s.moduleOffset() + s.size());
            });
        });
    }
}
