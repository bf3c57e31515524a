package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * leakdiff folds C++ runtime frames with the list every command shares (docs/attribution.md): two snapshots of
 * the C++ program's log (testdata/dbgview/resmon_cpp_stacks.log), the first without its std::string buffers.
 */
class LeakdiffAttributionTest {
    private static final Path LOG = CliRun.testdata("dbgview/resmon_cpp_stacks.log");
    private static final String SYMBOLS = CliRun.testdata("dbgview/cpp_symbols").toString();

    @TempDir
    Path tmp;

    /** The log without the records whose stack starts in basic_string::_M_create (libstdc++ + 0x14a02a). */
    private Path before() throws Exception {
        List<String> out = new ArrayList<>();
        List<String> record = new ArrayList<>();
        for (String line : Files.readAllLines(LOG)) {
            if (line.contains("|resmon| base 0x") || !record.isEmpty()) {
                record.add(line);
                if (line.endsWith("-".repeat(51))) {
                    if (record.stream().noneMatch(l -> l.contains("stack 0x00007F3A1C34A02A"))) {
                        out.addAll(record);
                    }
                    record.clear();
                }
                continue;
            }
            out.add(line);
        }
        Path p = tmp.resolve("before.log");
        Files.write(p, out);
        return p;
    }

    @Test
    void theStringsBuffersGrowAtTheirConstructorNotInsideLibstdcxx() throws Exception {
        String before = before().toString();
        CliRun json = CliRun.of("leakdiff", before, LOG.toString(), "--symbols-path", SYMBOLS, "--json");
        assertEquals("", json.err());
        JsonNode stack = new ObjectMapper().readTree(json.out()).get("stacks").get(0);
        assertEquals(246, stack.get("bytes").get("delta").asLong());
        assertEquals(2, stack.get("foldedFrames").asInt(), "basic_string's _M_create and _M_construct");
        assertEquals("Session::Session()", stack.get("frames").get(2).get("function").asText());

        CliRun trend = CliRun.of("leakdiff", before, LOG.toString(), "--symbols-path", SYMBOLS, "--trend");
        assertTrue(trend.out().matches("(?s).* +1 +yes .* cppleak!Session::Session\\(\\)\\+24\n.*"), trend.out());
        assertTrue(trend.out().contains("    (alloc) libstdc++.so.6!std::__cxx11::basic_string<char, std::…char> >"
                + "::_M_create(unsigned long&, unsigned long)+2A\n"), trend.out());

        CliRun unfolded = CliRun.of("leakdiff", before, LOG.toString(), "--symbols-path", SYMBOLS, "--json",
                "--no-fold");
        assertEquals(0, new ObjectMapper().readTree(unfolded.out()).get("stacks").get(0).get("foldedFrames").asInt());
    }
}
