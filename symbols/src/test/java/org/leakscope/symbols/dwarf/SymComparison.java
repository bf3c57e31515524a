package org.leakscope.symbols.dwarf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * Record-by-record comparison of two {@link SymbolData}: FUNC by address (size and name), each FUNC's line
 * records, PUBLIC, INLINE and INLINE_ORIGIN, files compared by name (the two sides may number them
 * differently). Counts mismatches per kind and keeps the first few of each for the message.
 */
final class SymComparison {
    final Map<String, int[]> counts = new HashMap<>(); // kind -> {golden records, mismatches}
    final List<String> examples = new ArrayList<>();

    /**
     * {@code goldenName}/{@code fileName}: the module's name when the reference was made and the corpus file's
     * name now (names like {@code <unknown in basic64-dwarf.dll>} carry it); null when the same.
     */
    SymComparison(SymbolData want, SymbolData got, String goldenName, String fileName) {
        SymbolData.Module wm = want.module();
        SymbolData.Module gm = got.module();
        count("MODULE", !(wm.os() + " " + wm.cpu() + " " + wm.debugId()).equals(gm.os() + " " + gm.cpu() + " "
                + gm.debugId()), "MODULE " + wm + " / " + gm);
        List<String> gotInfo = got.info().stream().map(i -> goldenName == null ? i : i.replace(" " + fileName,
                " " + goldenName)).toList();
        count("INFO", !want.info().equals(gotInfo), "INFO " + want.info() + " / " + gotInfo);
        Map<Long, SymbolData.Function> mine = new HashMap<>();
        for (SymbolData.Function f : got.functions()) {
            mine.put(f.address(), f);
        }
        Map<Long, String> wantFiles = files(want);
        Map<Long, String> gotFiles = files(got);
        Map<Long, String> wantOrigins = origins(want);
        Map<Long, String> gotOrigins = origins(got);
        for (SymbolData.Function w : want.functions()) {
            SymbolData.Function g = mine.remove(w.address());
            count("FUNC", g == null || g.size() != w.size() || !renamed(g.name(), goldenName, fileName)
                    .equals(w.name()),
                    "FUNC " + Long.toHexString(w.address()) + " " + Long.toHexString(w.size()) + " " + w.name() + " / "
                            + (g == null ? "none" : Long.toHexString(g.size()) + " " + g.name()));
            List<String> wl = w.lines().stream().map(l -> line(l, wantFiles)).toList();
            List<String> gl = g == null ? List.of() : g.lines().stream().map(l -> line(l, gotFiles)).toList();
            for (int i = 0; i < wl.size(); i++) {
                String gi = i < gl.size() ? gl.get(i) : "none";
                count("line", !wl.get(i).equals(gi), "in " + w.name() + ": " + wl.get(i) + " / " + gi);
            }
            for (int i = wl.size(); i < gl.size(); i++) {
                count("extra line", true, "in " + w.name() + ": extra " + gl.get(i));
            }
            List<String> wi = w.inlines().stream().map(x -> inline(x, wantFiles, wantOrigins)).toList();
            List<String> gi = g == null ? List.of() : g.inlines().stream().map(x -> inline(x, gotFiles, gotOrigins))
                    .toList();
            for (int i = 0; i < Math.max(wi.size(), gi.size()); i++) {
                String a = i < wi.size() ? wi.get(i) : "none";
                String b = i < gi.size() ? gi.get(i) : "none";
                count("INLINE", !a.equals(b), "in " + w.name() + ": " + a + " / " + b);
            }
        }
        for (SymbolData.Function g : mine.values()) {
            count("extra FUNC", true, "extra FUNC " + Long.toHexString(g.address()) + " " + g.name());
        }
        Map<Long, String> gotPublics = new HashMap<>();
        for (SymbolData.Public p : got.publics()) {
            gotPublics.put(p.address(), p.name());
        }
        for (SymbolData.Public p : want.publics()) {
            String g = gotPublics.remove(p.address());
            count("PUBLIC", !p.name().equals(renamed(g, goldenName, fileName)), "PUBLIC "
                    + Long.toHexString(p.address()) + " " + p.name() + " / " + g);
        }
        for (Map.Entry<Long, String> e : gotPublics.entrySet()) {
            count("extra PUBLIC", true, "extra PUBLIC " + Long.toHexString(e.getKey()) + " " + e.getValue());
        }
        List<String> wo = new ArrayList<>(wantOrigins.values());
        List<String> go = new ArrayList<>(gotOrigins.values());
        for (String o : wo) {
            count("INLINE_ORIGIN", !go.remove(o), "INLINE_ORIGIN " + o + " missing");
        }
        for (String o : go) {
            count("extra INLINE_ORIGIN", true, "extra INLINE_ORIGIN " + o);
        }
    }

    private static String renamed(String name, String goldenName, String fileName) {
        return name == null || goldenName == null ? name : name.replace(" " + fileName + ">", " " + goldenName + ">");
    }

    private static Map<Long, String> files(SymbolData d) {
        Map<Long, String> m = new HashMap<>();
        d.files().forEach(f -> m.put(f.index(), f.name()));
        return m;
    }

    private static Map<Long, String> origins(SymbolData d) {
        Map<Long, String> m = new HashMap<>();
        d.origins().forEach(o -> m.put(o.index(), o.name()));
        return m;
    }

    private static String line(SymbolData.Line l, Map<Long, String> files) {
        return Long.toHexString(l.address()) + " " + Long.toHexString(l.size()) + " " + l.line() + " "
                + files.get(l.file());
    }

    private static String inline(SymbolData.Inline x, Map<Long, String> files, Map<Long, String> origins) {
        StringBuilder sb = new StringBuilder().append(x.depth()).append(' ').append(x.callLine()).append(' ')
                .append(files.get(x.callFile())).append(' ').append(origins.get(x.origin()));
        x.ranges().forEach(r -> sb.append(' ').append(Long.toHexString(r)));
        return sb.toString();
    }

    private void count(String kind, boolean mismatch, String example) {
        int[] c = counts.computeIfAbsent(kind, k -> new int[2]);
        if (!kind.startsWith("extra")) {
            c[0]++;
        }
        if (mismatch) {
            c[1]++;
            if (examples.stream().filter(e -> e.startsWith(kind + ":")).count() < 8) {
                examples.add(kind + ": " + example);
            }
        }
    }

    int mismatches(String kind) {
        return counts.getOrDefault(kind, new int[2])[1];
    }

    String summary(String name) {
        StringBuilder sb = new StringBuilder(name);
        counts.keySet().stream().sorted().forEach(k -> sb.append(String.format("%n  %-20s %6d golden, %6d mismatched",
                k, counts.get(k)[0], counts.get(k)[1])));
        examples.forEach(e -> sb.append("\n    ").append(e));
        return sb.toString();
    }

    static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
