import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.leakscope.symbols.SymbolHit;
import org.leakscope.symbols.dwarf.DwarfSymbols;
import org.leakscope.symbols.dwarf.InlineFrame;

/**
 * The Java side of bench/dwarf.sh (which compiles it once into bench/out/dwarf/classes, so that its whole-JVM
 * times hold no javac run); also runs with the shipped jar on the class path as a single-file source:
 * <pre>
 * java -cp bin/leakscope.jar bench/DwarfLookup.java sample NM_OUTPUT N OUT   addresses, uniform over code
 * java -cp bin/leakscope.jar bench/DwarfLookup.java open FILE ADDR...         open + first lookup, per file
 * java -cp bin/leakscope.jar bench/DwarfLookup.java lookup FILE ADDRS [PASSES] every address, timed
 * java -cp bin/leakscope.jar bench/DwarfLookup.java compare FILE ADDRS A2L    agreement with addr2line -a -f -i -C
 * </pre>
 * Addresses are hex, one a line, as addr2line reads them; the benchmark's input is a shared object whose lowest
 * PT_LOAD address is 0, so an address is its module offset.
 */
public class DwarfLookup {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "sample" -> sample(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "open" -> {
                for (int i = 1; i + 1 < args.length; i += 2) {
                    open(Path.of(args[i]), Long.decode(args[i + 1]));
                }
            }
            case "lookup" -> lookup(Path.of(args[1]), addresses(Path.of(args[2])), args.length > 3
                    ? Integer.parseInt(args[3]) : 1);
            case "compare" -> compare(Path.of(args[1]), addresses(Path.of(args[2])), Path.of(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** N addresses drawn uniformly over the bytes of the functions `nm -S` lists (text symbols with a size). */
    static void sample(Path nm, int n, Path out) throws IOException {
        List<long[]> fns = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(nm)) {
            for (String l; (l = r.readLine()) != null; ) {
                String[] f = l.trim().split("\\s+");
                if (f.length >= 4 && (f[2].equals("T") || f[2].equals("t"))) {
                    long size = Long.parseUnsignedLong(f[1], 16);
                    if (size > 0) {
                        fns.add(new long[] {Long.parseUnsignedLong(f[0], 16), size});
                    }
                }
            }
        }
        long[] cumulative = new long[fns.size() + 1];
        for (int i = 0; i < fns.size(); i++) {
            cumulative[i + 1] = cumulative[i] + fns.get(i)[1];
        }
        SplittableRandom rnd = new SplittableRandom(16);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            for (int i = 0; i < n; i++) {
                long at = rnd.nextLong(cumulative[fns.size()]);
                int k = Arrays.binarySearch(cumulative, at);
                k = k >= 0 ? k : -k - 2;
                w.printf("0x%x%n", fns.get(k)[0] + at - cumulative[k]);
            }
        }
        System.out.printf("%d addresses over %d functions, %d bytes of code%n", n, fns.size(),
                cumulative[fns.size()]);
    }

    static long[] addresses(Path file) throws IOException {
        return Files.lines(file).mapToLong(l -> Long.parseUnsignedLong(l.substring(2), 16)).toArray();
    }

    /** Open and the first lookup (which indexes the units), timed apart; a later file's open is class-warm. */
    static void open(Path file, long address) throws IOException {
        long t0 = System.nanoTime();
        DwarfSymbols s = DwarfSymbols.open(file);
        long t1 = System.nanoTime();
        Optional<SymbolHit> hit = s.lookup(address);
        long t2 = System.nanoTime();
        System.out.printf("%-28s %,15d bytes  open %8.2f ms  first lookup %8.2f ms  (%s)%n", file.getFileName(),
                Files.size(file), (t1 - t0) / 1e6, (t2 - t1) / 1e6, hit.map(h -> h.function() + " "
                + String.valueOf(h.sourceFile()).replaceAll(".*/", "") + ":" + h.sourceLine()).orElse("nothing"));
    }

    /** Every address, PASSES times: the first pass decodes the units it meets, a second finds them cached. */
    static void lookup(Path file, long[] addrs, int passes) throws IOException {
        long t0 = System.nanoTime();
        DwarfSymbols s = DwarfSymbols.open(file);
        s.lookup(addrs[0]);
        long t1 = System.nanoTime();
        System.out.printf("open + first lookup %.1f ms%n", (t1 - t0) / 1e6);
        for (int p = 0; p < passes; p++) {
            String pass = p == 0 ? "first pass" : "again";
            long named = 0;
            long lines = 0;
            long t2 = System.nanoTime();
            for (long a : addrs) {
                Optional<SymbolHit> h = s.lookup(a);
                if (h.isPresent()) {
                    named++;
                    if (h.get().sourceLine() != null) {
                        lines++;
                    }
                }
            }
            long t3 = System.nanoTime();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("  %-10s %,d lookups %6.0f ms (%5.0f ns each), %,d named, %,d with a line; heap in use"
                    + " %d MiB of max %d MiB%n", pass, addrs.length, (t3 - t2) / 1e6, (t3 - t2) / (double) addrs.length,
                    named, lines, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
        }
        if (passes > 1) {
            System.out.printf("  %d problems (now the symbol table is read too)%n", s.problems().size());
        }
    }

    /**
     * Compares each address with addr2line's answer (-a -f -i -C: the address, then function and file:line per
     * frame, innermost first): our function with its outermost frame's, our file:line with its innermost frame's
     * location, our inline frames with its inner frames and their call sites.
     */
    static void compare(Path file, long[] addrs, Path a2l) throws IOException {
        DwarfSymbols s = DwarfSymbols.open(file);
        List<String> out = Files.readAllLines(a2l);
        int at = 0;
        int n = 0;
        int fnSame = 0;
        int lineSame = 0;
        int inlineSame = 0;
        List<String> examples = new ArrayList<>();
        while (at < out.size()) {
            long addr = Long.parseUnsignedLong(out.get(at++).substring(2), 16);
            List<String[]> frames = new ArrayList<>();
            while (at + 1 < out.size() && !out.get(at).startsWith("0x")) {
                frames.add(new String[] {out.get(at), out.get(at + 1).replaceFirst(" \\(discriminator \\d+\\)$", "")});
                at += 2;
            }
            if (addr != addrs[n]) {
                throw new IllegalStateException("addr2line output out of step at address " + n);
            }
            n++;
            Optional<SymbolHit> hit = s.lookup(addr);
            String fn = hit.map(SymbolHit::function).orElse("??");
            String loc = hit.filter(h -> h.sourceLine() != null).map(h -> h.sourceFile() + ":" + h.sourceLine())
                    .orElse("??:0");
            boolean f = fn.equals(frames.get(frames.size() - 1)[0]);
            boolean l = loc.equals(frames.get(0)[1]);
            List<String> ours = new ArrayList<>();
            for (InlineFrame i : s.inlineFrames(addr)) {
                ours.add(i.function() + " @ " + i.callFile() + ":" + i.callLine());
            }
            List<String> theirs = new ArrayList<>();
            for (int k = 0; k + 1 < frames.size(); k++) {
                theirs.add(frames.get(k)[0] + " @ " + frames.get(k + 1)[1]);
            }
            boolean i = ours.equals(theirs);
            fnSame += f ? 1 : 0;
            lineSame += l ? 1 : 0;
            inlineSame += i ? 1 : 0;
            if ((!f || !l || !i) && examples.size() < 5) {
                examples.add(String.format("  0x%x: ours %s %s %s%n         addr2line %s %s %s", addr, fn, loc, ours,
                        frames.get(frames.size() - 1)[0], frames.get(0)[1], theirs));
            }
        }
        System.out.printf("agreement with addr2line on %,d addresses: function %.2f %%, file:line %.2f %%,"
                + " inline frames %.2f %%%n", n, 100.0 * fnSame / n, 100.0 * lineSame / n, 100.0 * inlineSame / n);
        examples.forEach(System.out::println);
    }
}
