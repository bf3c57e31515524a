package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which procedures are C functions, from hand-built S_PUB32 records, and what a damaged record stream gives. */
class CFunctionNamesTest {
    @TempDir
    Path dir;
    private final List<MsfFile> open = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (MsfFile m : open) {
            m.close();
        }
    }

    /** An S_PUB32 record (flags, offset, segment, name), padded to 4 bytes. */
    private static byte[] pub(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int len = 2 + 10 + n.length + 1;
        int padded = (len + 2 + 3) / 4 * 4 - 2;
        java.nio.ByteBuffer b = TestTypeStreams.le(2 + padded);
        b.putShort((short) padded).putShort((short) CFunctionNames.S_PUB32).putInt(0).putInt(0x10).putShort((short) 1)
                .put(n);
        return b.array();
    }

    private CFunctionNames names(byte[]... records) throws Exception {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] r : records) {
            s.writeBytes(r);
        }
        Path pdb = TestTypeStreams.write(dir, "p" + open.size() + ".pdb", List.of(new byte[0], s.toByteArray()));
        MsfFile msf = MsfFile.open(pdb);
        open.add(msf);
        return new CFunctionNames(msf.stream(1));
    }

    @Test
    void cPublicsNameCFunctionsAsDiaDoes() throws Exception {
        CFunctionNames c = names(pub("_free"), pub("?h@C@@QAEXXZ"), pub("__exit"), pub("_exit"), pub("_Sleep@4"),
                pub("@_EH4_CallFilterFunc@8"), pub("__SEH_prolog4"));
        assertEquals("free", c.apply("free"));
        assertEquals("_exit", c.apply("_exit")); // its public is __exit; _exit is exit's
        assertEquals("exit", c.apply("exit"));
        assertEquals("Sleep", c.apply("Sleep"));
        assertEquals("_EH4_CallFilterFunc", c.apply("@_EH4_CallFilterFunc@8"));
        assertEquals("_SEH_prolog4", c.apply("__SEH_prolog4"));
        assertNull(c.apply("C::h"));
        assertNull(c.apply("main"));
    }

    @Test
    void aDamagedRecordEndsTheScanKeepingWhatCameBefore() throws Exception {
        byte[] broken = {1, 0, 0, 0}; // a length too short for a record kind
        CFunctionNames c = names(pub("_free"), broken, pub("_malloc"));
        assertEquals("free", c.apply("free"));
        // past the damage nothing is known: a procedure keeps its plain name rather than gain argument types
        assertEquals("malloc", c.apply("malloc"));
        assertEquals("C::h", names(pub("_free"), new byte[] {(byte) 0xF0, (byte) 0xFF, 0x0e, 0x11}).apply("C::h"));
    }
}
