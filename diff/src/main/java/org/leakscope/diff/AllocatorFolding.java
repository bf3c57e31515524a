package org.leakscope.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.leakscope.model.Frame;

/**
 * Which frames at the top of a stack belong to the allocator or the language runtime, so a leak is attributed
 * to the first frame outside them (the code that leaked), and stacks that differ only inside them (the heap's
 * fast and slow paths, debug and release CRTs, malloc vs operator new, the container that grew) merge into one
 * call site. The one list every command uses (logscan, dumpscan's resmon tables, leakdiff); the list and the
 * rules are in docs/attribution.md.
 *
 * <p>A pattern is a glob ({@code *} = any run of characters, case-insensitive) matched against the frame's
 * {@linkplain #matchName function name as the rules see it}: the readable name without its parameter list and,
 * for a demangled template function, its return type ({@code std::vector<int, std::allocator<int> >
 * ::_M_realloc_insert<int const&>}); and against the mangled name the symbol file spells ({@code _Znwm}). A
 * pattern containing {@code !} is matched against {@code module!name}. A frame without a symbol folds when its
 * module matches one of the module globs (UMDH snapshots store raw addresses: every stack starts in ntdll's heap
 * code; a C++ runtime built without symbols). At least one frame is always kept.
 */
public final class AllocatorFolding {
    /** The default function globs: heaps, C runtimes, C++ operators and standard library internals. */
    public static final List<String> DEFAULT_FUNCTIONS = List.of(
            // Windows heap and CRT
            "Rtl*Heap*", "RtlpCallInterceptRoutine", "HeapAlloc", "HeapReAlloc", "LocalAlloc", "LocalReAlloc",
            "GlobalAlloc", "GlobalReAlloc",
            "malloc", "calloc", "realloc", "_malloc_base", "_calloc_base", "_realloc_base", "_malloc_dbg",
            "_calloc_dbg", "_realloc_dbg", "_malloc_crt", "_calloc_crt", "_recalloc", "_expand",
            "_heap_alloc*", "_nh_malloc*", "heap_alloc_dbg*", "_calloc_impl", "_aligned_malloc*",
            // glibc and other C allocators, and C functions that only allocate for their caller
            "__libc_malloc", "__libc_calloc", "__libc_realloc", "__GI___libc_malloc", "tc_malloc", "je_malloc",
            "aligned_alloc", "posix_memalign", "memalign", "valloc", "pvalloc", "__libc_memalign",
            "strdup", "strndup", "__strdup", "_strdup", "wcsdup", "_wcsdup",
            // malloc wrappers
            "xmalloc", "xcalloc", "xrealloc", "xstrdup", "g_malloc*", "g_try_malloc*", "g_realloc*",
            "g_try_realloc*", "g_strdup*", "g_slice_alloc*",
            // C++ operators, readable (every compiler's spelling after demangling) and mangled (Itanium, MSVC)
            "operator new*", "operator delete*", "_Znw*", "_Zna*", "_Zdl*", "_Zda*", "??2@*", "??_U@*",
            // libstdc++: allocators
            "std::__new_allocator<*>::allocate", "__gnu_cxx::new_allocator<*>::allocate",
            "std::allocator<*>::allocate", "std::allocator_traits<*>::allocate",
            "__gnu_cxx::__alloc_traits<*>::allocate",
            // libstdc++: strings (the C++11 ABI's and the old one's)
            "std::__cxx11::basic_string<*>::_M_create", "std::__cxx11::basic_string<*>::_M_construct*",
            "std::__cxx11::basic_string<*>::_M_mutate", "std::__cxx11::basic_string<*>::reserve",
            "std::__cxx11::basic_string<*>::_M_append", "std::__cxx11::basic_string<*>::_M_replace*",
            "std::__cxx11::basic_string<*>::push_back", "std::__cxx11::basic_string<*>::_M_assign",
            "std::__cxx11::basic_string<*>::basic_string*", "std::__cxx11::basic_string<*>::append",
            "std::__cxx11::basic_string<*>::assign", "std::__cxx11::basic_string<*>::operator+=",
            "std::__cxx11::basic_string<*>::operator=", "std::__cxx11::basic_string<*>::resize",
            "std::basic_string<*>::_Rep::_S_create", "std::basic_string<*>::_S_construct*",
            "std::basic_string<*>::_M_mutate", "std::basic_string<*>::reserve", "std::basic_string<*>::append",
            "std::basic_string<*>::push_back", "std::basic_string<*>::basic_string*",
            "std::operator+<*>",
            // libstdc++: vector
            "std::vector<*>::_M_realloc_insert*", "std::vector<*>::_M_realloc_append*",
            "std::vector<*>::_M_default_append", "std::vector<*>::reserve", "std::vector<*>::push_back",
            "std::vector<*>::emplace_back*", "std::vector<*>::_M_allocate*", "std::vector<*>::_M_fill_insert",
            "std::vector<*>::_M_range_insert*", "std::vector<*>::_M_range_initialize*",
            "std::vector<*>::_M_insert_aux*", "std::vector<*>::_M_assign_aux*", "std::vector<*>::vector",
            "std::vector<*>::resize", "std::vector<*>::insert*", "std::vector<*>::operator=",
            "std::_Vector_base<*>::*",
            // libstdc++: trees, hash tables, deques, lists, shared pointers, std::function
            "std::_Rb_tree<*>::_M_*", "std::map<*>::operator[]", "std::map<*>::emplace*", "std::map<*>::insert*",
            "std::map<*>::try_emplace*", "std::set<*>::emplace*", "std::set<*>::insert*",
            "std::multimap<*>::emplace*", "std::multimap<*>::insert*",
            "std::_Hashtable<*>::*", "std::__detail::*", "std::unordered_map<*>::operator[]",
            "std::unordered_map<*>::emplace*", "std::unordered_map<*>::insert*",
            "std::deque<*>::_M_*", "std::_Deque_base<*>::_M_*", "std::deque<*>::push_back",
            "std::deque<*>::push_front", "std::deque<*>::emplace_back*", "std::deque<*>::emplace_front*",
            "std::__cxx11::list<*>::_M_*", "std::list<*>::_M_*", "std::__cxx11::_List_base<*>::_M_*",
            "std::__shared_count<*>::*", "std::_Sp_counted*", "std::__allocate_shared*", "std::allocate_shared*",
            "std::make_shared*", "std::__make_shared*", "std::__allocate_guarded*", "std::__shared_ptr<*>::__shared_ptr*",
            "std::shared_ptr<*>::shared_ptr*", "std::_Function_base::_Base_manager<*>::*",
            // libc++ (its inline namespace std::__1)
            "std::__1::allocator<*>::allocate", "std::__1::allocator_traits<*>::allocate",
            "std::__1::__libcpp_allocate*", "std::__1::__libcpp_operator_new*", "std::__1::__allocate_at_least*",
            "std::__1::vector<*>::__*", "std::__1::vector<*>::push_back", "std::__1::vector<*>::emplace_back*",
            "std::__1::vector<*>::reserve", "std::__1::vector<*>::resize", "std::__1::vector<*>::vector",
            "std::__1::basic_string<*>::__*", "std::__1::basic_string<*>::push_back",
            "std::__1::basic_string<*>::append", "std::__1::basic_string<*>::reserve",
            "std::__1::basic_string<*>::basic_string*", "std::__1::__split_buffer<*>::*",
            "std::__1::__tree<*>::*", "std::__1::__hash_table<*>::*", "std::__1::map<*>::operator[]",
            "std::__1::map<*>::emplace*", "std::__1::map<*>::insert*", "std::__1::unordered_map<*>::operator[]",
            "std::__1::__shared_ptr_emplace<*>::*", "std::__1::make_shared*", "std::__1::allocate_shared*",
            "std::__1::deque<*>::__*",
            // MSVC's standard library
            "std::_Allocate*", "std::_Default_allocate_traits*", "std::_Alloc_construct_ptr<*>::*",
            "std::_Tree*", "std::_List*", "std::_Hash*", "std::_Ref_count*",
            "std::basic_string<*>::_Reallocate*", "std::basic_string<*>::_Construct*",
            "std::vector<*>::_Emplace_reallocate*", "std::vector<*>::_Emplace_one_at_back*",
            "std::vector<*>::_Emplace_back_with_unused_capacity*", "std::vector<*>::_Buy_*",
            "std::vector<*>::_Resize_reallocate*", "std::vector<*>::_Construct_n*");
    /** The default module globs for frames without symbols: C and C++ runtimes. */
    public static final List<String> DEFAULT_MODULES = List.of(
            "ntdll", "ntdll.dll", "ucrtbase*", "msvcr*", "msvcrt*", "libc.so*", "libc-*",
            "libstdc++.so*", "libstdc++-6.dll", "libc++.so*", "libc++abi*", "msvcp*", "vcruntime*");

    private static final AllocatorFolding NONE = new AllocatorFolding(List.of(), List.of());
    /** Cache bound: the distinct function names of one input are few, a hostile input's are not. */
    private static final int CACHE_MAX = 1 << 16;

    private final List<String> functions;
    private final List<String> modules;
    /** Verdicts by function and mangled name (module-qualified when a pattern names a module). */
    private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();
    private final boolean qualifiedPatterns;

    public AllocatorFolding(List<String> functionGlobs, List<String> moduleGlobs) {
        this.functions = lower(functionGlobs);
        this.modules = lower(moduleGlobs);
        this.qualifiedPatterns = functions.stream().anyMatch(g -> g.indexOf('!') >= 0);
    }

    public static AllocatorFolding defaults() {
        return new AllocatorFolding(DEFAULT_FUNCTIONS, DEFAULT_MODULES);
    }

    public static AllocatorFolding none() {
        return NONE;
    }

    /** This list plus extra function globs. */
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

    /** The stack's attribution frame and the frames folded above it; null for an empty stack. */
    public Attribution attribute(List<Frame> frames) {
        if (frames.isEmpty()) {
            return null;
        }
        int n = foldedCount(frames);
        return new Attribution(frames.get(n), List.copyOf(frames.subList(0, n)));
    }

    public boolean isAllocator(Frame f) {
        if (f.function() != null) {
            String name = f.mangled() == null ? f.function() : f.function() + '\0' + f.mangled();
            String key = qualifiedPatterns && f.module() != null ? f.module() + "!" + name : name;
            Boolean v = verdicts.get(key);
            if (v == null) {
                v = matches(f);
                if (verdicts.size() < CACHE_MAX) {
                    verdicts.put(key, v);
                }
            }
            return v;
        }
        return f.module() != null && isAllocatorModule(f.module());
    }

    private boolean matches(Frame f) {
        String name = matchName(f.function()).toLowerCase(Locale.ROOT);
        String mangled = f.mangled() == null ? null : f.mangled().toLowerCase(Locale.ROOT);
        String module = f.module() == null ? null : f.module().toLowerCase(Locale.ROOT);
        for (String g : functions) {
            boolean qualified = g.indexOf('!') >= 0;
            if (qualified && module == null) {
                continue;
            }
            String prefix = qualified ? module + "!" : "";
            if (glob(g, prefix + name) || mangled != null && glob(g, prefix + mangled)) {
                return true;
            }
        }
        return false;
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

    /**
     * A function name as the globs see it: without the parameter list (and what follows it: {@code const},
     * {@code [clone .cold]}) and without what precedes the name at the top level, which demanglers print for
     * template functions and MSVC names (return type, {@code public:}, {@code __cdecl}). Examples:
     * {@code void std::vector<int>::_M_realloc_insert<int const&>(...)} → {@code std::vector<int>
     * ::_M_realloc_insert<int const&>}; {@code void * __cdecl operator new(unsigned __int64)} →
     * {@code operator new}; {@code (anonymous namespace)::grow(int)} → {@code (anonymous namespace)::grow}.
     * So a glob anchored at {@code std::} cannot match a user's function that only returns a std type.
     */
    /** How MSVC's undecorator spells an anonymous namespace ({@code `anonymous namespace'::CrashFunction}). */
    private static final String MSVC_ANONYMOUS = "`anonymous namespace'";

    public static String matchName(String function) {
        int depth = 0;
        int start = 0;
        int end = function.length();
        for (int i = 0; i < function.length(); i++) {
            char c = function.charAt(i);
            if (c == 'o' && isWord(function, i, "operator")) {
                i = operatorEnd(function, i + "operator".length()) - 1;
            } else if (c == '`' && function.startsWith(MSVC_ANONYMOUS, i)) {
                i += MSVC_ANONYMOUS.length() - 1; // its space separates no return type
            } else if (c == '(' || c == '<' || c == '[') {
                if (c == '(' && depth == 0) {
                    if (!function.startsWith("(anonymous namespace)", i)) {
                        end = i;
                        break;
                    }
                    i += "(anonymous namespace)".length() - 1;
                } else {
                    depth++;
                }
            } else if ((c == ')' || c == '>' || c == ']') && depth > 0) {
                depth--;
            } else if (c == ' ' && depth == 0 && !function.startsWith(" >", i)) {
                start = i + 1;
            }
        }
        String s = function.substring(Math.min(start, end), end).strip();
        return s.isEmpty() ? function : s;
    }

    private static boolean isWord(String s, int i, String word) {
        return s.startsWith(word, i) && (i == 0 || !identifier(s.charAt(i - 1)))
                && (i + word.length() == s.length() || !identifier(s.charAt(i + word.length())));
    }

    private static boolean identifier(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /**
     * Where an operator's name ends: {@code operator<<}, {@code operator()}, {@code operator[]},
     * {@code operator new[]}, {@code operator delete}, {@code operator bool} (its symbols would upset the nesting).
     */
    private static int operatorEnd(String s, int j) {
        if (s.startsWith("()", j) || s.startsWith("[]", j)) {
            return j + 2;
        }
        if (j < s.length() && s.charAt(j) == ' ') {
            int k = j + 1;
            while (k < s.length() && (identifier(s.charAt(k)) || s.charAt(k) == ':')) {
                k++;
            }
            return s.startsWith("[]", k) ? k + 2 : k;
        }
        while (j < s.length() && "<>=!+-*/%^&|~,".indexOf(s.charAt(j)) >= 0) {
            j++;
        }
        return s.startsWith(" <", j) ? j + 1 : j; // operator<< <char>: the space before template arguments
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
