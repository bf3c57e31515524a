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
 * <p>The two reference tools list them differently, and {@link DumpSymsFlavor} says which to follow:
 * <ul>
 * <li>{@link DumpSymsFlavor#BREAKPAD} (Breakpad's dump_syms, through DIA): every frame-data record in stream
 *     order, then every FPO record, both kept when they start at the same address; a record equal to the one
 *     before it in type, start, size and prolog is dropped; programs exactly as stored (MSVC's end in a space).</li>
 * <li>{@link DumpSymsFlavor#MOZILLA} (mozilla's dump_syms, through the {@code pdb} crate): one list by address,
 *     the frame-data record winning over an FPO record at the same start; the same duplicate rule; sizes over
 *     2^31 (seen at the ends of functions, meaning unknown) skipped; programs trimmed. The last field of its FPO
 *     records is bit 10 of the attributes (the top bit of {@code cbRegs}), where {@code fUseBP} is bit 12, and
 *     its prolog 4 bits of cbProlog's 8: moz_basic32-min.sym prints 0 for 0x1100 (fUseBP set) and 1 for 0x1404.
 *     Reproduced only to agree with that file; {@link DumpSymsFlavor#BREAKPAD} reads the real flag.</li>
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

    private StackWinRecords() {
    }

    /**
     * What {@link PdbSymbols#toSymbolData()} writes: {@link DumpSymsFlavor#BREAKPAD}'s list, programs from the
     * PDB's {@code /names}. Damage throws {@link InputFormatException}, which toSymbolData records as a problem.
     */
    static List<SymbolData.StackWin> read(MsfFile pdb, DbiStream dbi, AddressMap addresses) {
        return read(pdb, dbi, StringTable.read(pdb, PdbInfo.read(pdb)), addresses, DumpSymsFlavor.BREAKPAD);
    }

    /**
     * The STACK WIN records of an open PDB: its FPO and new-FPO streams (an x64 PDB has neither: no records),
     * programs from {@code names}, starts through the OMAP when there is one.
     */
    static List<SymbolData.StackWin> read(MsfFile msf, DbiStream dbi, StringTable names, AddressMap addresses,
            DumpSymsFlavor flavor) {
        return read(debugStream(msf, dbi, DbiStream.DBG_FPO), debugStream(msf, dbi, DbiStream.DBG_NEW_FPO),
                names::get, addresses.hasOmap() ? addresses::translate : LongUnaryOperator.identity(), flavor);
    }

    private static MsfStream debugStream(MsfFile msf, DbiStream dbi, int which) {
        int index = dbi.debugStream(which);
        return index >= 0 && msf.hasStream(index) ? msf.stream(index) : null;
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
            LongUnaryOperator toImage, DumpSymsFlavor flavor) {
        Records news = Records.frameData(frameData);
        Records olds = Records.fpo(fpo);
        List<SymbolData.StackWin> out = new ArrayList<>((int) Math.min(news.count + olds.count, 1 << 20));
        Raw last = null;
        // records are decoded one at a time, in the chosen order: nothing but the output is held
        long n = 0;
        long o = 0;
        while (n < news.count || o < olds.count) {
            Raw r;
            if (flavor == DumpSymsFlavor.BREAKPAD) {
                r = n < news.count ? news.get(n++) : olds.get(o++);
            } else if (o == olds.count) {
                r = news.get(n++);
            } else if (n == news.count) {
                r = olds.get(o++);
            } else {
                Raw a = news.get(n);
                Raw b = olds.get(o);
                if (a.start <= b.start) {
                    n++;
                    o += a.start == b.start ? 1 : 0;
                    r = a;
                } else {
                    o++;
                    r = b;
                }
            }
            if (flavor == DumpSymsFlavor.MOZILLA && r.codeSize > Integer.MAX_VALUE) {
                continue;
            }
            if (last != null && r.type == last.type && r.start == last.start && r.codeSize == last.codeSize
                    && r.prolog == last.prolog) {
                continue;
            }
            last = r;
            long rva = toImage.applyAsLong(r.start);
            if (rva >= 0) {
                out.add(record(r, rva, programs, frameData, flavor));
            }
        }
        return out;
    }

    private static SymbolData.StackWin record(Raw r, long rva, LongFunction<String> programs, MsfStream frameData,
            DumpSymsFlavor flavor) {
        String program = null;
        if (r.program >= 0) {
            program = programs.apply(r.program);
            if (program == null) {
                throw frameData.error(r.at, "a program string offset inside /names", "0x"
                        + Long.toHexString(r.program));
            }
            if (flavor == DumpSymsFlavor.MOZILLA) {
                program = program.strip();
            }
        }
        boolean usesBp = (r.fpoBits & (flavor == DumpSymsFlavor.BREAKPAD ? 0x1000 : 0x400)) != 0;
        // the pdb crate also reads an FPO prolog as 4 bits of cbProlog's 8
        long prolog = flavor == DumpSymsFlavor.MOZILLA && r.program < 0 ? r.prolog & 0xF : r.prolog;
        return new SymbolData.StackWin(r.type, rva, r.codeSize, prolog, 0, r.params, r.savedRegs, r.locals,
                r.maxStack, program != null, program, usesBp);
    }

    /** One record of either stream, in the units of STACK WIN (bytes). */
    private record Raw(long at, int type, long start, long codeSize, long prolog, long params, long savedRegs,
            long locals, long maxStack, long program, int fpoBits) {
    }

    /** The records of one stream, decoded on request. */
    private static final class Records {
        private final MsfStream stream;
        private final long first;
        private final long count;
        private final boolean frameData;

        private Records(MsfStream stream, long first, long count, boolean frameData) {
            this.stream = stream;
            this.first = first;
            this.count = count;
            this.frameData = frameData;
        }

        static Records frameData(MsfStream s) {
            if (s == null) {
                return new Records(null, 0, 0, true);
            }
            long size = s.size();
            // LLVM's reader allows a 4-byte relocation field before the records; MSVC's linker writes none
            long first = size % FRAME_DATA_SIZE == 4 ? 4 : 0;
            if ((size - first) % FRAME_DATA_SIZE != 0) {
                throw s.error(0, "a frame data stream of whole 32-byte FRAMEDATA records", size + " bytes");
            }
            return new Records(s, first, (size - first) / FRAME_DATA_SIZE, true);
        }

        static Records fpo(MsfStream s) {
            if (s == null) {
                return new Records(null, 0, 0, false);
            }
            if (s.size() % FPO_SIZE != 0) {
                throw s.error(0, "an FPO stream of whole 16-byte FPO_DATA records", s.size() + " bytes");
            }
            return new Records(s, 0, s.size() / FPO_SIZE, false);
        }

        Raw get(long i) {
            if (frameData) {
                long at = first + i * FRAME_DATA_SIZE;
                PdbTypes.FrameData f = new PdbTypes.FrameData(new ByteBufferKaitaiStream(
                        stream.bytes(at, FRAME_DATA_SIZE)));
                return new Raw(at, 4, f.ofsStart(), f.lenBlock(), f.lenProlog(), f.lenParams(), f.lenSavedRegs(),
                        f.lenLocals(), f.maxStack(), f.ofsProgram(), 0);
            }
            long at = i * FPO_SIZE;
            PdbTypes.FpoData f = new PdbTypes.FpoData(new ByteBufferKaitaiStream(stream.bytes(at, FPO_SIZE)));
            return new Raw(at, f.frameType(), f.ofsStart(), f.lenProc(), f.lenProlog(), f.numParamsDwords() * 4L,
                    f.numSavedRegs() * 4L, f.numLocalsDwords() * 4, 0, -1, f.attributes());
        }
    }
}
