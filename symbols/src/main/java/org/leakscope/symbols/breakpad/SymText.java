package org.leakscope.symbols.breakpad;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.InputFormatException;

/**
 * Breakpad {@code .sym} text to and from {@link SymbolData}: written by {@code dumpsyms}, read back by the golden
 * tests that compare it, record by record, with the files the reference dump_syms tools wrote.
 */
public final class SymText {
    private SymText() {
    }

    /** Writes {@code d} in dump_syms' order: MODULE, INFO, FILE, INLINE_ORIGIN, FUNC (INLINE, lines) and PUBLIC by
     * address, STACK WIN, STACK CFI. */
    public static void write(SymbolData d, Writer w) throws IOException {
        SymbolData.Module m = d.module();
        w.write("MODULE " + m.os() + " " + m.cpu() + " " + m.debugId() + " " + oneLine(m.debugFile()) + "\n");
        for (String i : d.info()) {
            w.write("INFO " + oneLine(i) + "\n");
        }
        for (SymbolData.SourceFile f : d.files()) {
            w.write("FILE " + f.index() + " " + oneLine(f.name()) + "\n");
        }
        for (SymbolData.InlineOrigin o : d.origins()) {
            w.write("INLINE_ORIGIN " + o.index() + " " + oneLine(o.name()) + "\n");
        }
        // FUNC and PUBLIC records interleave by address, as both dump_syms tools write them
        List<SymbolData.Function> funcs = d.functions();
        List<SymbolData.Public> pubs = d.publics();
        int fi = 0;
        int pi = 0;
        while (fi < funcs.size() || pi < pubs.size()) {
            if (pi == pubs.size() || fi < funcs.size()
                    && Long.compareUnsigned(funcs.get(fi).address(), pubs.get(pi).address()) <= 0) {
                writeFunction(funcs.get(fi++), w);
            } else {
                SymbolData.Public p = pubs.get(pi++);
                w.write("PUBLIC " + (p.multiple() ? "m " : "") + hex(p.address()) + " " + hex(p.paramSize()) + " "
                        + oneLine(p.name()) + "\n");
            }
        }
        for (SymbolData.StackWin s : d.stackWin()) {
            w.write("STACK WIN " + s.type() + " " + hex(s.rva()) + " " + hex(s.codeSize()) + " " + hex(s.prologSize())
                    + " " + hex(s.epilogSize()) + " " + hex(s.paramSize()) + " " + hex(s.savedRegisterSize()) + " "
                    + hex(s.localSize()) + " " + hex(s.maxStackSize()) + " " + (s.hasProgram() ? "1 " + oneLine(s.program())
                            : "0 " + (s.allocatesBasePointer() ? "1" : "0")) + "\n");
        }
        for (SymbolData.StackCfi c : d.stackCfi()) {
            w.write(c.size() != null ? "STACK CFI INIT " + hex(c.address()) + " " + hex(c.size()) + " " + oneLine(c.rules()) + "\n"
                    : "STACK CFI " + hex(c.address()) + " " + oneLine(c.rules()) + "\n");
        }
    }

    private static void writeFunction(SymbolData.Function f, Writer w) throws IOException {
        w.write("FUNC " + (f.multiple() ? "m " : "") + hex(f.address()) + " " + hex(f.size()) + " "
                + hex(f.paramSize()) + " " + oneLine(f.name()) + "\n");
        for (SymbolData.Inline in : f.inlines()) {
            StringBuilder sb = new StringBuilder("INLINE ").append(in.depth()).append(' ').append(in.callLine())
                    .append(' ').append(in.callFile()).append(' ').append(in.origin());
            for (long r : in.ranges()) {
                sb.append(' ').append(hex(r));
            }
            w.write(sb.append('\n').toString());
        }
        for (SymbolData.Line l : f.lines()) {
            w.write(hex(l.address()) + " " + hex(l.size()) + " " + l.line() + " " + l.file() + "\n");
        }
    }

    /** A name from a file as one record's text: a line break inside would start a forged record. */
    private static String oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace('\n', ' ').replace('\r', ' ');
    }

    private static String hex(long v) {
        return Long.toHexString(v);
    }

    /**
     * Reads a whole {@code .sym} file (the golden files are small; lookups go through
     * {@code BreakpadSymbolFile}, which indexes lazily).
     *
     * @throws InputFormatException at the first line that is not a record of the format
     */
    public static SymbolData read(Path p) throws IOException {
        SymbolData.Module module = null;
        List<String> info = new ArrayList<>();
        List<SymbolData.SourceFile> files = new ArrayList<>();
        List<SymbolData.InlineOrigin> origins = new ArrayList<>();
        List<SymbolData.Function> funcs = new ArrayList<>();
        List<SymbolData.Public> pubs = new ArrayList<>();
        List<SymbolData.StackWin> wins = new ArrayList<>();
        List<SymbolData.StackCfi> cfis = new ArrayList<>();
        String src = p.toString();
        FuncBuilder open = null;
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    if (line.startsWith("MODULE ")) {
                        String[] f = line.split(" ", 5);
                        module = new SymbolData.Module(f[1], f[2], f[3], f[4]);
                    } else if (line.startsWith("INFO ")) {
                        info.add(line.substring(5));
                    } else if (line.startsWith("FILE ")) {
                        String[] f = line.split(" ", 3);
                        files.add(new SymbolData.SourceFile(Long.parseLong(f[1]), f.length > 2 ? f[2] : ""));
                    } else if (line.startsWith("INLINE_ORIGIN ")) {
                        String[] f = line.split(" ", 3);
                        origins.add(new SymbolData.InlineOrigin(Long.parseLong(f[1]), f.length > 2 ? f[2] : ""));
                    } else if (line.startsWith("FUNC ")) {
                        if (open != null) {
                            funcs.add(open.build());
                        }
                        String[] f = line.split(" ");
                        boolean m = f[1].equals("m");
                        int i = m ? 2 : 1;
                        String[] g = line.split(" ", i + 4);
                        open = new FuncBuilder(m, hexOf(g[i]), hexOf(g[i + 1]), hexOf(g[i + 2]),
                                g.length > i + 3 ? g[i + 3] : "");
                    } else if (line.startsWith("INLINE ")) {
                        String[] f = line.split(" ");
                        List<Long> ranges = new ArrayList<>();
                        for (int i = 5; i < f.length; i++) {
                            ranges.add(hexOf(f[i]));
                        }
                        need(open, line).inlines.add(new SymbolData.Inline(Integer.parseInt(f[1]),
                                Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), ranges));
                    } else if (line.startsWith("PUBLIC ")) {
                        if (open != null) {
                            funcs.add(open.build());
                            open = null;
                        }
                        String[] f = line.split(" ");
                        boolean m = f[1].equals("m");
                        int i = m ? 2 : 1;
                        String[] g = line.split(" ", i + 3);
                        pubs.add(new SymbolData.Public(m, hexOf(g[i]), hexOf(g[i + 1]), g.length > i + 2 ? g[i + 2] : ""));
                    } else if (line.startsWith("STACK WIN ")) {
                        String[] f = line.split(" ", 13);
                        boolean prog = f[11].equals("1");
                        wins.add(new SymbolData.StackWin(Integer.parseInt(f[2], 16), hexOf(f[3]), hexOf(f[4]),
                                hexOf(f[5]), hexOf(f[6]), hexOf(f[7]), hexOf(f[8]), hexOf(f[9]), hexOf(f[10]), prog,
                                prog ? f[12] : null, !prog && f[12].strip().equals("1")));
                    } else if (line.startsWith("STACK CFI INIT ")) {
                        String[] f = line.split(" ", 6);
                        cfis.add(new SymbolData.StackCfi(hexOf(f[3]), hexOf(f[4]), f.length > 5 ? f[5] : ""));
                    } else if (line.startsWith("STACK CFI ")) {
                        String[] f = line.split(" ", 4);
                        cfis.add(new SymbolData.StackCfi(hexOf(f[2]), null, f.length > 3 ? f[3] : ""));
                    } else if (Character.digit(line.charAt(0), 16) >= 0) {
                        String[] f = line.split(" ");
                        need(open, line).lines.add(new SymbolData.Line(hexOf(f[0]), hexOf(f[1]), Long.parseLong(f[2]),
                                Long.parseLong(f[3])));
                    } else {
                        throw InputFormatException.atLine(src, n, "a Breakpad symbol record", "'" + cut(line) + "'");
                    }
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    throw InputFormatException.atLine(src, n, "a Breakpad symbol record", "'" + cut(line) + "'");
                }
            }
        }
        if (open != null) {
            funcs.add(open.build());
        }
        if (module == null) {
            throw InputFormatException.atLine(src, 1, "a MODULE line", "none in the file");
        }
        return new SymbolData(module, info, files, origins, funcs, pubs, wins, cfis);
    }

    private static FuncBuilder need(FuncBuilder open, String line) {
        if (open == null) {
            throw new NumberFormatException("line record outside FUNC: " + line);
        }
        return open;
    }

    private static long hexOf(String s) {
        return Long.parseUnsignedLong(s.strip(), 16);
    }

    private static String cut(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    private static final class FuncBuilder {
        final boolean multiple;
        final long address;
        final long size;
        final long paramSize;
        final String name;
        final List<SymbolData.Line> lines = new ArrayList<>();
        final List<SymbolData.Inline> inlines = new ArrayList<>();

        FuncBuilder(boolean multiple, long address, long size, long paramSize, String name) {
            this.multiple = multiple;
            this.address = address;
            this.size = size;
            this.paramSize = paramSize;
            this.name = name;
        }

        SymbolData.Function build() {
            return new SymbolData.Function(multiple, address, size, paramSize, name, lines, inlines);
        }
    }
}
