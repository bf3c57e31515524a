package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.testing.Required;

/** The MSF container and the PDB info stream of the corpus PDBs, against llvm-pdbutil-14's view of them. */
class MsfFileTest {
    @Test
    void readsTheDirectoryOfAnX86Pdb() throws Exception {
        try (MsfFile msf = MsfFile.open(Required.corpusFile("pdb/bp_dump_syms_regtest.pdb"))) {
            assertEquals(1024, msf.blockSize());
            assertEquals(121, msf.streamCount());
            assertEquals(114, msf.streamSize(1));
            assertEquals(78705, msf.streamSize(3));
            assertEquals(0, msf.streamSize(4));
            assertEquals(42152, msf.streamSize(118));
            MsfStream dbi = msf.stream(3);
            assertEquals(0xFFFFFFFFL, dbi.u32(0)); // the DBI header's signature
            assertEquals(19990903L, dbi.u32(4)); // its version, V70
            // A read past a stream's end names the stream, the offset and the size.
            InputFormatException e = assertThrows(InputFormatException.class, () -> msf.stream(1).u32(112));
            assertTrue(e.getMessage().contains("stream 1 of 114 bytes"), e.getMessage());
        }
    }

    @Test
    void readsValuesThatStraddleBlocks() throws Exception {
        try (MsfFile msf = MsfFile.open(Required.corpusFile("pdb/bp_dump_syms_regtest.pdb"))) {
            MsfStream tpi = msf.stream(2);
            byte[] all = tpi.bytes(0, tpi.size());
            for (int at : new int[] {1021, 1022, 1023, 2046, 5119}) {
                long want = (all[at] & 0xFFL) | (all[at + 1] & 0xFFL) << 8 | (all[at + 2] & 0xFFL) << 16
                        | (all[at + 3] & 0xFFL) << 24;
                assertEquals(want, tpi.u32(at), "u32 at " + at);
                assertEquals(want & 0xFFFF, tpi.u16(at), "u16 at " + at);
            }
        }
    }

    @Test
    void pdbInfoGivesBreakpadsDebugId() throws Exception {
        try (MsfFile msf = MsfFile.open(Required.corpusFile("pdb/bp_dump_syms_regtest64.pdb"))) {
            PdbInfo info = PdbInfo.read(msf);
            assertEquals(20000404, info.version());
            assertEquals(1395347222L, info.signature());
            assertEquals(3, info.age());
            assertEquals("72E103A85CB249078B76B2E7C06257B13", info.debugId(3));
            assertTrue(info.namedStream("/names") > 0);
            assertTrue(info.hasIdStream());
        }
    }

    /**
     * A directory of 40,000 streams with 512-byte blocks takes 715 directory blocks, whose indices fill six
     * block-map blocks listed in the superblock: every stream reads back, through blocks laid out backwards.
     */
    @Test
    void readsADirectoryThatNeedsSeveralBlockMapBlocks(@TempDir Path dir) throws Exception {
        MsfWriter w = new MsfWriter(512);
        int count = 40_000;
        for (int i = 0; i < count; i++) {
            byte[] s = new byte[i % 7 == 0 ? 1300 : 4];
            java.nio.ByteBuffer.wrap(s).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(i);
            if (s.length > 4) {
                java.nio.ByteBuffer.wrap(s).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(1296, ~i);
            }
            w.add(s);
        }
        Path p = dir.resolve("many.pdb");
        byte[] bytes = w.write();
        Files.write(p, bytes);
        assertTrue(java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(44) > 512 * 128,
                "the directory needs more than one block-map block");
        try (MsfFile msf = MsfFile.open(p)) {
            assertEquals(count, msf.streamCount());
            for (int i = 0; i < count; i++) {
                MsfStream s = msf.stream(i);
                assertEquals(i, s.u32(0), "stream " + i);
                if (s.size() > 4) {
                    assertEquals(~i & 0xFFFFFFFFL, s.u32(1296), "end of stream " + i);
                    assertEquals(1300, s.bytes(0, 1300).length);
                }
            }
        }
    }

    @Test
    void refusesMsf2WithOneClearError(@TempDir Path dir) throws Exception {
        Path old = dir.resolve("vc6.pdb");
        byte[] b = new byte[2048];
        byte[] magic = "Microsoft C/C++ program database 2.00\r\n\u001aJG\0\0".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(magic, 0, b, 0, magic.length);
        Files.write(old, b);
        assertTrue(PdbSymbols.isPdb(old));
        InputFormatException e = assertThrows(InputFormatException.class, () -> MsfFile.open(old));
        assertTrue(e.getMessage().contains("MSF 2.00") && e.getMessage().contains("unsupported"), e.getMessage());
        Path text = dir.resolve("x.pdb");
        Files.writeString(text, "not a pdb at all, but long enough to hold a superblock's fifty-six bytes....");
        assertFalse(PdbSymbols.isPdb(text));
        e = assertThrows(InputFormatException.class, () -> MsfFile.open(text));
        assertTrue(e.getMessage().contains("MSF 7.00 signature"), e.getMessage());
    }
}
