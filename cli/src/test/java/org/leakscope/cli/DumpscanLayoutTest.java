package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.SyntheticDumpBuilder;

/**
 * dumpscan's text fits a 120-column terminal on real dumps (module tables were 121-174 columns, a Linux command
 * line 674), with the crashing thread first; the JSON keeps every value whole. Widths are counted in UTF-8
 * bytes, as byte-counting tools (mawk's {@code length}) do.
 */
class DumpscanLayoutTest {
    private static final int WIDTH = 120;

    @TempDir
    Path dir;

    /** Every dump of the corpus (or of {@code -Dleakscope.dumps=DIR}), found by walking it. */
    @Test
    void everyLineOfEveryCorpusDumpFits() throws Exception {
        String other = System.getProperty("leakscope.dumps");
        Path root = other != null && !other.isBlank() ? Path.of(other) : CliRun.corpus(".");
        List<Path> dumps;
        try (Stream<Path> files = Files.walk(root)) {
            dumps = files.filter(p -> p.toString().endsWith(".dmp")).sorted().toList();
        }
        assertTrue(dumps.size() >= 13, "the corpus has 13 dumps, found " + dumps.size() + " under " + root);
        List<String> wide = new ArrayList<>();
        for (Path dump : dumps) {
            String out = CliRun.of("dumpscan", dump.toString()).out();
            for (String line : out.split("\n")) {
                if (line.getBytes(StandardCharsets.UTF_8).length > WIDTH) {
                    wide.add(root.relativize(dump) + ": " + line);
                }
            }
        }
        assertEquals(List.of(), wide, "lines wider than " + WIDTH);
    }

    /** electron's 674-character command line wraps at its spaces: every argument is there, in order. */
    @Test
    void aLongCommandLineWrapsWithNothingLost() throws Exception {
        Path dump = CliRun.corpus("linux/electron_linux.dmp");
        String command = DumpscanCrashTest.json(dump).at("/process/commandLine").asText();
        assertEquals(663, command.length(), "674 columns with its label");
        String text = DumpscanCrashTest.text(dump);
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("Command    ")) {
                in = true;
            } else if (in && !line.startsWith("           ")) {
                break;
            }
            if (in) {
                lines.add(line.substring(11));
            }
        }
        assertTrue(lines.size() > 5, lines.toString());
        assertEquals(command, String.join(" ", lines));
    }

    /** The thread people came for is the first row, wherever the dump lists it (here 47th of 187). */
    @Test
    void theCrashingThreadComesFirst() throws Exception {
        Path dump = CliRun.corpus("windows/gallipoli_ue_win10_22h2_x64_threadnames_avx.dmp");
        JsonNode threads = DumpscanCrashTest.json(dump).get("threads");
        int crashed = 0;
        while (!threads.get(crashed).get("crashed").asBoolean()) {
            crashed++;
        }
        assertEquals(47, crashed, "file order stays in JSON");
        String text = DumpscanCrashTest.text(dump);
        String table = text.substring(text.indexOf("Threads (187)\n"));
        String firstRow = table.split("\n")[2];
        assertTrue(firstRow.startsWith("  *  0x1300  Job.Worker 18 "), firstRow);
    }

    /** A name longer than its column loses its middle in the text and stays whole in the JSON. */
    @Test
    void longNamesAreShortenedInTextOnly() throws Exception {
        String threadName = "A thread with a name much longer than any column would give it: worker pool #12";
        String module = "C:\\Program Files\\Vendor\\" + "VeryLongModuleName".repeat(4) + "Plugin.dll";
        Path dump = dir.resolve("long.dmp");
        new SyntheticDumpBuilder().systemInfo(9, 2, "")
                .threads(true, 1232, new long[][] {{1, 0x7ff600001000L, 0x1000}, {2, 0x7ff600002000L, 0x2000}})
                .threadNames(new long[] {1}, new String[] {threadName})
                .module(0x7ff600000000L, 0x100000, module, "RSDS").endModules()
                .exception(2, 0xc0000005L, 0x7ff600002000L, 0, 0x10).write(dump);
        JsonNode d = DumpscanCrashTest.json(dump);
        assertEquals(threadName, d.at("/threads/0/name").asText());
        assertEquals(module, d.at("/modules/0/path").asText());
        String text = DumpscanCrashTest.text(dump);
        for (String line : text.split("\n")) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= WIDTH, line);
        }
        assertFalse(text.contains(threadName));
        // Frames give up width first (to 40 columns), then names (to 16): both ends of each survive.
        assertTrue(text.contains("  A thread wi…ker pool #12  "), text);
        assertTrue(text.contains("  VeryLongModuleNam…duleNamePlugin.dll  "), text);
        // The crashed thread (2) is listed before thread 1.
        assertTrue(text.indexOf("  *  0x2 ") < text.indexOf("     0x1 "), text);
    }
}
