package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Hex;

/**
 * dumpscan agrees with Breakpad's minidump_stackwalk (machine-readable golden output) on minidump2.dmp: OS,
 * CPU, crash reason and address, every module line, and the crashing frame symbolized from the symbol store.
 */
class StackwalkAgreementTest {

    @Test
    void agreesWithMinidumpStackwalk() throws Exception {
        List<String> golden = Files.readAllLines(CliRun.corpus("breakpad/minidump2.stackwalk.machine_readable.out"));
        CliRun run = CliRun.of("dumpscan", "--json", "--symbols-path", CliRun.corpus("breakpad/symbols").toString(),
                CliRun.corpus("breakpad/minidump2.dmp").toString());
        assertEquals(ExitCode.OK, run.exit(), run.err());
        JsonNode d = new ObjectMapper().readTree(run.out()).get("dumps").get(0);
        int moduleIndex = 0;
        int crashFrames = 0;
        for (String line : golden) {
            String[] f = line.split("\\|", -1);
            switch (f[0]) {
                case "OS" -> {
                    assertEquals(f[1], d.at("/system/os").asText());
                    assertEquals(f[2], d.at("/system/osVersion").asText() + " " + d.at("/system/servicePack").asText());
                }
                case "CPU" -> {
                    assertEquals(f[1], d.at("/system/cpu").asText());
                    assertEquals(f[2], d.at("/system/cpuDescription").asText());
                    assertEquals(f[3], d.at("/system/processorCount").asText());
                }
                case "Crash" -> {
                    assertEquals(f[1], d.at("/exception/name").asText());
                    assertEquals(Hex.parse(f[2]), Hex.parse(d.at("/exception/crashAddress").asText()));
                }
                case "Module" -> {
                    // minidump_stackwalk lists the main module first, then by address: match by name.
                    JsonNode m = byName(d.get("modules"), f[1]);
                    moduleIndex++;
                    assertEquals(f[1], m.get("name").asText());
                    assertEquals(f[2], m.get("version").isNull() ? "" : m.get("version").asText());
                    assertEquals(f[3], m.get("debugFile").asText());
                    assertEquals(f[4], m.get("debugId").asText());
                    assertEquals(Hex.parse(f[5]), Hex.parse(m.get("base").asText()));
                    assertEquals(Hex.parse(f[6]), Hex.parse(m.get("end").asText()));
                }
                default -> {
                    // Frame lines "thread|frame|module|function|file|line|offset": frame 0 of the crashed thread.
                    if (f.length == 7 && f[0].equals("0") && f[1].equals("0")) {
                        // at() never returns null: a missing or null frame is a MissingNode or NullNode.
                        JsonNode frame = d.at("/exception/frame");
                        assertTrue(frame.isObject(), "the crash frame is resolved: " + frame);
                        crashFrames++;
                        assertEquals(f[2], frame.get("module").asText());
                        assertEquals(f[3], frame.get("function").asText());
                        assertEquals(f[4], frame.get("sourceFile").asText());
                        assertEquals(f[5], frame.get("sourceLine").asText());
                        // f[6] is the offset from the source line's start, which the summary does not print.
                    }
                }
            }
        }
        assertEquals(d.get("modules").size(), moduleIndex);
        assertEquals(1, crashFrames, "the golden file's frame 0 of the crashed thread was compared");
        assertEquals(f(golden, "Module").get(0).split("\\|")[1], d.get("modules").get(0).get("name").asText(),
                "the main module comes first in both");
    }

    private static List<String> f(List<String> lines, String kind) {
        return lines.stream().filter(l -> l.startsWith(kind + "|")).toList();
    }

    private static JsonNode byName(JsonNode modules, String name) {
        for (JsonNode m : modules) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no module " + name);
    }
}
