package org.leakscope.symbols.pdb;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The names DIA gives C functions. A global procedure a public symbol (S_PUB32) names with a C decoration is a C
 * function, and DIA names it by undecorating that public: one leading {@code _} or {@code @} and a stdcall or
 * fastcall {@code @N} suffix go, on x86 and x64 alike. So {@code free} (public {@code _free}) stays {@code free},
 * x64's {@code _getptd} (public {@code _getptd}) becomes {@code getptd}, {@code __SEH_prolog4} becomes
 * {@code _SEH_prolog4}, {@code @_EH4_CallFilterFunc@8} becomes {@code _EH4_CallFilterFunc}
 * (bp_dump_syms_regtest*.sym). A procedure without such a public is not a C function ({@link #apply} gives
 * null): DIA names it from its type. When the public records are missing or damaged that cannot be told, and a
 * procedure not among those read keeps its plain name (a C function must not gain argument types).
 *
 * <p>Publics are matched by name, the underscored form first: on x86 {@code _exit}'s public is {@code __exit}
 * while {@code _exit} is the public of {@code exit}. The table is built on first use by one pass over the DBI's
 * symbol record stream, keeping only publics that are not C++-decorated; a damaged record ends the pass (what was
 * read is kept, the rest is unknown).
 */
final class CFunctionNames implements UnaryOperator<String> {
    static final int S_PUB32 = 0x110e;
    /** The longest public name read; MSVC hashes longer decorated names down to about 4 KB. */
    static final int MAX_NAME = 65536;

    private final MsfStream records;
    /** Each C public, by itself and by its name without a stdcall/fastcall suffix. */
    private Map<String, String> publics;
    /** Whether every public was read: only then does a procedure missing from {@link #publics} name C++. */
    private boolean complete;

    /** @param records the symbol record stream (DBI header field SymRecordStream), or null when there is none */
    CFunctionNames(MsfStream records) {
        this.records = records;
    }

    /**
     * The name DIA gives procedure {@code procedure} if it is a C function (or may be one: the publics are
     * damaged), else null.
     */
    @Override
    public synchronized String apply(String procedure) {
        if (publics == null) {
            publics = scan();
        }
        String p = publics.get("_" + procedure);
        if (p == null) {
            p = publics.get(procedure);
        }
        if (p == null) {
            p = publics.get("@" + procedure);
        }
        if (p == null) {
            return complete ? null : procedure;
        }
        return undecorate(p);
    }

    /** {@code _Sleep@4} → {@code Sleep}, {@code @Fast@8} → {@code Fast}, {@code _free} → {@code free}. */
    static String undecorate(String cPublic) {
        String n = withoutSuffix(cPublic);
        return n.length() > 1 && (n.charAt(0) == '_' || n.charAt(0) == '@') ? n.substring(1) : n;
    }

    private static String withoutSuffix(String p) {
        int at = p.lastIndexOf('@');
        if (at > 0 && at < p.length() - 1 && (p.charAt(0) == '_' || p.charAt(0) == '@')
                && p.substring(at + 1).chars().allMatch(Character::isDigit)) {
            return p.substring(0, at);
        }
        return p;
    }

    private Map<String, String> scan() {
        Map<String, String> out = new HashMap<>();
        if (records == null) {
            return out;
        }
        boolean damaged = false;
        try {
            long at = 0;
            long size = records.size();
            while (at + 4 <= size) {
                int len = records.u16(at);
                if (len < 2 || at + 2 + len > size) {
                    damaged = true;
                    break;
                }
                if (records.u16(at + 2) == S_PUB32 && len >= 2 + 10) {
                    // flags u32, offset u32, segment u16, then the name
                    String name = records.cursor(at + 4 + 10, at + 2 + len).cstring(MAX_NAME);
                    if (!name.isEmpty() && name.charAt(0) != '?') {
                        out.put(name, name);
                        out.putIfAbsent(withoutSuffix(name), name);
                    }
                }
                at += 2 + len;
            }
            complete = !damaged;
        } catch (org.leakscope.model.InputFormatException e) {
            // a damaged record: keep the names before it
        }
        return out;
    }
}
