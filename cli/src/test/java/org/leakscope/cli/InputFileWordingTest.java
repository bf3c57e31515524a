package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.leakscope.testing.Required;

/** One problem, one wording, in all three tools: each message is the whole of stderr, exit status 2. */
class InputFileWordingTest {
    @TempDir
    Path tmp;

    /** The tool reading {@code input} (leakdiff compares it with a good snapshot). */
    private static CliRun read(String verb, Path input, String... options) {
        String[] args = verb.equals("leakdiff")
                ? new String[] {verb, input.toString(), CliRun.testdata("umdh/leaky_2.log").toString()}
                : new String[] {verb, input.toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + options.length);
        System.arraycopy(options, 0, all, args.length, options.length);
        return CliRun.of(all);
    }

    private static void assertOneError(CliRun r, String expected) {
        assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
        assertEquals(expected + "\n", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dumpscan", "leakdiff", "logscan"})
    void aDirectory(String verb) {
        assertOneError(read(verb, tmp), verb + ": error: " + tmp + ": expected a file, found a directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dumpscan", "leakdiff", "logscan"})
    void noSuchFile(String verb) {
        Path p = tmp.resolve("absent.log");
        assertOneError(read(verb, p), verb + ": error: " + p + ": no such file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dumpscan", "leakdiff", "logscan"})
    void permissionDenied(String verb) throws Exception {
        Path p = unreadable();
        assertOneError(read(verb, p), verb + ": error: " + p + ": permission denied");
    }

    /** A directory that may not be searched hides its files: that is permission denied too, not "no such file". */
    @ParameterizedTest
    @ValueSource(strings = {"dumpscan", "leakdiff", "logscan"})
    void permissionDeniedOnTheWay(String verb) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("locked"));
        Path p = Files.writeString(dir.resolve("x.log"), "x");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("---------"));
        try {
            // root searches any directory: nothing to test then (the plain-file case above covers root too)
            Assumptions.assumeFalse(canOpen(p), "running as root: every directory can be searched; skipping");
            assertOneError(read(verb, p), verb + ": error: " + p + ": permission denied");
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"leakdiff", "logscan"})
    void unknownEncoding(String verb) {
        CliRun r = read(verb, CliRun.testdata("umdh/leaky_1.log"), "--encoding", "klingon");
        assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
        assertEquals(verb + ": --encoding klingon: unknown encoding (known: code pages such as windows-1252,"
                + " windows-1251, windows-1250, GBK, Big5, Shift_JIS, EUC-KR, ISO-8859-1, UTF-8; any name Java"
                + " supports)\nTry '" + verb + " --help'.\n", r.err());
        assertFalse(r.err().contains(verb + ": klingon\n"));
    }

    /**
     * A file this user cannot read: a mode-000 file, or, for root (who reads those), a write-only file of
     * /proc/sys that the kernel refuses even to root.
     */
    private Path unreadable() throws Exception {
        Path p = Files.writeString(tmp.resolve("secret.log"), "x");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        if (!canOpen(p)) {
            return p;
        }
        Path proc = Path.of("/proc/sys/vm/drop_caches");
        Required.that(Files.exists(proc) && !canOpen(proc), "a file this user cannot read");
        return proc;
    }

    private static boolean canOpen(Path p) {
        try {
            Files.newInputStream(p).close();
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
