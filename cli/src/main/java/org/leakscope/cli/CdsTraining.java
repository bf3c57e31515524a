package org.leakscope.cli;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Run once per build by {@code bin/.leakscope-train} while the JVM records the launcher's start-up cache (an
 * ahead-of-time cache on JDK 25+, a class-data-sharing archive before): runs the text and the JSON paths in
 * one JVM so the cache covers both. Not a user command.
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
