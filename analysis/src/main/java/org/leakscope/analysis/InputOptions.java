package org.leakscope.analysis;

import org.leakscope.model.Limits;
import org.leakscope.resmon.ResmonLogOptions;
import org.leakscope.umdh.UmdhOptions;

/**
 * How inputs are read: the limits, the UMDH reader's options (strictness, ANSI charset, progress) and the
 * resmon log reader's (DebugView framing, run filter). Passed in, never global.
 */
public record InputOptions(UmdhOptions umdh, ResmonLogOptions log) {
    /** The readers' defaults ({@link Limits#DEFAULT}). */
    public static InputOptions defaults() {
        return new InputOptions(UmdhOptions.defaults(), ResmonLogOptions.defaults());
    }

    /** The limits every reader applies. */
    public Limits limits() {
        return umdh.limits();
    }
}
