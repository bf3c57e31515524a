package org.leakscope.demangle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leakscope.testing.Required;

/**
 * Leakscope's MSVC demangler against llvm-undname on every decorated name of the corpus's MSVC PDB and PE files
 * (3,200-odd names of Breakpad's test program and the MSVC C runtime linked into mozilla's test DLL: templates,
 * operators, RTTI, string literals, local scopes, thunks), and on seeded mutations of them.
 */
class MsvcDifferentialTest {
    private static final Pattern TAG = Pattern.compile("\\b(class|struct|union|enum) ");
    private static final Pattern CALLING_CONVENTION =
            Pattern.compile("\\((__cdecl|__stdcall|__thiscall|__fastcall|__vectorcall|__clrcall|__pascal|__eabi) ");

    private static List<String> names;

    @BeforeAll
    static void collect() throws Exception {
        MsvcUndname.require();
        TreeSet<String> found = new TreeSet<>();
        for (String pdb : MsvcCorpusNames.PDB_FILES) {
            MsvcCorpusNames.fromPdb(Required.corpusFile(pdb), found);
        }
        for (String pe : MsvcCorpusNames.PE_FILES) {
            MsvcCorpusNames.fromPe(Required.corpusFile(pe), found);
        }
        MsvcCorpusNames.fromSym(Required.corpusFile("pdb/moz_basic32-min.sym"), found);
        names = new ArrayList<>(found);
        // what the corpus held when this test was written: a loss means a reader above broke
        assertTrue(names.size() >= 3200, "only " + names.size() + " decorated names found in the corpus");
    }

    @Test
    void fullFormEqualsLlvmUndnameOnEveryCorpusName() throws Exception {
        List<String> reference = MsvcUndname.demangle(names);
        List<String> differences = new ArrayList<>();
        int demangled = 0;
        for (int i = 0; i < names.size(); i++) {
            String ours = MsvcDemangler.demangleFull(names.get(i));
            demangled += ours != null ? 1 : 0;
            if (!java.util.Objects.equals(ours, reference.get(i))) {
                differences.add(names.get(i) + "\n  llvm-undname: " + reference.get(i) + "\n  leakscope:    " + ours);
            }
        }
        report("full form, corpus names", names.size(), demangled, differences);
        assertTrue(differences.size() * 1000 <= names.size(), differences.size() + " differ");
    }

    /**
     * The exports of Wine's builds of the MSVC runtime DLLs (msvcp*, msvcr*, concrt140, ucrtbase, vcruntime140,
     * 32- and 64-bit): the decorated names Windows programs import from the runtime (operator new, std::
     * containers and streams, exceptions), spelled as MSVC spells them. Wine is installed by .ci/run.
     */
    @Test
    void fullFormEqualsLlvmUndnameOnTheMsvcRuntimesExports() throws Exception {
        java.nio.file.Path wine = java.nio.file.Path.of("/usr/lib/x86_64-linux-gnu/wine");
        Required.that(java.nio.file.Files.isDirectory(wine.resolve("x86_64-windows")),
                wine + "/x86_64-windows (Wine's PE DLLs, apt package wine64) is absent");
        TreeSet<String> found = new TreeSet<>();
        for (String arch : List.of("x86_64-windows", "i386-windows")) {
            java.nio.file.Path dir = wine.resolve(arch);
            if (!java.nio.file.Files.isDirectory(dir)) {
                continue;
            }
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path dll : files.filter(f -> f.getFileName().toString()
                        .matches("(msvcp.*|msvcr.*|concrt140|ucrtbase|vcruntime140.*)\\.dll")).sorted().toList()) {
                    MsvcCorpusNames.fromPe(dll, found);
                }
            }
        }
        List<String> runtime = new ArrayList<>(found);
        assertTrue(runtime.size() >= 1000, "only " + runtime.size() + " decorated exports in " + wine);
        List<String> reference = MsvcUndname.demangle(runtime);
        List<String> differences = new ArrayList<>();
        int demangled = 0;
        for (int i = 0; i < runtime.size(); i++) {
            String ours = MsvcDemangler.demangleFull(runtime.get(i));
            demangled += reference.get(i) != null ? 1 : 0;
            if (!java.util.Objects.equals(ours, reference.get(i))) {
                differences.add(runtime.get(i) + "\n  llvm-undname: " + reference.get(i) + "\n  leakscope:    " + ours);
            }
        }
        report("full form, MSVC runtime exports (Wine)", runtime.size(), demangled, differences);
        assertTrue(differences.size() * 1000 <= runtime.size(), differences.size() + " differ");
    }

    /**
     * The short form is llvm-undname's text with its options for no access, calling convention, return type,
     * member type and variable type, less what llvm-undname 14 cannot leave out: tag keywords, calling
     * conventions of function pointer types, {@code void} of empty parameter lists. Four kinds of name differ
     * by design and are left out here: string literals (whose text may hold the word "class "); local scopes
     * (llvm-undname prints the enclosing function in full even then; the short form prints it short); RTTI type
     * descriptors (its --no-variable-type drops the type they describe, leaving only {@code `RTTI Type
     * Descriptor'}); function types as template arguments (its --no-return-type drops their return type,
     * {@code f<()>}; the short form keeps it, {@code f<void ()>}, as that is part of the type).
     */
    @Test
    void shortFormEqualsLlvmUndnamesTerseTextOnEveryCorpusName() throws Exception {
        List<String> reference = MsvcUndname.demangle(names, "--no-access-specifier", "--no-calling-convention",
                "--no-return-type", "--no-member-type", "--no-variable-type");
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String llvm = reference.get(i);
            if (name.startsWith("??_C@") || (llvm != null && llvm.contains("'::`")) || name.startsWith("??_R0")
                    || name.contains("$$A6") || name.contains("$$A8@@")) {
                continue;
            }
            compared++;
            String expected = llvm == null ? null
                    : CALLING_CONVENTION.matcher(TAG.matcher(llvm).replaceAll("")).replaceAll("(")
                            .replace("(void)", "()");
            String ours = MsvcDemangler.demangle(name);
            if (!java.util.Objects.equals(ours, expected)) {
                differences.add(name + "\n  expected: " + expected + "\n  ours:     " + ours);
            }
        }
        report("short form, corpus names", compared, compared, differences);
        assertTrue(compared >= 1600, "only " + compared + " names compared");
        assertEquals(List.of(), differences);
    }

    /**
     * Real names with one to three random edits (replace, insert, delete, splice from another name): both
     * demanglers must agree on which are names and on their text. llvm-undname 14 reads a few malformed names
     * that we refuse (an error flag it clears when a later pointer type begins), so agreement is not total;
     * but wherever Leakscope prints a name, it prints what llvm-undname prints.
     */
    @Test
    void mutatedNamesAgreeWithLlvmUndnameWheneverWePrintOne() throws Exception {
        Random random = new Random(13);
        String alphabet = "?@$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc";
        List<String> mutated = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            StringBuilder n = new StringBuilder(names.get(random.nextInt(names.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(n.length());
                switch (random.nextInt(4)) {
                    case 0 -> n.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> n.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 2 -> n.deleteCharAt(at);
                    default -> {
                        String other = names.get(random.nextInt(names.size()));
                        int from = random.nextInt(other.length());
                        n.insert(at, other, from, Math.min(other.length(), from + 1 + random.nextInt(20)));
                    }
                }
                if (n.length() == 0) {
                    n.append('?');
                }
            }
            if (n.charAt(0) == '?' && n.chars().noneMatch(c -> c <= ' ')) {
                mutated.add(n.toString());
            }
        }
        List<String> reference = MsvcUndname.demangle(mutated);
        List<String> wrongText = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        int demangled = 0;
        for (int i = 0; i < mutated.size(); i++) {
            String ours = MsvcDemangler.demangleFull(mutated.get(i));
            demangled += reference.get(i) != null ? 1 : 0;
            String line = mutated.get(i) + "\n  llvm-undname: " + reference.get(i) + "\n  leakscope:    " + ours;
            if (ours != null && !ours.equals(reference.get(i))) {
                wrongText.add(line);
            } else if (ours == null && reference.get(i) != null) {
                refused.add(line);
            }
        }
        report("full form, mutated names (we print other text)", mutated.size(), demangled, wrongText);
        report("full form, mutated names (llvm-undname reads, we refuse)", mutated.size(), demangled, refused);
        assertEquals(List.of(), wrongText);
        assertTrue(refused.size() * 200 <= mutated.size(), refused.size() + " refused");
    }

    private static void report(String what, int total, int demangled, List<String> differences) {
        System.out.printf("MSVC differential, %s: %d names, %d demangled by llvm-undname, %d differ (%.3f %% agree)%n",
                what, total, demangled, differences.size(), 100.0 * (total - differences.size()) / total);
        differences.stream().limit(60).forEach(d -> System.out.println("  " + d));
    }
}
