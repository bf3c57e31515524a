package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.leakscope.model.InputFormatException;
import org.leakscope.testing.Required;

/**
 * {@link Inputs#detect} and {@link Inputs#open} on every kind of file the project has (testdata/ and the
 * third-party corpus), and on files of the wrong kind: the kind comes from the content, never from the name.
 */
class InputDetectionTest {
    /** The message every text kind not recognised gets (the file name and line 1 are in front of it). */
    private static final String NONE_OF_THEM = "expected a UMDH snapshot log ('// UMDH: version' header, heap"
            + " sections, 'N bytes + O at A by BackTraceID' records), a UMDH compare output ('+ N ( NEW - OLD) ..."
            + " BackTraceID') or a DebugView log with resmon output ('[pid] name.exe|resmon| ...'), found ";

    @TempDir
    Path tmp;

    static Path testdata(String relative) {
        return Path.of("..", "testdata").resolve(relative);
    }

    @ParameterizedTest
    @CsvSource({
        "minidump/sample.dmp, MINIDUMP",
        "resmontable/sample.rmt, TABLE_IMAGE",
        "resmontable/sample-aslr.rmt, TABLE_IMAGE",
        "umdh/leaky_1.log, UMDH_SNAPSHOT",
        "umdh/leaky_2.log, UMDH_SNAPSHOT",
        "umdh/leaky_3_restarted_crlf.log, UMDH_SNAPSHOT",
        "umdh/hogs_only_no_final_newline.log, UMDH_SNAPSHOT",
        "umdh/win10_x64_crlf.log, UMDH_SNAPSHOT",
        "umdh/wow64_aliases_1.log, UMDH_SNAPSHOT",
        "umdh/wow64_aliases_2.log, UMDH_SNAPSHOT",
        "umdh/xp_summary.log, UMDH_SNAPSHOT",
        "umdh/compare_decimal.txt, UMDH_COMPARE",
        "umdh/compare_hex.txt, UMDH_COMPARE",
        "umdh/compare_xp_old_total.txt, UMDH_COMPARE",
        "dbgview/clock_kernel_trailing_tab.log, RESMON_LOG",
        "dbgview/plain_capture.log, RESMON_LOG",
        "dbgview/resmon_cpp_stacks.log, RESMON_LOG",
        "dbgview/resmon_debugviewpp_export.log, RESMON_LOG",
        "dbgview/resmon_kernel_and_x86_clock.log, RESMON_LOG",
        "dbgview/resmon_soak_flat.log, RESMON_LOG",
        "dbgview/resmon_soak_leaking.log, RESMON_LOG",
        "dbgview/resmon_tracker_module_ids.log, RESMON_LOG",
        "dbgview/resmon_truncated_plain.log, RESMON_LOG",
        "dbgview/resmon_user_x64_exit_report.log, RESMON_LOG",
        "dbgview/resmon_x64_blocks_over_4gib.log, RESMON_LOG",
    })
    void testdataFilesAreDetectedAndOpenedAsTheirKind(String file, InputKind expected) throws IOException {
        assertOpensAs(testdata(file), expected);
    }

    @ParameterizedTest
    @CsvSource({
        "breakpad/minidump2.dmp, MINIDUMP",
        "breakpad/ascii_read_av.dmp, MINIDUMP",
        "breakpad/linux_null_dereference.dmp, MINIDUMP",
        "breakpad/linux_raise_sigabrt.dmp, MINIDUMP",
        "linux/electron_linux.dmp, MINIDUMP",
        "windows/r2_calc_win7_x64.dmp, MINIDUMP",
        "windows/electron_windows.dmp, MINIDUMP",
        "windows/gallipoli_ue_win10_22h2_x64_threadnames_avx.dmp, MINIDUMP",
        "windows/bo4server_win10_1607_x64_handles_meminfo.dmp, MINIDUMP",
        "stackwalk/sentry_crash_linux.dmp, MINIDUMP",
        "umdh/pyumdh_snapshot_v1_win7wow64.log, UMDH_SNAPSHOT",
        "dbgview/resmon_original_usermode_test_wine.log, RESMON_LOG",
    })
    void corpusFilesAreDetectedAndOpenedAsTheirKind(String file, InputKind expected) throws IOException {
        assertOpensAs(Required.corpusFile(file), expected);
    }

    /** A damaged minidump is still a minidump: detection says so, opening records the damage or refuses. */
    @Test
    void aMalformedCorpusDumpIsDetectedAsAMinidump() throws IOException {
        assertEquals(InputKind.MINIDUMP,
                Inputs.detect(Required.corpusFile("malformed/invalid-range.dmp"), InputOptions.defaults()));
    }

    /**
     * A DebugView capture is recognised by its framing ({@code [\\COMPUTER]}, sequence and time columns) even
     * without resmon lines: it opens as a log with no runs, and picking a run is where it is refused.
     */
    @Test
    void aDebugViewLogWithoutResmonOutputOpensWithNoRuns() throws IOException {
        Path p = Required.corpusFile("dbgview/lithium_dbgview_cp1251.log");
        try (Input in = Inputs.open(p, InputOptions.defaults())) {
            Input.DebugViewLog log = assertInstanceOf(Input.DebugViewLog.class, in);
            assertEquals(0, log.log().runs().size());
            assertEquals(0, log.log().resmonLines());
            assertEquals("FELIX-GATEWAY", log.log().computer());
        }
    }

    @Test
    void anEmptyFileIsRefusedAsEmpty() throws IOException {
        Path p = Files.write(tmp.resolve("empty.dmp"), new byte[0]);
        InputFormatException e = assertThrows(InputFormatException.class, () -> Inputs.open(p, InputOptions.defaults()));
        assertEquals(p + ": line 1: " + NONE_OF_THEM + "an empty file", e.getMessage());
    }

    @Test
    void randomBytesAreRefused() throws IOException {
        byte[] noise = new byte[4096];
        new Random(14).nextBytes(noise);
        Path p = Files.write(tmp.resolve("noise.bin"), noise);
        InputFormatException e = assertThrows(InputFormatException.class, () -> Inputs.open(p, InputOptions.defaults()));
        assertEquals(p + ": line 1: " + NONE_OF_THEM + "none of them in its first lines", e.getMessage());
    }

    /** A PE file ("MZ") named like a dump is not taken for one: the name is never consulted. */
    @Test
    void aPeFileNamedLikeADumpIsRefused() throws IOException {
        Path pe = Required.corpusFile("pdb/moz_basic32-min.dll");
        Path p = Files.copy(pe, tmp.resolve("crash.dmp"));
        InputFormatException e = assertThrows(InputFormatException.class, () -> Inputs.open(p, InputOptions.defaults()));
        assertEquals(p + ": line 1: " + NONE_OF_THEM + "none of them in its first lines", e.getMessage());
    }

    @Test
    void aTextFileIsRefused() throws IOException {
        Path p = Files.writeString(tmp.resolve("notes.log"), "Build 4711 started\nall tests passed\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> Inputs.open(p, InputOptions.defaults()));
        assertEquals(p + ": line 1: " + NONE_OF_THEM + "none of them in its first lines", e.getMessage());
    }

    @Test
    void aMissingFileOrADirectoryIsAFileSystemError() {
        Path missing = tmp.resolve("gone.dmp");
        assertEquals(missing.toString(), assertThrows(NoSuchFileException.class,
                () -> Inputs.open(missing, InputOptions.defaults())).getFile());
        FileSystemException dir = assertThrows(FileSystemException.class,
                () -> Inputs.open(tmp, InputOptions.defaults()));
        assertEquals(tmp + ": expected a file, found a directory", dir.getMessage());
    }

    private static void assertOpensAs(Path p, InputKind expected) throws IOException {
        assertEquals(expected, Inputs.detect(p, InputOptions.defaults()), p.toString());
        try (Input in = Inputs.open(p, InputOptions.defaults())) {
            assertEquals(expected, in.kind());
            assertEquals(p, in.path());
            Class<? extends Input> type = switch (expected) {
                case MINIDUMP -> Input.DumpFile.class;
                case TABLE_IMAGE -> Input.TableImageFile.class;
                case UMDH_SNAPSHOT -> Input.UmdhSnapshotFile.class;
                case UMDH_COMPARE -> Input.UmdhCompareFile.class;
                case RESMON_LOG -> Input.DebugViewLog.class;
            };
            assertInstanceOf(type, in);
        }
    }
}
