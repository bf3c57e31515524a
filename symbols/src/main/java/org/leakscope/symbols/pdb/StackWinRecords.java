package org.leakscope.symbols.pdb;

import io.kaitai.struct.ByteBufferKaitaiStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;
import org.leakscope.model.InputFormatException;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * x86 unwinding data of a PDB as Breakpad {@code STACK WIN} records: the DBI debug header's FPO stream
 * ({@code FPO_DATA}, 16 bytes each: type 0 records, with the "allocates base pointer" flag) and its new-FPO
 * stream ({@code FRAMEDATA}, 32 bytes each: type 4 records, whose postfix program is a string in {@code /names}).
 *
 * <p>The two reference tools list them differently, and {@link Flavor} says which to follow:
 * <ul>
 * <li>{@link Flavor#BREAKPAD} (Breakpad's dump_syms, through DIA): every frame-data record in stream order, then every
 *     FPO record, both kept when they start at the same address; a record equal to the one before it in type,
 *     start, size and prolog is dropped; programs exactly as stored (MSVC's end in a space).</li>
 * <li>{@link Flavor#MOZILLA} (mozilla's dump_syms, through the {@code pdb} crate): one list by address, the
 *     frame-data record winning over an FPO record at the same start; the same duplicate rule; sizes over 2^31
 *     (seen at the ends of functions, meaning unknown) skipped; programs trimmed. Its last field of an FPO record
 *     is bit 10 of the attributes (the top bit of {@code cbRegs}), where {@code fUseBP} is bit 12 (and its prolog 4
 *     bits of 8): moz_basic32-min.sym
 *     prints 0 for 0x1100 (fUseBP set) and 1 for 0x1404. Reproduced only to check against that file; the
 *     {@link Flavor#BREAKPAD} flavor reads the real flag.</li>
 * </ul>
 * A Breakpad processor looks frame data up before FPO data, so both orders unwind alike.
 *
 * <p>Addresses go through {@code toImage} (the OMAP of a binary reordered after linking): only a record's start
 * is translated, as DIA does; a start that maps nowhere ({@code toImage} gives -1) drops the record.
 */
public final class StackWinRecords {
    /** {@code sizeof(FPO_DATA)}. */
    static final int FPO_SIZE = 16;
    /** {@code sizeof(FRAMEDATA)}. */
    static final int FRAME_DATA_SIZE = 32;
    /** The longest program read from {@code /names}; real ones are under 200 bytes. */
    static final int MAX_PROGRAM = 4096;

    /** Which reference tool's list to produce: see the class comment. */
    public enum Flavor {
        BREAKPAD, MOZILLA
    }

    private StackWinRecords() {
    }

    /**
     * Reads both streams.
     *
     * @param fpo       the FPO stream (debug header entry 0), or null
     * @param frameData the new-FPO stream (debug header entry 9), or null
     * @param programs  the {@code /names} string at a byte offset (the FRAMEDATA's {@code frameFunc})
     * @param toImage   PDB RVA to image RVA; {@code LongUnaryOperator.identity()} without OMAP
     * @param flavor    which tool's list to reproduce
     * @throws InputFormatException when a stream's size is not a whole number of records, or a program string is
     *                              missing
     */
    public static List<SymbolData.StackWin> read(MsfStream fpo, MsfStream frameData, LongFunction<String> programs,
            LongUnaryOperator toImage, Flavor flavor) {
        List<Raw> news = frameData == null ? List.of() : frameData(frameData);
        List<Raw> olds = fpo == null ? List.of() : fpo(fpo);
        List<Raw> all;
        if (flavor == Flavor.BREAKPAD) {
            all = new ArrayList<>(news);
            all.addAll(olds);
        } else {
            all = merged(news, olds);
        }
        List<SymbolData.StackWin> out = new ArrayList<>(all.size());
        Raw last = null;
        for (Raw r : all) {
            if (flavor == Flavor.MOZILLA && r.codeSize > Integer.MAX_VALUE) {
                continue;
            }
            if (last != null && r.type == last.type && r.start == last.start && r.codeSize == last.codeSize
                    && r.prolog == last.prolog) {
                continue;
            }
            last = r;
            long rva = toImage.applyAsLong(r.start);
            if (rva < 0) {
                continue;
            }
            String program = null;
            if (r.program >= 0) {
                program = programs.apply(r.program);
                if (program == null) {
                    throw frameData.error(r.at, "a program string offset inside /names", "0x"
                            + Long.toHexString(r.program));
                }
                if (flavor == Flavor.MOZILLA) {
                    program = program.strip();
                }
            }
            boolean usesBp = (r.fpoBits & (flavor == Flavor.BREAKPAD ? 0x1000 : 0x400)) != 0;
            // the pdb crate also reads an FPO prolog as 4 bits of cbProlog's 8
            long prolog = flavor == Flavor.MOZILLA && r.program < 0 ? r.prolog & 0xF : r.prolog;
            out.add(new SymbolData.StackWin(r.type, rva, r.codeSize, prolog, 0, r.params, r.savedRegs, r.locals,
                    r.maxStack, program != null, program, usesBp));
        }
        return out;
    }

    /** One record of either stream, in the units of STACK WIN (bytes). */
    private record Raw(long at, int type, long start, long codeSize, long prolog, long params, long savedRegs,
            long locals, long maxStack, long program, int fpoBits) {
    }

    private static List<Raw> frameData(MsfStream s) {
        long size = s.size();
        // LLVM's reader allows a 4-byte relocation field before the records; MSVC's linker writes none
        long first = size % FRAME_DATA_SIZE == 4 ? 4 : 0;
        if ((size - first) % FRAME_DATA_SIZE != 0) {
            throw s.error(0, "a frame data stream of whole 32-byte FRAMEDATA records", size + " bytes");
        }
        List<Raw> out = new ArrayList<>((int) Math.min((size - first) / FRAME_DATA_SIZE, 1 << 20));
        for (long at = first; at < size; at += FRAME_DATA_SIZE) {
            PdbTypes.FrameData f = new PdbTypes.FrameData(new ByteBufferKaitaiStream(s.bytes(at, FRAME_DATA_SIZE)));
            out.add(new Raw(at, 4, f.ofsStart(), f.lenBlock(), f.lenProlog(), f.lenParams(), f.lenSavedRegs(),
                    f.lenLocals(), f.maxStack(), f.ofsProgram(), 0));
        }
        return out;
    }

    private static List<Raw> fpo(MsfStream s) {
        long size = s.size();
        if (size % FPO_SIZE != 0) {
            throw s.error(0, "an FPO stream of whole 16-byte FPO_DATA records", size + " bytes");
        }
        List<Raw> out = new ArrayList<>((int) Math.min(size / FPO_SIZE, 1 << 20));
        for (long at = 0; at < size; at += FPO_SIZE) {
            PdbTypes.FpoData f = new PdbTypes.FpoData(new ByteBufferKaitaiStream(s.bytes(at, FPO_SIZE)));
            out.add(new Raw(at, f.frameType(), f.ofsStart(), f.lenProc(), f.lenProlog(), f.numParamsDwords() * 4L,
                    f.numSavedRegs() * 4L, f.numLocalsDwords() * 4, 0, -1, f.attributes()));
        }
        return out;
    }

    private static List<Raw> merged(List<Raw> news, List<Raw> olds) {
        List<Raw> out = new ArrayList<>(news.size() + olds.size());
        int n = 0;
        int o = 0;
        while (n < news.size() || o < olds.size()) {
            if (o == olds.size()) {
                out.add(news.get(n++));
            } else if (n == news.size()) {
                out.add(olds.get(o++));
            } else {
                int cmp = Long.compare(news.get(n).start, olds.get(o).start);
                if (cmp <= 0) {
                    if (cmp == 0) {
                        o++;
                    }
                    out.add(news.get(n++));
                } else {
                    out.add(olds.get(o++));
                }
            }
        }
        return out;
    }
}
