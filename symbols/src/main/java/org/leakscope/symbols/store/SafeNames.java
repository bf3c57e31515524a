package org.leakscope.symbols.store;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the names and ids a store lookup is built from. They come from dumps and logs, which anyone can write:
 * a debug file {@code ..\..\x.pdb}, {@code C:\build\x.pdb}, {@code \\host\share\x.pdb} or {@code x.pdb\0.txt}
 * must never make a lookup, a download or a cache write leave its folder. A recorded name is reduced to its
 * last component (dumps record full build paths, {@code c:\src\out\app.pdb}, and stores file by the bare name,
 * as Breakpad and symsrv do), and that component must be one a folder can hold on every system.
 */
public final class SafeNames {
    /** Longer than any real file name component (NTFS and ext4 stop at 255). */
    private static final int MAX_NAME = 255;
    private static final Pattern DEBUG_ID = Pattern.compile("[0-9A-Fa-f]{9,40}");
    private static final Pattern CODE_ID = Pattern.compile("[0-9A-Fa-f]{1,128}");
    /** Windows device names, which open the device whatever the extension ({@code nul.pdb}, {@code COM1.sym}). */
    private static final Set<String> RESERVED = Set.of("con", "prn", "aux", "nul", "conin$", "conout$",
            "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    private SafeNames() {
    }

    /**
     * The file name a store files {@code recorded} under (the part after the last slash or backslash), or null
     * when that part could name something other than a file in the folder: empty, {@code .} or {@code ..}, a
     * drive ({@code C:}), a NUL or other control character, a Windows device name, a trailing dot or space
     * (which Windows drops), or longer than 255 characters.
     */
    public static String fileName(String recorded) {
        if (recorded == null) {
            return null;
        }
        String name = recorded.substring(Math.max(recorded.lastIndexOf('/'), recorded.lastIndexOf('\\')) + 1);
        if (name.isEmpty() || name.length() > MAX_NAME || name.equals(".") || name.equals("..")
                || name.endsWith(".") || name.endsWith(" ")) {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>'
                    || c == '|') {
                return null;
            }
        }
        String stem = name.toLowerCase(Locale.ROOT);
        int dot = stem.indexOf('.');
        if (RESERVED.contains(dot < 0 ? stem : stem.substring(0, dot))) {
            return null;
        }
        return name;
    }

    /**
     * The debug id in the upper case stores file it under, or null unless it is 9 to 40 hex digits (a GUID and
     * age is 33 to 40, NB10's signature and age from 9).
     */
    public static String debugId(String id) {
        return id != null && DEBUG_ID.matcher(id).matches() ? id.toUpperCase(Locale.ROOT) : null;
    }

    /**
     * The code id as given (symstore spells it {@code %08X%x}: the case matters to case-sensitive servers), or
     * null unless it is 1 to 128 hex digits.
     */
    public static String codeId(String id) {
        return id != null && CODE_ID.matcher(id).matches() ? id : null;
    }
}
