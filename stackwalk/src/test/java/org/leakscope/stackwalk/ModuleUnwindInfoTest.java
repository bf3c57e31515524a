package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Problem;

/** A module's program file as a source of rules: x64 unwind data of a PE file, and a file that is neither. */
class ModuleUnwindInfoTest {
    @Test
    void x64UnwindDataOfAPeFileGivesTheRulesMozillasDumpSymsWrites() throws Exception {
        // moz_dump_syms_regtest64.sym: STACK CFI INIT 1010 6a .cfa: $rsp 80 + .ra: .cfa 8 - ^
        List<Problem> problems = new ArrayList<>();
        try (ModuleUnwindInfo info = new ModuleUnwindInfo(Corpus.file("pdb/moz_dump_syms_regtest64.exe"), problems,
                true)) {
            Optional<String> rules = info.rulesAt(0x1040);
            assertEquals(Optional.of(".cfa: $rsp 80 + .ra: .cfa 8 - ^"), rules);
            assertEquals(Optional.of(".cfa: $rsp 48 + .ra: .cfa 8 - ^"), info.rulesAt(0x10d0 + 0x20));
        }
    }

    @Test
    void aFileThatIsNoProgramGivesAProblemAndNoRules(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk"), "not a program file");
        List<Problem> problems = new ArrayList<>();
        try (ModuleUnwindInfo info = new ModuleUnwindInfo(junk, problems, true)) {
            assertEquals(Optional.empty(), info.rulesAt(0x1000));
            assertEquals(1, problems.size(), problems.toString());
        }
    }
}
