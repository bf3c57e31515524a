package org.leakscope.stackwalk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The threads and frames of Breakpad's {@code minidump_stackwalk} text output (the {@code .stackwalk.out}
 * goldens): each frame's module, function, source file and line, offset, registers and how it was found.
 */
record BreakpadStackText(List<Thread> threads) {
    record Thread(int index, boolean crashed, List<Frame> frames) {
    }

    /**
     * @param module   null for a bare address
     * @param function null without a name
     * @param file     the file name as Breakpad prints it (last path component), or null
     * @param line     or null
     * @param offset   from the function (named frames without a line), the module (no name) or null
     * @param foundBy  Breakpad's words ("call frame info")
     */
    record Frame(int index, String module, String function, String file, Integer line, Long offset,
            Map<String, Long> registers, String foundBy, String text) {
    }

    private static final Pattern THREAD = Pattern.compile("^Thread (\\d+)( \\(crashed\\))?$");
    private static final Pattern FRAME = Pattern.compile("^ ?(\\d+)  (.*)$");
    private static final Pattern WITH_SOURCE = Pattern.compile("^([^!]+)!(.*) \\[(.*) : (\\d+) \\+ 0x([0-9a-f]+)\\]$");
    private static final Pattern WITH_OFFSET = Pattern.compile("^([^!]+)!(.*) \\+ 0x([0-9a-f]+)$");
    private static final Pattern MODULE_OFFSET = Pattern.compile("^(\\S+) \\+ 0x([0-9a-f]+)$");
    private static final Pattern REGISTER = Pattern.compile("(\\w+) = 0x([0-9a-f]+)");

    static BreakpadStackText read(Path p) throws IOException {
        List<Thread> threads = new ArrayList<>();
        List<Frame> frames = null;
        int index = -1;
        String text = null;
        Map<String, Long> registers = null;
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            Matcher t = THREAD.matcher(line);
            if (t.matches()) {
                frames = new ArrayList<>();
                threads.add(new Thread(Integer.parseInt(t.group(1)), t.group(2) != null, frames));
                continue;
            }
            if (frames == null) {
                continue;
            }
            Matcher f = FRAME.matcher(line);
            if (f.matches()) {
                index = Integer.parseInt(f.group(1));
                text = f.group(2);
                registers = new LinkedHashMap<>();
            } else if (line.startsWith("    Found by: ") && text != null) {
                frames.add(frame(index, text, registers, line.substring("    Found by: ".length())));
                text = null;
            } else if (text != null && line.startsWith("    ")) {
                Matcher r = REGISTER.matcher(line);
                while (r.find()) {
                    registers.put(r.group(1), Long.parseUnsignedLong(r.group(2), 16));
                }
            } else if (line.isEmpty() || line.startsWith("Loaded modules")) {
                frames = line.isEmpty() ? frames : null;
            }
        }
        return new BreakpadStackText(threads);
    }

    private static Frame frame(int index, String text, Map<String, Long> registers, String foundBy) {
        Matcher m = WITH_SOURCE.matcher(text);
        if (m.matches()) {
            return new Frame(index, m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4)), null,
                    registers, foundBy, text);
        }
        m = WITH_OFFSET.matcher(text);
        if (m.matches()) {
            return new Frame(index, m.group(1), m.group(2), null, null, Long.parseUnsignedLong(m.group(3), 16),
                    registers, foundBy, text);
        }
        m = MODULE_OFFSET.matcher(text);
        if (m.matches()) {
            return new Frame(index, m.group(1), null, null, null, Long.parseUnsignedLong(m.group(2), 16), registers,
                    foundBy, text);
        }
        if (text.contains("!")) {
            int bang = text.indexOf('!');
            return new Frame(index, text.substring(0, bang), text.substring(bang + 1), null, null, 0L, registers,
                    foundBy, text);
        }
        return new Frame(index, null, null, null, null, null, registers, foundBy, text);
    }
}
