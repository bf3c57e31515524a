package org.leakscope.minidump;

import java.nio.file.Path;
import java.util.List;
import org.leakscope.testing.Required;

/**
 * The third-party corpus beside the checkout (../shared/corpus). Tests that need it skip with a message
 * when it is absent, e.g. on a user's machine, and fail under CI ({@link Required}).
 */
final class Corpus {
    /** Every corpus file this module's tests read; {@code CorpusFilesTest} checks they are all there. */
    static final List<String> READ = List.of("breakpad/minidump2.dmp", "breakpad/minidump2.dump.out",
            "breakpad/ascii_read_av.dmp", "breakpad/linux_null_dereference.dmp", "breakpad/linux_raise_sigabrt.dmp",
            "linux/electron_linux.dmp", "windows/r2_calc_win7_x64.dmp", "windows/electron_windows.dmp",
            "windows/gallipoli_ue_win10_22h2_x64_threadnames_avx.dmp",
            "windows/bo4server_win10_1607_x64_handles_meminfo.dmp", "malformed/invalid-range.dmp",
            "malformed/invalid-record-count.dmp", "malformed/r2_trunc_memory64.dmp");

    private Corpus() {
    }

    static Path file(String relative) {
        return Required.corpusFile(relative);
    }
}
