package org.leakscope.diff;

/** How two snapshots' stacks are matched. */
public enum KeyKind {
    /** The producer's trace id (UMDH's BackTraceID): exact, but only inside one process lifetime. */
    TRACE_ID("trace-id"),
    /**
     * module!function of every frame (module+offset where a frame has no symbol), after folding allocator frames
     * off the top: matches across runs, machines, ASLR layouts and builds that moved code inside a function.
     */
    FRAMES("frames"),
    /** module+offset of every frame after folding: no symbols needed, survives ASLR, not a rebuild. */
    MODULE_OFFSET("module-offset");

    private final String cliName;

    KeyKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static KeyKind parse(String s) {
        for (KeyKind k : values()) {
            if (k.cliName.equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown key '" + s + "' (known: trace-id, frames, module-offset)");
    }
}
