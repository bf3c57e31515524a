package org.leakscope.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.leakscope.model.Frame;

/**
 * Which frames at the top of a stack belong to the allocator, so stacks that differ only inside it (the heap's
 * fast and slow paths, debug and release CRTs, malloc vs operator new) merge into one call site.
 *
 * <p>A pattern is a glob ({@code *} = any run of characters, case-insensitive) matched against the function
 * name, or against {@code module!function} when it contains {@code !}. A frame without a symbol folds when its
 * module matches one of the allocator-module globs (UMDH snapshots store raw addresses: every stack starts in
 * ntdll's heap code). At least one frame is always kept.
 */
public final class AllocatorFolding {
    /** The default function globs: Windows heap, CRT and C++ allocators, glibc. */
    public static final List<String> DEFAULT_FUNCTIONS = List.of(
            "Rtl*Heap*", "RtlpCallInterceptRoutine", "HeapAlloc", "HeapReAlloc", "LocalAlloc", "LocalReAlloc",
            "GlobalAlloc", "GlobalReAlloc",
            "malloc", "calloc", "realloc", "_malloc_base", "_calloc_base", "_realloc_base", "_malloc_dbg",
            "_calloc_dbg", "_realloc_dbg", "_malloc_crt", "_calloc_crt", "_recalloc", "_expand",
            "_heap_alloc*", "_nh_malloc*", "heap_alloc_dbg*", "_calloc_impl", "_aligned_malloc*",
            "operator new*", "std::_Allocate*", "std::allocator<*>::allocate",
            "__libc_malloc", "__libc_calloc", "__libc_realloc", "__GI___libc_malloc", "tc_malloc", "je_malloc");
    /** The default module globs for frames without symbols. */
    public static final List<String> DEFAULT_MODULES = List.of(
            "ntdll", "ntdll.dll", "ucrtbase*", "msvcr*", "msvcrt*", "libc.so*", "libc-*");

    private static final AllocatorFolding NONE = new AllocatorFolding(List.of(), List.of());

    private final List<String> functions;
    private final List<String> modules;

    public AllocatorFolding(List<String> functionGlobs, List<String> moduleGlobs) {
        this.functions = lower(functionGlobs);
        this.modules = lower(moduleGlobs);
    }

    public static AllocatorFolding defaults() {
        return new AllocatorFolding(DEFAULT_FUNCTIONS, DEFAULT_MODULES);
    }

    public static AllocatorFolding none() {
        return NONE;
    }

    /** The defaults plus extra function globs. */
    public AllocatorFolding plus(List<String> moreFunctions) {
        List<String> f = new ArrayList<>(functions);
        f.addAll(lower(moreFunctions));
        return new AllocatorFolding(f, modules);
    }

    public boolean isEmpty() {
        return functions.isEmpty() && modules.isEmpty();
    }

    /** How many frames at the top of the stack are allocator frames (never all of them). */
    public int foldedCount(List<Frame> frames) {
        if (isEmpty()) {
            return 0;
        }
        int n = 0;
        while (n < frames.size() - 1 && isAllocator(frames.get(n))) {
            n++;
        }
        return n;
    }

    public boolean isAllocator(Frame f) {
        if (f.function() != null) {
            String fn = f.function().toLowerCase(Locale.ROOT);
            String qualified = f.module() == null ? fn : f.module().toLowerCase(Locale.ROOT) + "!" + fn;
            for (String g : functions) {
                if (glob(g, g.indexOf('!') >= 0 ? qualified : fn)) {
                    return true;
                }
            }
            return false;
        }
        return f.module() != null && isAllocatorModule(f.module());
    }

    /** Whether a frame in this module without a function name is an allocator frame. */
    public boolean isAllocatorModule(String module) {
        String m = module.toLowerCase(Locale.ROOT);
        for (String g : modules) {
            if (glob(g, m)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> lower(List<String> l) {
        List<String> out = new ArrayList<>(l.size());
        for (String s : l) {
            out.add(s.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }

    /** Glob with '*' only; iterative with backtracking to the last star. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
