package org.leakscope.demangle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.testing.Required;

/**
 * Every symbol of the system's libstdc++.so.6 and of a mingw-built C++ program, demangled by us and by GNU
 * c++filt (one process, all names through its standard input): at least {@link #MIN_AGREEMENT} of the names must
 * print the same, character for character (a name c++filt leaves as it is must be left as it is). The
 * disagreements are printed with the counts, for the note.
 */
class CxxfiltDifferentialTest {
    static final double MIN_AGREEMENT = 0.999;

    @Test
    void libstdcxxSymbolsPrintAsCxxfiltPrintsThem() {
        requireBinutils();
        Path lib = libstdcxx();
        TreeSet<String> names = new TreeSet<>();
        names.addAll(symbols(Tools.run(List.of("nm", "-D", "--defined-only", lib.toString()), null)));
        String symtab = Tools.tryRun(List.of("nm", "--defined-only", lib.toString()));
        if (symtab != null) {
            names.addAll(symbols(symtab));
        }
        Map<String, String> ours = compare(lib.toString(), names);
        assertTrue(names.size() > 3000, "only " + names.size() + " symbols in " + lib);
        // the allocation functions a C++ leak report is about, and names of each kind libstdc++ exports
        Map<String, String> known = Map.of(
                "_Znwm", "operator new(unsigned long)",
                "_ZdlPvm", "operator delete(void*, unsigned long)",
                "_ZnamRKSt9nothrow_t", "operator new[](unsigned long, std::nothrow_t const&)",
                "_ZdaPvSt11align_val_t", "operator delete[](void*, std::align_val_t)",
                "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_createERmm",
                "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"
                        + "::_M_create(unsigned long&, unsigned long)",
                "_ZSt4cout", "std::cout",
                "_ZTVSt9exception", "vtable for std::exception",
                "_ZNSt8ios_base4InitC1Ev", "std::ios_base::Init::Init()",
                "_ZThn16_NSdD1Ev", "non-virtual thunk to std::basic_iostream<char, std::char_traits<char> >"
                        + "::~basic_iostream()",
                "_ZGTtNKSt9exception4whatEv", "transaction clone for std::exception::what() const");
        assertKnown(known, names, ours);
    }

    @Test
    void mingwProgramSymbolsPrintAsCxxfiltPrintsThem(@TempDir Path dir) throws IOException {
        requireBinutils();
        Tools.require("x86_64-w64-mingw32-g++", "apt package g++-mingw-w64-x86-64");
        Tools.require("x86_64-w64-mingw32-nm", "apt package binutils-mingw-w64-x86-64");
        Path source = dir.resolve("template_heavy.cpp");
        try (InputStream in = getClass().getResourceAsStream("template_heavy.cpp")) {
            Files.write(source, in.readAllBytes());
        }
        Path exe = dir.resolve("template_heavy.exe");
        Tools.run(List.of("x86_64-w64-mingw32-g++", "-std=c++17", "-O2", "-o", exe.toString(), source.toString()),
                null);
        TreeSet<String> names = new TreeSet<>(symbols(Tools.run(List.of("x86_64-w64-mingw32-nm", exe.toString()),
                null)));
        Map<String, String> ours = compare(exe.getFileName().toString(), names);
        assertTrue(names.size() > 300, "only " + names.size() + " symbols in " + exe);
        Map<String, String> known = Map.of(
                "_ZN4leak13open_sessionsEy", "leak::open_sessions(unsigned long long)",
                "_ZNKR4leak7Session4openEv", "leak::Session::open() const &",
                "_ZTv0_n24_N4leak7DerivedD1Ev", "virtual thunk to leak::Derived::~Derived()",
                "_ZTTN4leak7DerivedE", "VTT for leak::Derived",
                "_ZTIN4leak7SessionE", "typeinfo for leak::Session",
                "_ZN4leak7SessionD1Ev", "leak::Session::~Session()",
                "_Znwy", "operator new(unsigned long long)");
        assertKnown(known, names, ours);
    }

    private static void requireBinutils() {
        Tools.require("c++filt", "apt package binutils");
        Tools.require("nm", "apt package binutils");
    }

    /** libstdc++.so.6 as the dynamic linker finds it ({@code ldconfig -p}), else at the usual paths. */
    private static Path libstdcxx() {
        String cache = Tools.tryRun(List.of("/sbin/ldconfig", "-p"));
        if (cache != null) {
            for (String line : cache.split("\n")) {
                if (line.trim().startsWith("libstdc++.so.6 ") && line.contains("x86-64") && line.contains("=> ")) {
                    Path p = Path.of(line.substring(line.indexOf("=> ") + 3).trim());
                    if (Files.isRegularFile(p)) {
                        return p;
                    }
                }
            }
        }
        for (String p : List.of("/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6")) {
            if (Files.isRegularFile(Path.of(p))) {
                return Path.of(p);
            }
        }
        Required.that(false, "libstdc++.so.6 is not installed (apt package libstdc++6)");
        throw new AssertionError("unreachable");
    }

    /** The names of nm's lines ({@code address type name}); nm -D's {@code @VERSION} suffixes taken off. */
    static List<String> symbols(String nmOutput) {
        List<String> names = new ArrayList<>();
        for (String line : nmOutput.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || line.endsWith(":")) {
                continue;
            }
            String name = f[f.length - 1];
            int at = name.indexOf('@');
            names.add(at > 0 ? name.substring(0, at) : name);
        }
        return names;
    }

    /** Our readable names of {@code names}; prints and asserts the agreement with c++filt. */
    private static Map<String, String> compare(String what, TreeSet<String> names) {
        List<String> in = new ArrayList<>(names);
        List<String> theirs = cxxfilt(in);
        Map<String, String> ours = new java.util.HashMap<>();
        List<String> differences = new ArrayList<>();
        int agreeing = 0;
        for (int i = 0; i < in.size(); i++) {
            String mine = Demangler.readable(in.get(i));
            ours.put(in.get(i), mine);
            if (mine.equals(theirs.get(i))) {
                agreeing++;
            } else {
                differences.add(in.get(i) + "\n    c++filt: " + theirs.get(i) + "\n    ours:    " + mine);
            }
        }
        System.out.printf("%s: %d names, %d print as c++filt prints them (%.3f %%), %d differ%n", what, in.size(),
                agreeing, 100.0 * agreeing / in.size(), differences.size());
        differences.forEach(d -> System.out.println("  " + d));
        assertTrue(agreeing >= MIN_AGREEMENT * in.size(), what + ": only " + agreeing + " of " + in.size()
                + " names print as c++filt prints them; differences:\n" + String.join("\n", differences));
        return ours;
    }

    /** c++filt's output for each name, one process for all of them. */
    private static List<String> cxxfilt(List<String> names) {
        try {
            Path input = Files.createTempFile("leakscope-names", ".txt");
            try {
                Files.write(input, names, StandardCharsets.UTF_8);
                List<String> out = List.of(Tools.run(List.of("c++filt"), input).split("\n", -1));
                out = out.subList(0, out.size() - 1);  // after the last newline
                if (out.size() != names.size()) {
                    fail("c++filt printed " + out.size() + " lines for " + names.size() + " names");
                }
                return out;
            } finally {
                Files.deleteIfExists(input);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertKnown(Map<String, String> known, TreeSet<String> names, Map<String, String> ours) {
        for (Map.Entry<String, String> k : known.entrySet()) {
            assertTrue(names.contains(k.getKey()), k.getKey() + " is not among the symbols");
            assertEquals(k.getValue(), ours.get(k.getKey()), k.getKey());
        }
    }
}
