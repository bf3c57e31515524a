package org.leakscope.symbols.dwarf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.symbols.ImageSections;
import org.leakscope.symbols.ImageSymbols;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * The call frame information of an ELF or (mingw) PE file: {@code .debug_frame} and {@code .eh_frame}, for the
 * stack walker ({@link #rulesAt}) and for {@code dumpsyms} ({@link #stackCfi}).
 *
 * <p>Opening reads only the section headers and maps the two sections (and {@code .eh_frame_hdr}). A lookup
 * finds the FDE through {@code .eh_frame_hdr}'s sorted table when there is one, else through an index of FDE
 * ranges built once, on the first lookup, in primitive arrays; then it runs that one FDE's instructions up to
 * the address. {@code .debug_frame} is asked first (dump_syms writes it first, and Breakpad's resolver keeps the
 * first of overlapping ranges), then {@code .eh_frame}.
 *
 * <p>Damage never escapes as anything but {@link InputFormatException} from {@link #open}, and only for a file
 * whose headers cannot be read: a damaged section, CIE or FDE becomes a {@link #problems() problem} and the rest
 * is still used.
 */
public final class CallFrameInfo {
    /** Sections larger than this are not mapped (no compiler writes call frame information this large). */
    static final long MAX_SECTION = 1L << 30;
    /** Problems kept per file; the rest are counted in the last one. */
    static final int MAX_PROBLEMS = 100;

    private final Path path;
    private final String source;
    private final CfiArchitecture architecture;
    private final long loadBase;
    private final List<Table> tables = new ArrayList<>();
    private final List<Problem> problems = Collections.synchronizedList(new ArrayList<>());
    private int dropped;

    /** One section's entries, with the lookup structure built for it. */
    private static final class Table {
        final CfiEntries entries;
        EhFrameHdr hdr;
        long[] begins;
        long[] ends;
        long[] offsets;

        Table(CfiEntries entries) {
            this.entries = entries;
        }
    }

    private CallFrameInfo(Path path, CfiArchitecture architecture, long loadBase) {
        this.path = path;
        this.source = path.toString();
        this.architecture = architecture;
        this.loadBase = loadBase;
    }

    /** Reads the section table of {@code file} and maps its call frame sections. */
    public static CallFrameInfo open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ImageSections image = ImageSections.read(ch, file.toString());
            CfiArchitecture arch = image.pe() ? CfiArchitecture.ofPe(image.machine())
                    : CfiArchitecture.ofElf(image.machine());
            CallFrameInfo cfi = new CallFrameInfo(file, arch, image.loadBase());
            if (arch == null) {
                cfi.problem(Problem.atOffset(cfi.source, 0, String.format("no call frame information read: "
                        + "machine 0x%x is not x86-64, x86 or AArch64", image.machine())));
                return cfi;
            }
            cfi.load(ch, image);
            return cfi;
        }
    }

    private void load(FileChannel ch, ImageSections image) throws IOException {
        int addressSize = image.is64() ? 8 : 4;
        CfiCursor.Bases bases = bases(image);
        for (String name : List.of(".debug_frame", ".eh_frame")) {
            Optional<ImageSections.Section> s = image.section(name);
            if (s.isEmpty() && name.equals(".debug_frame")) {
                s = image.section(".zdebug_frame");
            }
            if (s.isEmpty() || s.get().fileSize() == 0) {
                continue;
            }
            try {
                CfiSection section = CfiSectionBytes.read(ch, source, s.get(), image.is64());
                tables.add(new Table(new CfiEntries(section, addressSize, bases)));
            } catch (InputFormatException e) {
                problem(Problem.of(e));
            }
        }
        Optional<ImageSections.Section> hdr = image.section(".eh_frame_hdr");
        Table eh = tables.stream().filter(t -> t.entries.section().eh()).findFirst().orElse(null);
        if (hdr.isPresent() && eh != null && hdr.get().fileSize() > 0) {
            try {
                eh.hdr = EhFrameHdr.read(CfiSectionBytes.read(ch, source, hdr.get(), image.is64()),
                        eh.entries.section().address(),
                        addressSize, bases);
            } catch (InputFormatException e) {
                problem(Problem.of(e)); // the FDEs are still found through an index of .eh_frame
            }
        }
    }

    /** textrel counts from .text, datarel (i386's .eh_frame) from the GOT; indirect pointers are read from the file. */
    private CfiCursor.Bases bases(ImageSections image) {
        long text = image.section(".text").map(ImageSections.Section::address).orElse(0L);
        long data = image.section(".got.plt").or(() -> image.section(".got"))
                .map(ImageSections.Section::address).orElse(0L);
        return new CfiCursor.Bases() {
            @Override
            public long read(long address, int size) {
                ImageSections.Section s = image.sectionAt(address).filter(x -> x.holds(address + size - 1))
                        .orElseThrow(() -> InputFormatException.atAddress(source, address,
                                "an indirect pointer inside a section of the file", "no such section"));
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                    ByteBuffer b = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    b.limit(size);
                    ch.read(b, s.fileOffset() + (address - s.address()));
                    return size == 8 ? b.getLong(0) : b.getInt(0) & 0xffff_ffffL;
                } catch (IOException e) {
                    throw InputFormatException.atAddress(source, address, "a readable indirect pointer", e.toString());
                }
            }

            @Override
            public long text() {
                return text;
            }

            @Override
            public long data() {
                return data;
            }
        };
    }

    /** The CPU whose registers the rules name, or null when the file is for another one. */
    public CfiArchitecture architecture() {
        return architecture;
    }

    /** Recoverable damage found so far (sections, CIEs, FDEs that could not be read). */
    public List<Problem> problems() {
        synchronized (problems) {
            List<Problem> out = new ArrayList<>(problems);
            if (dropped > 0) {
                out.add(Problem.atOffset(source, 0, dropped + " more call frame problems"));
            }
            return List.copyOf(out);
        }
    }

    private void problem(Problem p) {
        synchronized (problems) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(p);
            } else {
                dropped++;
            }
        }
    }

    /**
     * The rules in effect at {@code moduleOffset} (bytes from the module's load address: the first PT_LOAD
     * segment's address, or the PE ImageBase), or empty when no FDE covers it or its FDE is damaged (then a
     * problem says where).
     */
    public Optional<CfiRules> rulesAt(long moduleOffset) {
        long address = loadBase + moduleOffset;
        for (Table t : tables) {
            CfiEntries.Fde fde;
            try {
                fde = find(t, address);
            } catch (InputFormatException e) {
                problem(Problem.of(e));
                continue;
            }
            if (fde == null) {
                continue;
            }
            try {
                CfiMachine m = new CfiMachine(t.entries, fde, Ignore.INSTANCE);
                CfiMachine.State s = m.run(address);
                return Optional.of(new CfiRules(fde.pcBegin() - loadBase, fde.pcEnd() - loadBase,
                        m.location() - loadBase, architecture, s.cfa, s.registers,
                        fde.cie().returnAddressRegister(), fde.cie().signalFrame()));
            } catch (InputFormatException e) {
                problem(Problem.of(e));
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private CfiEntries.Fde find(Table t, long address) {
        if (t.hdr != null) {
            long at = t.hdr.fdeFor(address);
            if (at < 0) {
                return null;
            }
            CfiEntries.Fde fde = t.entries.fdeAt(at - t.entries.section().address());
            return covers(fde, address) ? fde : null;
        }
        index(t);
        int i = ImageSymbols.floor(t.begins, address);
        if (i < 0 || Long.compareUnsigned(address, t.ends[i]) >= 0) {
            return null;
        }
        return t.entries.fdeAt(t.offsets[i]);
    }

    private static boolean covers(CfiEntries.Fde fde, long address) {
        return Long.compareUnsigned(address, fde.pcBegin()) >= 0 && Long.compareUnsigned(address, fde.pcEnd()) < 0;
    }

    /** Builds the table's FDE range index once, in primitive arrays: begins sorted, ends and offsets beside. */
    private synchronized void index(Table t) {
        if (t.begins != null) {
            return;
        }
        long[][] cols = {new long[64], new long[64], new long[64]}; // begin, end, entry offset
        int[] n = {0};
        scan(t, f -> {
            if (n[0] == cols[0].length) {
                for (int c = 0; c < 3; c++) {
                    cols[c] = Arrays.copyOf(cols[c], n[0] * 2);
                }
            }
            cols[0][n[0]] = f.pcBegin();
            cols[1][n[0]] = f.pcEnd();
            cols[2][n[0]] = f.offset();
            n[0]++;
        });
        // sort the entry numbers by begin; FDEs are mostly in address order already
        long[] keyed = new long[n[0]];
        Integer[] order = new Integer[n[0]];
        for (int i = 0; i < n[0]; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compareUnsigned(cols[0][a], cols[0][b]));
        long[] begins = new long[n[0]];
        long[] ends = new long[n[0]];
        for (int i = 0; i < n[0]; i++) {
            begins[i] = cols[0][order[i]];
            ends[i] = cols[1][order[i]];
            keyed[i] = cols[2][order[i]];
        }
        t.ends = ends;
        t.offsets = keyed;
        t.begins = begins;
    }

    /** Every FDE of the table with a non-empty range inside the module, in section order; damage is noted. */
    private void scan(Table t, java.util.function.Consumer<CfiEntries.Fde> out) {
        CfiEntries e = t.entries;
        long offset = 0;
        while (offset < e.section().size()) {
            CfiEntries.Header h;
            try {
                h = e.header(offset);
            } catch (InputFormatException x) {
                problem(Problem.of(x)); // a length that cannot be trusted: the entries after it cannot be found
                return;
            }
            if (h.terminator()) {
                return;
            }
            offset = h.end();
            if (h.end() == h.contentStart() || h.isCie(e.section().eh())) {
                continue;
            }
            try {
                CfiEntries.Fde f = e.fde(h);
                // an FDE of code the linker discarded keeps a start of 0 (below the module) or an empty range
                if (f.pcRange() != 0 && Long.compareUnsigned(f.pcBegin(), loadBase) >= 0) {
                    out.accept(f);
                }
            } catch (InputFormatException x) {
                problem(Problem.of(x));
            }
        }
    }

    /**
     * Every FDE as Breakpad {@code STACK CFI} records, as dump_syms writes them: {@code .debug_frame}'s FDEs,
     * then {@code .eh_frame}'s, each in section order, an INIT record followed by its changes by address. An FDE
     * whose instructions break off keeps the records before the break (as dump_syms does) and adds a problem.
     */
    public List<SymbolData.StackCfi> stackCfi() {
        List<SymbolData.StackCfi> out = new ArrayList<>();
        if (architecture == null) {
            return out;
        }
        for (Table t : tables) {
            scan(t, fde -> {
                BreakpadCfi b = new BreakpadCfi(architecture, fde.pcBegin(), fde.cie().returnAddressRegister());
                try {
                    new CfiMachine(t.entries, fde, b).run(-1L);
                } catch (InputFormatException e) {
                    problem(Problem.of(e));
                }
                b.write(loadBase, fde.pcRange(), out);
            });
        }
        return out;
    }

    /** A listener for lookups, which need only the final state. */
    private enum Ignore implements CfiMachine.Listener {
        INSTANCE;

        @Override
        public void cfa(long address, CfiRules.CfaRule rule) {
        }

        @Override
        public void register(long address, int register, CfiRules.RegisterRule rule) {
        }
    }
}
