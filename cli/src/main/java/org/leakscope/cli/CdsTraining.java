package org.leakscope.cli;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Run once by {@code mvn package} under {@code -XX:ArchiveClassesAtExit}: loads the classes of the text and
 * the JSON paths in one JVM so the launcher's class-data-sharing archive covers both. Not a user command.
 */
final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        for (String dump : args) {
            Main.run(new String[] {"dumpscan", dump}, sink, sink);
            Main.run(new String[] {"dumpscan", "--json", dump}, sink, sink);
        }
    }
}
