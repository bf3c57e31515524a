package org.leakscope.stackwalk;

/** How the walker found a frame, from most to least trusted; {@link #word()} is what JSON and text print. */
public enum FoundBy {
    /** The thread's registers (or the exception's, for the crashing thread): frame 0. */
    CONTEXT("context"),
    /** Call frame information: Breakpad STACK CFI, or an x86 STACK WIN program. */
    CFI("cfi"),
    /** Call frame information whose return address was not in a module, so the stack was scanned above it. */
    CFI_SCAN("cfi_scan"),
    /** The caller's frame pointer saved where the callee's points. */
    FRAME_POINTER("frame_pointer"),
    /** A leaf function that has not set up a frame: the return address is the word at the stack pointer. */
    LEAF("leaf"),
    /** A word on the stack that points into a module's code: a guess. */
    SCAN("scan");

    private final String word;

    FoundBy(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** True for the guesses: frames found by scanning the stack. */
    public boolean scanned() {
        return this == SCAN || this == CFI_SCAN;
    }
}
