package org.leakscope.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Modules sorted by base address, for address → module lookups in O(log n). */
public final class ModuleMap {
    private static final ModuleMap EMPTY = new ModuleMap(List.of());

    private final List<Module> modules;
    /** Each module's name, made once: a big snapshot has millions of frames naming a few hundred modules. */
    private final String[] names;
    /** Bases and sizes in arrays: a lookup per frame line of a 1 GB log walks these, not Module records. */
    private final long[] bases;
    private final long[] sizes;
    /** No two modules overlap: the one holding an address is the last starting at or below it. */
    private final boolean disjoint;
    /**
     * For disjoint modules, the module of each 64 KiB page they touch ({@link PageIndex}: an array over their
     * span, or a table of the pages when they lie far apart): a page wholly inside one module answers with one
     * load. A search over a few dozen modules took ~50 ns per frame line (its steps depend on each other and on
     * unpredictable comparisons): a third of reading a 1 GB log of 3 million stacks. Null when the modules span
     * too many pages to index.
     */
    private final PageIndex pages;

    private ModuleMap(List<Module> sorted) {
        this.modules = sorted;
        this.names = new String[sorted.size()];
        this.bases = new long[sorted.size()];
        this.sizes = new long[sorted.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = sorted.get(i).name();
            bases[i] = sorted.get(i).base();
            sizes[i] = sorted.get(i).size();
        }
        boolean d = true;
        for (int i = 1; i < bases.length && d; i++) {
            d = Long.compareUnsigned(bases[i] - bases[i - 1], sizes[i - 1]) >= 0
                    && Long.compareUnsigned(bases[i - 1] + sizes[i - 1], bases[i - 1]) >= 0; // no wrap past 2^64
        }
        this.disjoint = d;
        this.pages = d ? PageIndex.of(bases, sizes) : null;
    }

    public static ModuleMap empty() {
        return EMPTY;
    }

    public static ModuleMap of(List<Module> modules) {
        List<Module> sorted = new ArrayList<>(modules);
        sorted.sort((a, b) -> Long.compareUnsigned(a.base(), b.base()));
        return new ModuleMap(List.copyOf(sorted));
    }

    /** Sorted by base address. */
    public List<Module> modules() {
        return modules;
    }

    /** The module whose range holds the address. */
    public Optional<Module> find(long address) {
        int i = indexOf(address);
        return i < 0 ? Optional.empty() : Optional.of(modules.get(i));
    }

    /** The index in {@link #modules} of the module whose range holds the address, or -1. */
    public int indexOf(long address) {
        if (pages != null) {
            int i = pages.moduleAt(address);
            if (i != PageIndex.SHARED) {
                return i;
            }
        }
        return search(address);
    }

    /**
     * Binary search; for overlapping modules (a damaged module list) the first holder met is the answer. Disjoint
     * modules ask it only for pages that several modules (or a module and a gap) share.
     */
    int search(long address) {
        int lo = 0;
        int hi = bases.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long base = bases[mid];
            if (Long.compareUnsigned(address, base) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(address - base, sizes[mid]) < 0) { // Module.contains
                return mid;
            } else {
                lo = mid + 1;
            }
        }
        return -1;
    }

    /** The base address of the module at {@code index}. */
    public long base(int index) {
        return bases[index];
    }

    /** The name of the module at {@code index}. */
    public String name(int index) {
        return names[index];
    }

    /** The frame for an address with module and offset filled in where a module holds it. */
    public Frame frame(long address) {
        int i = indexOf(address);
        Frame f = Frame.unresolved(address);
        return i < 0 ? f : f.withModule(names[i], address - modules.get(i).base());
    }
}
