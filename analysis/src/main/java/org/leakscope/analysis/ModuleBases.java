package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.model.Hex;
import org.leakscope.stackwalk.CallInstructions;
import org.leakscope.symbols.PeCode;

/**
 * Where a module was loaded, recovered from return addresses alone, for logs that print no module list (the
 * original resmon: {@code returnAddress 0x000000014000C26B} and nothing else). A load address fits when every
 * return address it puts inside the image ends a call instruction there ({@link CallInstructions}). Candidates
 * are the addresses that put at least one return address inside the image, aligned as Windows aligns a user-mode
 * image (64 KiB, the allocation granularity; 4 KiB pages for a driver); the preferred ImageBase is one of them
 * whenever it holds any return address. Of the fitting bases the one holding the most return addresses wins;
 * return addresses outside it (in another module) are listed, not counted against it. Refused: no base fits, the
 * best holds a single return address of several (a chance match of one call is too likely to name functions by),
 * or several bases hold equally many.
 */
final class ModuleBases {
    /** Windows maps a user-mode image at a multiple of its allocation granularity. */
    static final long USER_ALIGNMENT = 0x10000;
    /** A driver's image starts at a page boundary. */
    static final long KERNEL_ALIGNMENT = 0x1000;
    /** Distinct return addresses examined; a report has a few hundred at most. */
    static final int MAX_SITES = 4096;
    /** Candidate (return address, base) pairs checked: bounds the search for a huge image with many sites. */
    static final long MAX_CHECKS = 4_000_000;
    /** Return addresses listed in a reason. */
    private static final int SHOWN = 3;

    private ModuleBases() {
    }

    /** The outcome of the search. */
    sealed interface Result permits Placed, Refused {
    }

    /**
     * One base fits.
     *
     * @param base    the load address
     * @param inside  how many distinct return addresses it holds, each after a call
     * @param outside the return addresses outside the image at that base, unsigned ascending
     */
    record Placed(long base, int inside, List<Long> outside) implements Result {
    }

    /** No base, or several, fit: {@code reason} says which and, briefly, why. */
    record Refused(String reason) implements Result {
    }

    /** What the search reads of the PE image. */
    record Image(long imageBase, long imageSize, boolean is64, PeCode code) {
    }

    /**
     * Finds the load address of {@code image} that the return addresses fit.
     *
     * @param sites     the run's return addresses (any order, repeats allowed)
     * @param alignment {@link #USER_ALIGNMENT} or {@link #KERNEL_ALIGNMENT}
     */
    static Result find(Image image, List<Long> sites, long alignment) {
        long size = image.imageSize();
        if (size <= 0) {
            return new Refused("its SizeOfImage is 0");
        }
        long[] s = sites.stream().mapToLong(Long::longValue).distinct().toArray();
        if (s.length == 0) {
            return new Refused("the run has no return addresses");
        }
        if (s.length > MAX_SITES) {
            return new Refused(s.length + " distinct return addresses, more than the " + MAX_SITES + " examined");
        }
        long perSite = (size + alignment - 1) / alignment;
        if (perSite * s.length > MAX_CHECKS) {
            return new Refused(s.length + " return addresses x " + perSite + " candidate bases each is more than the "
                    + MAX_CHECKS + " checks allowed");
        }
        s = sortedUnsigned(s);
        Map<Long, Integer> fits = new HashMap<>();
        for (long site : s) {
            for (long rva = site & (alignment - 1); rva < size; rva += alignment) {
                if (Long.compareUnsigned(site, rva) < 0) {
                    break; // the base would be below 0
                }
                if (follows(image, rva)) {
                    fits.merge(site - rva, 1, Integer::sum);
                }
            }
        }
        List<Long> best = new ArrayList<>();
        int bestCount = 0;
        for (Map.Entry<Long, Integer> e : fits.entrySet()) {
            int count = e.getValue();
            if (count != inside(s, e.getKey(), size)) {
                continue; // some return address inside the image does not follow a call there
            }
            if (count > bestCount) {
                best.clear();
                bestCount = count;
            }
            if (count == bestCount) {
                best.add(e.getKey());
            }
        }
        best.sort(Long::compareUnsigned);
        if (best.isEmpty()) {
            return new Refused("no load address puts its return addresses after call instructions; "
                    + misfits(image, s, probe(image, s)));
        }
        if (best.size() > 1) {
            return new Refused(best.size() + " load addresses fit equally well (" + list(best, SHOWN) + "), each"
                    + " holding " + plural(bestCount) + ": the log has too few to tell");
        }
        if (bestCount == 1 && s.length > 1) {
            return new Refused("at most one of the " + s.length + " return addresses follows a call at any load"
                    + " address (at " + Hex.of(best.get(0)) + "); a single match may be chance; "
                    + misfits(image, s, probe(image, s)));
        }
        long base = best.get(0);
        List<Long> outside = new ArrayList<>();
        for (long site : s) {
            if (!within(site, base, size)) {
                outside.add(site);
            }
        }
        return new Placed(base, bestCount, outside);
    }

    /** Whether the bytes before {@code rva} end a call instruction. */
    private static boolean follows(Image image, long rva) {
        byte[] before = image.code().before(rva, CallInstructions.MAX_LENGTH);
        return CallInstructions.form(before, rva, image.imageSize(), image.imageBase(), image.is64(),
                image.code()::contains) != null;
    }

    /** The base a refusal explains: the preferred ImageBase when it holds any return address, else the fullest. */
    private static long probe(Image image, long[] s) {
        long size = image.imageSize();
        if (inside(s, image.imageBase(), size) > 0) {
            return image.imageBase();
        }
        long best = image.imageBase();
        int most = 0;
        for (long site : s) {
            long base = site - (site & (USER_ALIGNMENT - 1));
            int n = inside(s, base, size);
            if (n > most) {
                most = n;
                best = base;
            }
        }
        return best;
    }

    /** "at 0x140000000 (the preferred base): 0x140001663 follows no call; 2 more do not" and the like. */
    private static String misfits(Image image, long[] s, long base) {
        long size = image.imageSize();
        List<String> why = new ArrayList<>();
        int in = 0;
        int bad = 0;
        for (long site : s) {
            if (!within(site, base, size)) {
                continue;
            }
            in++;
            long rva = site - base;
            if (follows(image, rva)) {
                continue;
            }
            if (bad++ < SHOWN) {
                why.add(Hex.of(site) + " (RVA " + Hex.of(rva) + (image.code().contains(rva) ? ") follows no call"
                        : ") is not in its code"));
            }
        }
        String at = "at " + Hex.of(base) + (base == image.imageBase() ? " (its preferred base)" : "") + ", ";
        if (bad == 0) {
            return at + plural(in) + " inside, each after a call";
        }
        return at + String.join(", ", why) + (bad > SHOWN ? ", " + (bad - SHOWN) + " more" : "") + " ("
                + bad + " of the " + in + " inside)";
    }

    /** How many of the sorted return addresses lie in [base, base + size). */
    static int inside(long[] sorted, long base, long size) {
        long end = base + size;
        int upper = Long.compareUnsigned(end, base) < 0 ? sorted.length : lowerBound(sorted, end); // at 2^64
        return upper - lowerBound(sorted, base);
    }

    private static boolean within(long site, long base, long size) {
        return Long.compareUnsigned(site, base) >= 0 && Long.compareUnsigned(site - base, size) < 0;
    }

    /** The first index whose value is unsigned-not-below {@code v}. */
    private static int lowerBound(long[] sorted, long v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted[mid], v) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long[] sortedUnsigned(long[] s) {
        Long[] boxed = Arrays.stream(s).boxed().toArray(Long[]::new);
        Arrays.sort(boxed, Long::compareUnsigned);
        return Arrays.stream(boxed).mapToLong(Long::longValue).toArray();
    }

    /** Up to {@code n} addresses, then how many more. */
    static String list(List<Long> addresses, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(n, addresses.size()); i++) {
            b.append(i == 0 ? "" : ", ").append(Hex.of(addresses.get(i)));
        }
        return addresses.size() > n ? b + " and " + (addresses.size() - n) + " more" : b.toString();
    }

    private static String plural(int n) {
        return n + " return address" + (n == 1 ? "" : "es");
    }
}
