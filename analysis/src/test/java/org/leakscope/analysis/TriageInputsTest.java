package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TriageInputs}: folders walked recursively, globs matched, kinds by content, other files skipped. */
class TriageInputsTest {
    @TempDir
    Path tmp;

    @Test
    void foldersAreWalkedAndKindsComeFromContentNotNames() throws IOException {
        Path sub = Files.createDirectories(tmp.resolve("a/b"));
        Files.copy(Path.of("..", "testdata", "minidump", "sample.dmp"), sub.resolve("renamed.txt"));
        Files.copy(Path.of("..", "testdata", "umdh", "leaky_1.log"), tmp.resolve("a/x.dmp"));
        Files.writeString(tmp.resolve("notes.dmp"), "hello\n");
        List<Path> files = TriageInputs.expand(List.of(tmp.toString()));
        assertEquals(3, files.size());
        InputOptions options = InputOptions.defaults();
        assertEquals(InputKind.MINIDUMP, TriageInputs.classify(sub.resolve("renamed.txt"), options).kind());
        assertEquals(InputKind.UMDH_SNAPSHOT, TriageInputs.classify(tmp.resolve("a/x.dmp"), options).kind());
        TriageInputs.Classified other = TriageInputs.classify(tmp.resolve("notes.dmp"), options);
        assertNull(other.kind());
        assertNotNull(other.skipReason());
    }

    @Test
    void globsMatchBelowTheirFixedPrefix() throws IOException {
        Files.createDirectories(tmp.resolve("n1"));
        Files.createDirectories(tmp.resolve("n2"));
        Files.writeString(tmp.resolve("n1/a.log"), "x");
        Files.writeString(tmp.resolve("n2/b.log"), "x");
        Files.writeString(tmp.resolve("n2/c.dmp"), "x");
        List<Path> files = TriageInputs.expand(List.of(tmp + "/n*/*.log"));
        assertEquals(2, files.size());
        assertTrue(files.stream().allMatch(p -> p.toString().endsWith(".log")));
    }
}
