package org.leakscope.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.leakscope.minidump.DumpThread;
import org.leakscope.minidump.Minidump;
import org.leakscope.model.Problem;
import org.leakscope.stackwalk.StackWalker;
import org.leakscope.stackwalk.ThreadStack;
import org.leakscope.symbols.SymbolStore;

/**
 * The stack-walk operation: every thread's call stack of an open dump ({@link StackWalker}), the crashing thread
 * first, then the others in the dump's order. Renderers read the {@link ThreadStack} records as they are.
 */
public final class ThreadStacks {
    private ThreadStacks() {
    }

    /**
     * @param symbols   the symbol files to name frames and unwind by, or null for the dump alone
     * @param maxFrames frames per thread at most ({@link StackWalker#DEFAULT_MAX_FRAMES} by default)
     */
    public static List<ThreadStack> of(Minidump dump, SymbolStore symbols, int maxFrames) {
        return of(dump, symbols, maxFrames, false);
    }

    /** As {@link #of(Minidump, SymbolStore, int)}; with {@code crashedOnly}, only the thread the exception names. */
    public static List<ThreadStack> of(Minidump dump, SymbolStore symbols, int maxFrames, boolean crashedOnly) {
        return of(dump, symbols, maxFrames, crashedOnly, p -> { });
    }

    /**
     * As above; {@code problems} gets what the walker could not use (a module file whose unwind data is damaged),
     * each once, for the report's warnings.
     */
    public static List<ThreadStack> of(Minidump dump, SymbolStore symbols, int maxFrames, boolean crashedOnly,
            Consumer<Problem> problems) {
        Long crashed = dump.exception().map(e -> e.threadId()).orElse(null);
        try (StackWalker walker = new StackWalker(dump, symbols, maxFrames)) {
            List<ThreadStack> stacks = new ArrayList<>();
            for (DumpThread t : dump.threads().orElse(List.of())) {
                if (!crashedOnly || crashed != null && crashed == t.id()) {
                    stacks.add(walker.walk(t));
                }
            }
            // the crashed thread first; stable: the rest keep the dump's order
            stacks.sort((a, b) -> Boolean.compare(!a.crashed(), !b.crashed()));
            walker.problems().forEach(problems);
            return stacks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
