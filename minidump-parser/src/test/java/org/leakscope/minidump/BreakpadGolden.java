package org.leakscope.minidump;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Breakpad's {@code minidump_dump} golden output into sections: a line starting in column 0 opens a
 * section ("MDRawModule", "mDirectory[3]"), indented {@code key = value} lines fill it. Values keep their
 * text; {@link #number} reads the leading hex or decimal token.
 */
final class BreakpadGolden {
    record Section(String title, Map<String, String> values) {
        String get(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new AssertionError("golden section " + title + " has no key " + key + ": " + values.keySet());
            }
            return v;
        }

        long number(String key) {
            return BreakpadGolden.number(get(key));
        }
    }

    private final List<Section> sections = new ArrayList<>();

    BreakpadGolden(Path file) throws IOException {
        Section current = null;
        for (String line : Files.readAllLines(file)) {
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith(" ")) {
                current = new Section(line.trim(), new LinkedHashMap<>());
                sections.add(current);
                continue;
            }
            int eq = line.indexOf(" = ");
            if (current != null && eq > 0) {
                current.values().put(line.substring(0, eq).trim(), line.substring(eq + 3).trim());
            }
        }
    }

    List<Section> all(String title) {
        return sections.stream().filter(s -> s.title().equals(title)).toList();
    }

    /** The leading token as an unsigned number: {@code 0x45d35f73 2007-...} → 0x45d35f73, {@code 24} → 24. */
    static long number(String value) {
        String token = value.split("[ :]")[0];
        return token.startsWith("0x") ? Long.parseUnsignedLong(token.substring(2), 16) : Long.parseLong(token);
    }

    /** {@code "c:\test_app.exe"} → {@code c:\test_app.exe}. */
    static String string(String value) {
        return value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
