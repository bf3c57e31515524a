package org.leakscope.symbols.pdb;

import io.kaitai.struct.ByteBufferKaitaiStream;

/**
 * Turns the (section, offset) addresses of symbols and line tables into RVAs of the final binary: through the
 * section headers the DBI stream's optional debug header points at, and, for a binary whose code was reordered
 * after linking (an OMAP-ed binary, e.g. by Microsoft's BBT), through the OMAP "from source" table: there the
 * symbols use the original layout (the original section headers), and each original RVA maps to the final one
 * of the last OMAP entry at or below it plus the distance from that entry (an entry mapping to 0 drops the
 * code). The "to source" table maps the other way and is not needed for reading.
 */
final class AddressMap {
    private static final int SECTION_HEADER = 40;
    private static final int OMAP_ENTRY = 8;
    /** Real images have at most a few hundred sections (the PE format caps them at 96 for the loader). */
    private static final int MAX_SECTIONS = 65535;

    private final long[] sectionRva;
    private final long[] sectionSize;
    private final long[] sectionCharacteristics;
    private final int[] omapFrom;
    private final int[] omapTo;

    private AddressMap(long[][] sections, int[][] omap) {
        sectionRva = sections[0];
        sectionSize = sections[1];
        sectionCharacteristics = sections[2];
        omapFrom = omap[0];
        omapTo = omap[1];
    }

    static AddressMap read(MsfFile msf, DbiStream dbi) {
        int omapStream = dbi.debugStream(DbiStream.DBG_OMAP_FROM_SOURCE);
        int original = dbi.debugStream(DbiStream.DBG_ORIGINAL_SECTION_HEADERS);
        int current = dbi.debugStream(DbiStream.DBG_SECTION_HEADERS);
        boolean omap = omapStream >= 0;
        // With OMAP the symbols use the original layout; a PDB without the original headers (the reordering
        // moved code inside sections only) has one set, valid for both.
        int headers = omap && original >= 0 ? original : current;
        long[][] sections = headers < 0 ? new long[][] {new long[0], new long[0], new long[0]}
                : sections(msf.stream(headers));
        int[][] table = omap ? omap(msf.stream(omapStream)) : new int[][] {null, null};
        return new AddressMap(sections, table);
    }

    private static long[][] sections(MsfStream s) {
        long n = Math.min(s.size() / SECTION_HEADER, MAX_SECTIONS);
        long[][] out = new long[3][(int) n];
        for (int i = 0; i < n; i++) {
            PdbMsf.SectionHeader h = new PdbMsf.SectionHeader(
                    new ByteBufferKaitaiStream(s.bytes((long) i * SECTION_HEADER, SECTION_HEADER)));
            out[0][i] = h.virtualAddress();
            out[1][i] = h.virtualSize();
            out[2][i] = h.characteristics();
        }
        return out;
    }

    private static int[][] omap(MsfStream s) {
        long n = s.size() / OMAP_ENTRY;
        if (n > Integer.MAX_VALUE / 2) {
            throw s.error(0, "an OMAP table of at most " + Integer.MAX_VALUE / 2 + " entries", Long.toString(n));
        }
        int[] from = new int[(int) n];
        int[] to = new int[(int) n];
        long previous = -1;
        for (int i = 0; i < n; i++) {
            long f = s.u32((long) i * OMAP_ENTRY);
            if (f < previous) {
                throw s.error((long) i * OMAP_ENTRY, "OMAP entries sorted by address (entry " + i + " at or above 0x"
                        + Long.toHexString(previous) + ")", "0x" + Long.toHexString(f));
            }
            previous = f;
            from[i] = (int) f;
            to[i] = s.i32((long) i * OMAP_ENTRY + 4);
        }
        return new int[][] {from, to};
    }

    /** The RVA of {@code offset} in 1-based section {@code section}, or -1 when there is no such section. */
    long rva(int section, long offset) {
        if (section < 1 || section > sectionRva.length) {
            return -1;
        }
        long original = sectionRva[section - 1] + offset;
        return omapFrom == null ? original : translate(original);
    }

    /** True when 1-based {@code section} holds code (IMAGE_SCN_CNT_CODE or IMAGE_SCN_MEM_EXECUTE). */
    boolean isCode(int section) {
        return section >= 1 && section <= sectionRva.length
                && (sectionCharacteristics[section - 1] & 0x2000_0020L) != 0;
    }

    boolean hasOmap() {
        return omapFrom != null;
    }

    /** An original RVA through the OMAP table; -1 when the table drops it. */
    long translate(long original) {
        int lo = 0;
        int hi = omapFrom.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.toUnsignedLong(omapFrom[mid]) <= original) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0 || omapTo[found] == 0) {
            return -1;
        }
        return Integer.toUnsignedLong(omapTo[found]) + (original - Integer.toUnsignedLong(omapFrom[found]));
    }
}
