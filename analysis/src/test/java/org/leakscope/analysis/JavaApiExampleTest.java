package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.AttributedSite;
import org.leakscope.minidump.TableSite;
import org.leakscope.symbols.SymbolStore;

/**
 * The example of docs/java-api.md, compiled and run: the document's code block must appear in this file
 * line for line, and README.md's "Using Leakscope from Java" must show the same code, so the example cannot rot.
 */
class JavaApiExampleTest {
    static final Path DOC = Path.of("..", "docs", "java-api.md");
    static final Path README = Path.of("..", "README.md");
    static final Path SELF = Path.of("src", "test", "java", "org", "leakscope", "analysis", "JavaApiExampleTest.java");

    /** The example: a dump's (or a table image's) leaked call sites, largest first. */
    static void printLeakedCallSites(Path dump, PrintStream out) throws IOException {
        try (SymbolStore symbols = new SymbolStore(List.of());
                Input input = Inputs.open(dump, InputOptions.defaults())) {
            ResmonTableReport report = new ResmonTableReports(symbols, AllocatorFolding.defaults())
                    .of(input, ReadProgress.NONE);
            for (ResmonTableReport.Table table : report.tables()) {
                for (AttributedSite<TableSite> site : table.sites()) {
                    out.printf("%,12d bytes %4d x %-15s %s%n", site.bytes(), site.count(), site.kind(),
                            site.site() == null ? "(no stack)" : site.site().describe());
                }
            }
        }
    }

    @Test
    void theExamplePrintsTheSampleTablesCallSites() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        printLeakedCallSites(Path.of("..", "testdata", "resmontable", "sample.rmt"), out);
        assertEquals("""
                   1,048,576 bytes    1 x HEAP_BLOCK      sample_leaker+0xf4ab
                       4,096 bytes    1 x HEAP_BLOCK      sample_leaker+0xe345
                         600 bytes    6 x HEAP_BLOCK      sample_leaker+0xd234
                           0 bytes    2 x THREAD          sample_leaker+0x10000
                           0 bytes    2 x SYNC_OBJECT     sample_leaker+0x11000
                           0 bytes    1 x FILE_DESCRIPTOR sample_leaker+0x12000
                """, bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void theDocumentShowsThisCodeAndThisOutput() throws IOException {
        String doc = Files.readString(DOC);
        String self = Files.readString(SELF);
        String code = block(doc, "```java\n");
        for (String line : code.split("\n")) {
            assertTrue(self.contains(line.strip()), "docs/java-api.md's example line is not in " + SELF + ": " + line);
        }
        String output = block(doc, "```text\n");
        for (String line : output.split("\n")) {
            assertTrue(self.contains(line), "docs/java-api.md's output line is not asserted here: " + line);
        }
    }

    @Test
    void theReadmeShowsTheSameCodeLines() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf("\n## Using Leakscope from Java\n");
        assertTrue(section >= 0, "README.md has no section \"Using Leakscope from Java\"");
        String next = readme.substring(section + 1);
        int end = next.indexOf("\n## ");
        String inReadme = block(end < 0 ? next : next.substring(0, end), "```java\n");
        assertEquals(block(Files.readString(DOC), "```java\n"), inReadme,
                "README.md's example must be docs/java-api.md's, line for line");
    }

    private static String block(String doc, String fence) {
        int start = doc.indexOf(fence);
        assertTrue(start >= 0, "no " + fence.strip() + " block");
        start += fence.length();
        return doc.substring(start, doc.indexOf("```", start)).stripTrailing();
    }
}
