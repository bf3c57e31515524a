package org.leakscope.symbols;

import java.util.HexFormat;
import java.util.Locale;
import org.leakscope.model.DebugIds;
import org.leakscope.model.Module;

/**
 * Decides whether a symbol or program file is the build a module was loaded from, so that names never come
 * from another build that happens to share the module's name (a system library updated since the crash, a
 * store root holding last week's DLL). In order, the first rule both sides can answer decides:
 * <ol>
 * <li>debug ids (ELF: the GNU build id folded as Breakpad does, and the whole build id when both sides have
 * it; PE: the CodeView GUID and age; {@code .sym}: the MODULE line's id);</li>
 * <li>code ids (PE: TimeDateStamp and SizeOfImage; {@code .sym}: INFO CODE_ID);</li>
 * <li>the loaded size (PE: SizeOfImage; ELF: the span of the PT_LOAD segments; {@code .sym}: the SizeOfImage
 * in a PE code id), which is all that logs and UMDH snapshots record.</li>
 * </ol>
 * When none can be answered, or the one that decides differs, the file is not used.
 */
final class ModuleMatch {
    private ModuleMatch() {
    }

    /** Null when {@code file} may name the module's functions; otherwise the warning saying why not. */
    static String refusal(String file, BuildIdentity f, Module m) {
        String why = mismatch(f, m);
        return why == null ? null : "ignoring " + file + ": " + why;
    }

    private static String mismatch(BuildIdentity f, Module m) {
        String module = "the loaded module " + m.name();
        String moduleBuildId = buildId(m);
        if (f.debugId() != null && m.debugId() != null) {
            boolean same = f.debugId().equalsIgnoreCase(m.debugId());
            if (same && f.buildId() != null && moduleBuildId != null
                    && f.buildId().length() == moduleBuildId.length()) {
                same = f.buildId().equalsIgnoreCase(moduleBuildId); // beyond the 16 bytes a debug id holds
            }
            if (same) {
                return null;
            }
            if (f.buildId() != null && moduleBuildId != null) {
                return "its build id " + f.buildId() + " differs from " + module + " (build id " + moduleBuildId + ")";
            }
            String ours = f.buildId() != null ? "build id " + f.buildId() + " (debug id " + f.debugId() + ")"
                    : "debug id " + f.debugId();
            String theirs = moduleBuildId != null ? "build id " + moduleBuildId + ", debug id " + m.debugId()
                    : "debug id " + m.debugId();
            return "its " + ours + " differs from " + module + " (" + theirs + ")";
        }
        if (f.codeId() != null && m.codeId() != null) {
            return f.codeId().equalsIgnoreCase(m.codeId()) ? null
                    : "its code id " + f.codeId() + " differs from " + module + " (code id " + m.codeId() + ")";
        }
        String ids = m.debugId() != null ? "debug id " + m.debugId() + ", but the file has none"
                : m.codeId() != null ? "code id " + m.codeId() + ", but the file has none"
                : "the input records no id for it";
        if (m.size() != 0 && !f.loadedSizes().isEmpty()) {
            return f.loadedSizes().contains(m.size()) ? null
                    : "its " + f.sizeName() + " " + f.loadedSizes().get(0) + " differs from " + module + " ("
                            + m.size() + " bytes; " + ids + ")";
        }
        return "nothing tells whether it is the build of " + module + " (" + ids
                + (m.size() == 0 ? "; nor its size)" : "; the file has no size to compare)");
    }

    /** The module's whole ELF build id when its code id is one (a Breakpad or lldb dump's BpEL record), or null. */
    private static String buildId(Module m) {
        String code = m.codeId();
        if (code == null || m.debugId() == null || code.length() % 2 != 0 || code.length() < 2) {
            return null;
        }
        try {
            byte[] bytes = HexFormat.of().parseHex(code);
            return DebugIds.elf(bytes).equalsIgnoreCase(m.debugId()) ? code.toLowerCase(Locale.ROOT) : null;
        } catch (IllegalArgumentException e) {
            return null; // a PE code id of odd shape, or damage
        }
    }
}
