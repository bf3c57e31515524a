package org.leakscope.symbols.dwarf;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CIEs and FDEs of one {@code .eh_frame} or {@code .debug_frame} section. The two differ in small ways that
 * matter: a CIE's id is 0 in {@code .eh_frame} and all ones in {@code .debug_frame}; an FDE's CIE pointer counts
 * back from the pointer itself in {@code .eh_frame} and from the section start in {@code .debug_frame}; a zero
 * length ends {@code .eh_frame} (crtend's terminator) but is only an empty entry in {@code .debug_frame}; and
 * {@code .eh_frame} addresses use the CIE's {@code R} encoding where {@code .debug_frame} ones are plain
 * addresses. Lengths of {@code 0xffffffff} announce 64-bit DWARF (an 8-byte length and CIE pointer).
 *
 * <p>An FDE's CIE pointer must land on a CIE: one landing on an FDE or outside the section is an error, so
 * chains cannot loop. Each CIE is parsed once.
 */
final class CfiEntries {
    private final CfiSection section;
    private final int addressSize;
    private final CfiCursor.Bases bases;
    private final Map<Long, Cie> cies = new ConcurrentHashMap<>(); // lookups may come from several threads

    CfiEntries(CfiSection section, int addressSize, CfiCursor.Bases bases) {
        this.section = section;
        this.addressSize = addressSize;
        this.bases = bases;
    }

    CfiSection section() {
        return section;
    }

    CfiCursor.Bases bases() {
        return bases;
    }

    /**
     * A Common Information Entry.
     *
     * @param instructionsStart section offset of the initial instructions
     * @param instructionsEnd   section offset just past them (the entry's end)
     * @param fdeEncoding       the {@code R} augmentation's pointer encoding (absptr without one)
     * @param signalFrame       the {@code S} augmentation: the frame is a signal handler's, its pc not a return
     */
    record Cie(long offset, int version, String augmentation, int addressSize, long codeAlign, long dataAlign,
            int returnAddressRegister, int fdeEncoding, boolean augmentationData, boolean signalFrame,
            long instructionsStart, long instructionsEnd) {
    }

    /** A Frame Description Entry: the code range {@code [pcBegin, pcBegin + pcRange)} and its instructions. */
    record Fde(long offset, Cie cie, long pcBegin, long pcRange, long instructionsStart, long instructionsEnd) {
        long pcEnd() {
            return pcBegin + pcRange;
        }
    }

    /** The header of the entry at {@code offset}: where its content starts and ends and its CIE id field. */
    record Header(long offset, long contentStart, long end, long id, long idAt, boolean dwarf64, boolean terminator) {
        boolean isCie(boolean eh) {
            return eh ? id == 0 : dwarf64 ? id == -1L : id == 0xffff_ffffL;
        }
    }

    Header header(long offset) {
        CfiCursor c = new CfiCursor(section, offset, section.size());
        long length = c.u32();
        boolean dwarf64 = false;
        if (length == 0xffff_ffffL) {
            length = c.u64();
            dwarf64 = true;
        } else if (length >= 0xffff_fff0L) {
            throw section.error(offset, "an entry length (or 0xffffffff for 64-bit DWARF)",
                    String.format("the reserved value 0x%x", length));
        }
        long contentStart = c.position();
        if (length == 0) {
            return new Header(offset, contentStart, contentStart, 0, contentStart, dwarf64, section.eh());
        }
        if (length < 0 || length > section.size() - contentStart) {
            throw section.error(offset, "an entry inside the " + section.size() + "-byte section",
                    Long.toUnsignedString(length) + " bytes from offset " + contentStart);
        }
        long end = contentStart + length;
        CfiCursor idc = new CfiCursor(section, contentStart, end);
        long id = idSize(dwarf64) == 8 ? idc.u64() : idc.u32();
        return new Header(offset, contentStart, end, id, contentStart, dwarf64, false);
    }

    /** The CIE id / CIE pointer's size: 8 in 64-bit .debug_frame, always 4 in .eh_frame (LSB, gimli, LLVM). */
    private int idSize(boolean dwarf64) {
        return dwarf64 && !section.eh() ? 8 : 4;
    }

    /** The CIE at {@code offset} (parsed once). */
    Cie cie(long offset) {
        Cie known = cies.get(offset);
        if (known != null) {
            return known;
        }
        if (offset < 0 || offset >= section.size()) {
            throw section.error(0, "a CIE pointer inside the section", "offset " + offset);
        }
        Header h = header(offset);
        if (h.terminator() || h.end() == h.contentStart() || !h.isCie(section.eh())) {
            throw section.error(offset, "a CIE", h.end() == h.contentStart() ? "an empty entry" : "an FDE");
        }
        Cie cie = parseCie(h);
        cies.put(offset, cie);
        return cie;
    }

    private Cie parseCie(Header h) {
        CfiCursor c = new CfiCursor(section, h.contentStart() + idSize(h.dwarf64()), h.end());
        int version = c.u8();
        if (version != 1 && version != 3 && version != 4) {
            throw section.error(h.offset(), "a CIE of version 1, 3 or 4", "version " + version);
        }
        String aug = c.string();
        int addrSize = addressSize;
        if (version >= 4) {
            addrSize = c.u8();
            int segmentSize = c.u8();
            if (addrSize != 4 && addrSize != 8 || segmentSize != 0) {
                throw section.error(h.offset(), "an address size of 4 or 8 and no segment selector",
                        addrSize + "-byte addresses, " + segmentSize + "-byte segments");
            }
        }
        if (aug.startsWith("eh")) {
            c.skip(addrSize); // GCC 2.x: the address of the exception table follows
        }
        long codeAlign = c.uleb();
        long dataAlign = c.sleb();
        int ra = version == 1 ? c.u8() : (int) Math.min(c.uleb(), Integer.MAX_VALUE);
        int fdeEncoding = 0;
        boolean signal = false;
        boolean hasData = aug.startsWith("z");
        if (hasData) {
            long len = c.uleb();
            long dataEnd = c.position() + len;
            if (len > c.limit() - c.position()) {
                throw c.error("augmentation data inside the CIE", len + " bytes");
            }
            for (int i = 1; i < aug.length(); i++) {
                char a = aug.charAt(i);
                if (a == 'R') {
                    fdeEncoding = c.u8();
                } else if (a == 'P') {
                    int enc = c.u8();
                    c.pointer(enc & 0x7f, addrSize, bases, 0); // the personality routine: not needed, not followed
                } else if (a == 'L') {
                    c.u8(); // the LSDA's encoding: the FDE's augmentation data is skipped by its length
                } else if (a == 'S') {
                    signal = true;
                } else if (a != 'B' && a != 'G') {
                    break; // unknown: the length says where the instructions start (B: BTI, G: MTE carry no data)
                }
            }
            c.seek(dataEnd);
        } else if (!aug.equals("eh")) {
            // Without 'z' only letters that carry no data can be read past: gas writes "S" in .debug_frame.
            for (char a : aug.toCharArray()) {
                if (a == 'S') {
                    signal = true;
                } else if (a != 'B' && a != 'G') {
                    throw section.error(h.offset(), "a CIE augmentation this reader knows (z..., S, eh or none)",
                            "\"" + aug + "\"");
                }
            }
        }
        return new Cie(h.offset(), version, aug, addrSize, codeAlign, dataAlign, ra, fdeEncoding, hasData, signal,
                c.position(), h.end());
    }

    /** The FDE whose header is {@code h}. */
    Fde fde(Header h) {
        long cieOffset = section.eh() ? h.idAt() - h.id() : h.id();
        if (section.eh() && h.id() > h.idAt() || !section.eh() && h.id() >= section.size()) {
            throw section.error(h.idAt(), "a CIE pointer inside the section", "0x" + Long.toHexString(h.id()));
        }
        Cie cie = cie(cieOffset);
        CfiCursor c = new CfiCursor(section, h.contentStart() + idSize(h.dwarf64()), h.end());
        long begin;
        long range;
        if (section.eh()) {
            begin = c.pointer(cie.fdeEncoding(), cie.addressSize(), bases, 0);
            range = c.pointer(cie.fdeEncoding() & 0x0f, cie.addressSize(), bases, 0);
        } else {
            begin = c.unsigned(cie.addressSize());
            range = c.unsigned(cie.addressSize());
        }
        if (cie.augmentationData()) {
            long len = c.uleb();
            c.skip(len); // the LSDA pointer: exception tables, not unwinding
        }
        return new Fde(h.offset(), cie, begin, range, c.position(), h.end());
    }

    /** The FDE at {@code offset}, which must be one. */
    Fde fdeAt(long offset) {
        if (offset < 0 || offset >= section.size()) {
            throw section.error(0, "an FDE inside the section", "offset " + offset);
        }
        Header h = header(offset);
        if (h.terminator() || h.end() == h.contentStart() || h.isCie(section.eh())) {
            throw section.error(offset, "an FDE", h.terminator() ? "the terminator" : "a CIE or an empty entry");
        }
        return fde(h);
    }
}
