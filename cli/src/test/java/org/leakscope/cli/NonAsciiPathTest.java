package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.testing.Required;

/**
 * A non-ASCII file name under LC_ALL=C (cron, containers): the launchers switch to a UTF-8 locale so it just
 * works, and Main run without them says what to do (exit 2), never "internal error". The name is made by the
 * shell (printf), so the test does not depend on the locale of the JVM running it.
 */
class NonAsciiPathTest {
    private static final Path SAMPLE = CliRun.testdata("minidump/sample.dmp").toAbsolutePath();
    /** sämple.dmp, as printf writes it in UTF-8. */
    private static final String NAME = "s\\303\\244mple.dmp";

    @TempDir
    Path tmp;

    /** {@code sh -c} copying the sample to DIR/sämple.dmp, then running COMMAND... with that path last. */
    private ProcessBuilder withNonAsciiCopy(List<String> command) {
        List<String> sh = new ArrayList<>(List.of("sh", "-c",
                "f=\"$1/$(printf '" + NAME + "')\"; cp \"$2\" \"$f\"; shift 2; exec \"$@\" \"$f\"", "sh",
                tmp.toString(), SAMPLE.toString()));
        sh.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(sh);
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA");
        return pb;
    }

    @Test
    void theLauncherPicksAUtf8Locale() throws Exception {
        Required.that(File.separatorChar == '/', "a POSIX shell (the sh launchers)");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String f : List.of(".leakscope-run", ".leakscope-java", "dumpscan")) {
            Files.copy(Path.of("..", "bin", f), bin.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        classPathJar(bin.resolve("leakscope.jar"));
        MainProcess p = MainProcess.run(withNonAsciiCopy(List.of(bin.resolve("dumpscan").toString())));
        assertEquals(0, p.exit(), p.err());
        assertTrue(p.out().startsWith("Dump       " + tmp.resolve("s\u00e4mple.dmp") + " (9,013 bytes)"), p.out());
    }

    @Test
    void withoutTheLauncherMainSaysWhatToDo() throws Exception {
        Required.that(File.separatorChar == '/', "a POSIX shell");
        for (String verb : List.of("dumpscan", "logscan")) {
            MainProcess p = MainProcess.run(withNonAsciiCopy(MainProcess.command(verb)));
            assertEquals(2, p.exit(), p.err());
            assertTrue(p.err().startsWith(verb + ": error: cannot use the file name '" + tmp + "/s"), p.err());
            assertTrue(p.err().contains("run under a UTF-8 locale, e.g. LC_ALL=C.UTF-8"), p.err());
            assertFalse(p.err().contains("internal error"), p.err());
        }
    }

    /** Any name Java refuses as a path (here one with a NUL) is bad input, in every tool. */
    @Test
    void aNameThatIsNoPathIsBadInput() {
        String name = "bad\u0000name.dmp";
        for (String[] args : List.of(new String[] {"dumpscan", name}, new String[] {"logscan", name},
                new String[] {"leakdiff", name, name}, new String[] {"dumpscan", "-o", name, SAMPLE.toString()})) {
            CliRun r = CliRun.of(args);
            assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
            assertEquals(args[0] + ": error: cannot use the file name 'bad\\x00name.dmp': Nul character not allowed\n",
                    r.err());
        }
    }

    /** A jar holding only a manifest whose Class-Path is this test's classpath: the launcher runs it as the real one. */
    private static void classPathJar(Path jar) throws IOException {
        StringBuilder cp = new StringBuilder();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.append(Path.of(e).toAbsolutePath().toUri()).append(' ');
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, cp.toString().strip());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }
}
