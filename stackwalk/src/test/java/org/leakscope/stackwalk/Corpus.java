package org.leakscope.stackwalk;

import java.nio.file.Path;
import java.util.List;
import org.leakscope.testing.Required;

/**
 * The third-party corpus beside the checkout (../shared/corpus). Tests that need it skip with a message when it
 * is absent, and fail under CI ({@link Required}).
 */
final class Corpus {
    /** Every corpus file this module's tests read by name; {@code CorpusFilesTest} checks they are all there. */
    static final List<String> READ = List.of("breakpad/minidump2.dmp", "breakpad/symbols",
            "breakpad/minidump2.stackwalk.out", "stackwalk/sentry_crash_linux.dmp", "stackwalk/symbols",
            "stackwalk/sentry_crash_linux.stackwalk.out", "stackwalk/sentry_crash_linux",
            "pdb/moz_dump_syms_regtest64.exe");

    private Corpus() {
    }

    static Path file(String relative) {
        return Required.corpusFile(relative);
    }
}
