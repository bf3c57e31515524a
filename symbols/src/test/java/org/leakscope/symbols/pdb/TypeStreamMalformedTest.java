package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * The real TPI, FPO and frame-data streams of bp_dump_syms_regtest.pdb, damaged (bytes flipped, records cut,
 * lengths made absurd; seeded, so a failure repeats): every procedure still gets a name (its own when its types
 * are damaged), the STACK WIN reader gives records or an InputFormatException, never another exception, and
 * nothing hangs.
 */
class TypeStreamMalformedTest {
    private static final int ROUNDS = 60;

    @TempDir
    Path dir;

    @Test
    void damagedTypeRecordsGiveNamesOrThePlainName() throws Exception {
        byte[] tpi;
        List<ProcedureNames.Procedure> procs = new ArrayList<>();
        try (MsfFile msf = MsfFile.open(Required.corpusFile("pdb/bp_dump_syms_regtest.pdb"))) {
            tpi = msf.stream(2).bytes(0, msf.stream(2).size());
            for (PdbModule m : DbiStream.read(msf).modules()) {
                ModuleSymbols.read(msf, m).procs.forEach(p -> procs.add(p.procedure()));
            }
        }
        Random random = new Random(15);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] bad = damage(tpi, random, TypeStream.HEADER_SIZE);
            Path pdb = TestTypeStreams.write(dir, "t" + round + ".pdb", List.of(new byte[0], new byte[0], bad));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try (MsfFile msf = MsfFile.open(pdb)) {
                    TypeStream types;
                    try {
                        types = TypeStream.open(msf.stream(2));
                    } catch (InputFormatException e) {
                        return; // a damaged header: the hook falls back to plain names for the file
                    }
                    TypeRecordNames names = new TypeRecordNames(types, null, n -> null);
                    for (ProcedureNames.Procedure p : procs) {
                        String n = names.name(p);
                        assertEquals(true, n.contains(p.name()), n);
                    }
                }
            });
        }
    }

    @Test
    void damagedFrameStreamsGiveRecordsOrAnInputFormatError() throws Exception {
        byte[] fpo;
        byte[] frames;
        List<byte[]> names = new ArrayList<>();
        try (MsfFile msf = MsfFile.open(Required.corpusFile("pdb/bp_dump_syms_regtest.pdb"))) {
            DbiStream dbi = DbiStream.read(msf);
            MsfStream f = msf.stream(dbi.debugStream(DbiStream.DBG_FPO));
            MsfStream n = msf.stream(dbi.debugStream(DbiStream.DBG_NEW_FPO));
            fpo = f.bytes(0, f.size());
            frames = n.bytes(0, n.size());
            MsfStream s = msf.stream(PdbInfo.read(msf).namedStream("/names"));
            names.add(s.bytes(0, s.size()));
        }
        Random random = new Random(16);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] badFpo = damage(fpo, random, 0);
            byte[] badFrames = damage(frames, random, 0);
            Path pdb = TestTypeStreams.write(dir, "f" + round + ".pdb", List.of(new byte[0], badFpo, badFrames,
                    names.get(0)));
            DumpSymsFlavor flavor = round % 2 == 0 ? DumpSymsFlavor.BREAKPAD
                    : DumpSymsFlavor.MOZILLA;
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try (MsfFile msf = MsfFile.open(pdb)) {
                    MsfStream strings = msf.stream(3);
                    long size = strings.u32(8);
                    List<SymbolData.StackWin> w = StackWinRecords.read(msf.stream(1), msf.stream(2),
                            o -> o < size ? strings.cstring(12 + o, 4096) : null, LongUnaryOperator.identity(), flavor);
                    assertEquals(true, w.size() <= badFpo.length / 16 + badFrames.length / 32);
                } catch (InputFormatException e) {
                    // documented: a stream of partial records or a program offset outside /names
                }
            });
        }
    }

    /** One of: a few flipped bytes, a cut, or an absurd 16- or 32-bit value at a random place after {@code keep}. */
    static byte[] damage(byte[] in, Random random, int keep) {
        byte[] out = in.clone();
        switch (random.nextInt(4)) {
            case 0:
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    out[keep + random.nextInt(out.length - keep)] ^= (byte) (1 << random.nextInt(8));
                }
                return out;
            case 1:
                return java.util.Arrays.copyOf(out, keep + random.nextInt(out.length - keep));
            case 2:
                int at = keep + random.nextInt(out.length - keep - 2);
                out[at] = (byte) 0xFF;
                out[at + 1] = (byte) 0xFF;
                return out;
            default:
                int p = keep + random.nextInt(out.length - keep - 4);
                java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(p, 0x7FFF_FFFF);
                return out;
        }
    }
}
