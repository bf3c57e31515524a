package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering CONTRIBUTING.md describes, checked on the sources so it cannot erode: the commands reach readers,
 * diff, symbols and stackwalk only through analysis; reader and diff records appear only in the renderers
 * (cli/text, cli/json, html-report); analysis never reaches up into cli or html-report.
 */
class LayeringTest {
    private static final Pattern BELOW_ANALYSIS =
            Pattern.compile("^import (static )?org\\.leakscope\\."
                    + "(minidump|umdh|resmon|diff|symbols|stackwalk|demangle|textio)\\.", Pattern.MULTILINE);

    @Test
    void commandsImportNoReaderDiffOrSymbolsType() throws IOException {
        List<String> found = new ArrayList<>();
        Path commands = Path.of("src/main/java/org/leakscope/cli");
        try (Stream<Path> files = Files.list(commands)) { // the command package itself, not text/ or json/
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = BELOW_ANALYSIS.matcher(Files.readString(f));
                while (m.find()) {
                    found.add(f.getFileName() + ": " + m.group().strip());
                }
            }
        }
        assertTrue(Files.isDirectory(commands), commands.toAbsolutePath().toString());
        assertEquals(List.of(), found, "commands go through org.leakscope.analysis");
    }

    @Test
    void renderersBuildNoReader() throws IOException {
        // renderers read report records; constructing a reader or a store there would be work done outside analysis
        Pattern work = Pattern.compile("\\b(new )?(SymbolStore|StackWalker|AllocatorFolding|ResmonLogReader"
                + "|DebugViewReader|UmdhSnapshotReader|UmdhCompareReader|Minidump|DumpFile|ResmonTableReader"
                + "|ResmonTableScan|TableImage)"
                + "(\\(|\\.(open|read|scan|of)\\()");
        List<String> found = new ArrayList<>();
        for (Path dir : List.of(Path.of("src/main/java/org/leakscope/cli/text"),
                Path.of("src/main/java/org/leakscope/cli/json"), Path.of("../html-report/src/main/java"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    Matcher m = work.matcher(Files.readString(f));
                    while (m.find()) {
                        found.add(f.getFileName() + ": " + m.group());
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void analysisNeverImportsTheCommandLayer() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("../analysis/src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(f);
                if (text.contains("import org.leakscope.cli.") || text.contains("import org.leakscope.html.")) {
                    found.add(f.getFileName().toString());
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
