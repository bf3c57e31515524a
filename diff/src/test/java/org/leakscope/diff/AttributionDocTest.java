package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/attribution.md lists every default glob, so the page and the code cannot drift apart. */
class AttributionDocTest {
    @Test
    void everyDefaultGlobIsDocumented() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "attribution.md")).replaceAll("\n +", " ");
        for (String g : AllocatorFolding.DEFAULT_FUNCTIONS) {
            assertTrue(doc.contains("`" + g + "`"), g + " is not in docs/attribution.md");
        }
        for (String g : AllocatorFolding.DEFAULT_MODULES) {
            assertTrue(doc.contains("`" + g + "`"), g + " is not in docs/attribution.md");
        }
    }
}
