package org.leakscope.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine. Missing, the test is skipped with a message naming it, except under CI
 * (the environment variable {@code CI} set to anything but "false"), where a skip would hide a test that never
 * ran: there it fails.
 */
public final class Required {
    private Required() {
    }

    /** Whether this run is CI's: {@code CI} is set, not empty and not "false". */
    public static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
    }

    /** Goes on when {@code present}; else skips the test, or fails it under CI, saying what is missing. */
    public static void that(boolean present, String missing) {
        if (present) {
            return;
        }
        if (inCi()) {
            fail(missing + " (CI is set: required, not skipped)");
        }
        Assumptions.abort(missing + "; skipping");
    }

    /** The third-party corpus: the system property leakscope.corpus (set by the build), else ../shared/corpus. */
    public static Path corpusRoot() {
        return Path.of(System.getProperty("leakscope.corpus", "../../shared/corpus"));
    }

    /**
     * A file (or folder) of the corpus. The corpus absent: skipped, or failed under CI. The corpus present but
     * this file not: always a failure, since a renamed file would otherwise silently skip its test.
     */
    public static Path corpusFile(String relative) {
        Path root = corpusRoot();
        Path p = root.resolve(relative);
        if (!Files.exists(p) && Files.isDirectory(root)) {
            fail("corpus file " + p + " is absent although the corpus is present: renamed or removed?");
        }
        that(Files.exists(p), "corpus file " + p + " is absent (see ../shared/corpus/SOURCES.md)");
        return p;
    }

    /**
     * Every corpus file a module's tests read is there: lists the absent ones, so a missing file is noticed
     * even when the test that reads it is skipped or gone.
     */
    public static void corpusHolds(List<String> expected) {
        Path root = corpusRoot();
        List<String> absent = expected.stream().filter(f -> !Files.exists(root.resolve(f))).toList();
        if (!Files.isDirectory(root)) {
            that(false, "the corpus " + root + " is absent; its " + expected.size() + " files this module reads: "
                    + String.join(", ", expected));
        }
        if (!absent.isEmpty()) {
            fail(absent.size() + " of the " + expected.size() + " corpus files this module reads are absent from "
                    + root + ": " + String.join(", ", absent));
        }
    }
}
