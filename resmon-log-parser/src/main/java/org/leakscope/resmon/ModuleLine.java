package org.leakscope.resmon;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.leakscope.model.DebugIds;
import org.leakscope.model.Module;

/**
 * A tracker's module line, {@code module 0xBASE size BYTES [FIELDS] PATH} (docs/formats/resmon.md §9): where a
 * module was loaded and, since the trackers print them, which build it was, in the spelling a minidump's module
 * list gives, so symbol files are matched by id and not only by size. Fields are {@code NAME VALUE} pairs
 * without spaces before the path, which may hold spaces ({@code C:\Program Files\...}):
 * <ul>
 * <li>{@code buildid HEX} (libresmon.so): the whole GNU build id; debug id = Breakpad's fold of it, code id = it,
 * debug file = the path's file name;</li>
 * <li>{@code debugid ID} and {@code pdb NAME} (resmon.dll): the CodeView GUID and age, the PDB's file name
 * with {@code %XX} escapes;</li>
 * <li>{@code timestamp 0xSTAMP} (resmon.dll): with the size, the PE code id.</li>
 * </ul>
 * A line without fields (logs written before them) names a module by path and size only.
 */
final class ModuleLine {
    static final String SHAPE = "module 0xBASE size BYTES [buildid HEX | debugid ID [pdb NAME] | timestamp 0xSTAMP]"
            + " PATH";
    static final byte[] MODULE = LineCursor.ascii("module 0x");
    private static final byte[] SIZE = LineCursor.ascii(" size ");
    private static final byte[] BUILD_ID = LineCursor.ascii("buildid ");
    private static final byte[] DEBUG_ID = LineCursor.ascii("debugid ");
    private static final byte[] PDB = LineCursor.ascii("pdb ");
    private static final byte[] TIMESTAMP = LineCursor.ascii("timestamp ");
    /** 64 bytes: the longest build id the tracker prints (it leaves longer ones out). */
    private static final int MAX_BUILD_ID_DIGITS = 128;
    /** A GUID (32 digits) and an age of up to 8 digits. */
    private static final int MIN_DEBUG_ID_DIGITS = 33;
    private static final int MAX_DEBUG_ID_DIGITS = 40;

    private ModuleLine() {
    }

    /** The module the line names, or null when it is not of this shape; the cursor is at {@code module 0x}. */
    static Module parse(LineCursor c) {
        if (!(c.lit(MODULE) && c.hex())) {
            return null;
        }
        long base = c.value;
        if (!(c.lit(SIZE) && c.dec() && c.peek() == ' ')) {
            return null;
        }
        long size = c.value;
        c.spaces();
        String buildId = null;
        String debugId = null;
        String pdb = null;
        Long stamp = null;
        // a field name never begins a path: out of place (pdb without debugid, twice) it makes the line damaged
        while (true) {
            if (c.lit(BUILD_ID)) {
                buildId = buildId == null && debugId == null ? word(c) : null;
                if (buildId == null || buildId.length() % 2 != 0 || buildId.length() > MAX_BUILD_ID_DIGITS
                        || !hexDigits(buildId)) {
                    return null;
                }
                buildId = buildId.toLowerCase(Locale.ROOT);
            } else if (c.lit(DEBUG_ID)) {
                debugId = debugId == null && buildId == null ? word(c) : null;
                if (debugId == null || debugId.length() < MIN_DEBUG_ID_DIGITS
                        || debugId.length() > MAX_DEBUG_ID_DIGITS || !hexDigits(debugId)) {
                    return null;
                }
                debugId = debugId.toUpperCase(Locale.ROOT);
            } else if (c.lit(PDB)) {
                String w = debugId != null && pdb == null ? word(c) : null;
                pdb = w == null ? null : unescape(w);
                if (pdb == null) {
                    return null;
                }
            } else if (c.lit(TIMESTAMP)) {
                if (!(stamp == null && c.hex0x() && c.digits <= 8 && c.peek() == ' ')) {
                    return null;
                }
                stamp = c.value;
                c.spaces();
            } else {
                break;
            }
        }
        if (c.atEnd()) {
            return null; // a module line names a path
        }
        String path = new String(c.b, c.pos, c.end - c.pos, StandardCharsets.UTF_8);
        String codeId = stamp == null ? null : DebugIds.peCode(stamp, size);
        if (buildId != null) {
            Module named = new Module(base, size, path, null, null, null);
            return new Module(base, size, path, named.name(), DebugIds.elf(HexFormat.of().parseHex(buildId)), null,
                    buildId);
        }
        return new Module(base, size, path, pdb, debugId, null, codeId);
    }

    /** The value up to the next space (which must come: the path follows), the cursor after the spaces. */
    private static String word(LineCursor c) {
        int start = c.pos;
        while (c.pos < c.end && c.b[c.pos] != ' ') {
            c.pos++;
        }
        if (c.pos == start || c.pos == c.end) {
            return null;
        }
        String w = new String(c.b, start, c.pos - start, StandardCharsets.UTF_8);
        c.spaces();
        return w;
    }

    private static boolean hexDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code my%20app.pdb} is {@code my app.pdb}; null when a {@code %} is not followed by two hex digits. */
    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '%') {
                out.write(b[i]);
                continue;
            }
            int hi = i + 2 < b.length ? Character.digit(b[i + 1], 16) : -1;
            int lo = i + 2 < b.length ? Character.digit(b[i + 2], 16) : -1;
            if (hi < 0 || lo < 0) {
                return null;
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
