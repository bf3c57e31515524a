package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.leakscope.symbols.pdb.TestTypeStreams.record;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;

/** Function names from hand-built type records, and what damaged records give. */
class TypeRecordNamesTest {
    private static final int S_GPROC32 = 0x1110;
    private static final int S_LPROC32 = 0x110f;
    private static final int S_GPROC32_ID = 0x1147;
    private static final int PTR32 = 0x0a | 4 << 13;
    private static final int REF = 1 << 5;
    private static final int RVALUE_REF = 4 << 5;
    private static final int CONST_PTR = 0x400;
    private static final int FAN_OUT = 0x1026;
    private static final int FAN_LEVELS = 25;

    @TempDir
    Path dir;

    /** Type records 0x1000... as listed; each test names procedures of these. */
    private static List<byte[]> types() {
        List<byte[]> t = new ArrayList<>();
        // 0x1000 struct _XCPT_ACTION (a forward reference: size 0)
        t.add(record(0x1505, (short) 0, (short) 0x80, 0, 0, 0, (short) 0, "_XCPT_ACTION"));
        t.add(record(0x1002, 0x1000, PTR32)); // 0x1001 _XCPT_ACTION *
        t.add(record(0x1001, 0x70, (short) 1)); // 0x1002 const char
        t.add(record(0x1002, 0x1002, PTR32)); // 0x1003 const char *
        t.add(record(0x1201, 3, 0x74, 0x1001, 0x1003)); // 0x1004 (int, _XCPT_ACTION *, const char *)
        t.add(record(0x1008, 0x1001, (byte) 7, (byte) 0, (short) 3, 0x1004)); // 0x1005 procedure
        t.add(record(0x1002, 0x1006, PTR32)); // 0x1006 a pointer to itself
        t.add(record(0x1201, 1, 0x1006)); // 0x1007
        t.add(record(0x1008, 0x74, (byte) 7, (byte) 0, (short) 1, 0x1007)); // 0x1008 takes the cyclic pointer
        t.add(record(0x1201, 0x7FFF_FFFF)); // 0x1009 an absurd argument count, no arguments
        t.add(record(0x1008, 0x74, (byte) 7, (byte) 0, (short) 0, 0x1009)); // 0x100a
        // 0x100b class google_breakpad::C, its size as an LF_USHORT numeric leaf
        t.add(record(0x1504, (short) 0, (short) 0, 0, 0, 0, (short) 0x8002, (short) 0x1234, "google_breakpad::C"));
        t.add(record(0x1001, 0x100b, (short) 1)); // 0x100c const C
        t.add(record(0x1002, 0x100c, PTR32 | REF)); // 0x100d const C &
        t.add(record(0x1201, 1, 0x100d)); // 0x100e
        t.add(record(0x1009, 0x03, 0x100b, 0, (byte) 0, (byte) 0, (short) 1, 0x100e, 0)); // 0x100f C::h
        t.add(record(0x1201, 1, 0x74)); // 0x1010 (int)
        t.add(record(0x1008, 0x03, (byte) 0, (byte) 0, (short) 1, 0x1010)); // 0x1011 void (int)
        t.add(record(0x1002, 0x1011, PTR32)); // 0x1012 void (*)(int)
        t.add(record(0x1002, 0x100b, PTR32 | RVALUE_REF)); // 0x1013 C &&
        t.add(record(0x1002, 0x0070, PTR32 | CONST_PTR)); // 0x1014 char * const
        t.add(record(0x1201, 4, 0x1012, 0x1013, 0x1014, 0)); // 0x1015 (void (*)(int), C &&, char * const, ...)
        t.add(record(0x1008, 0x1012, (byte) 0, (byte) 0, (short) 4, 0x1015)); // 0x1016
        // 0x1017 union U with an LF_CHAR size, 0x1018 enum E, 0x1019 array of 3 int (LF_ULONG 12 bytes)
        t.add(record(0x1506, (short) 0, (short) 0, 0, (short) 0x8000, (byte) 4, "U"));
        t.add(record(0x1507, (short) 0, (short) 0, 0x74, 0, "E"));
        t.add(record(0x1503, 0x74, 0x22, (short) 0x8004, 12, ""));
        t.add(record(0x1201, 3, 0x1017, 0x1018, 0x1019)); // 0x101a
        t.add(record(0x1008, 0x0077, (byte) 0, (byte) 0, (short) 3, 0x101a)); // 0x101b returns unsigned __int64
        // 0x101c: a procedure whose 40 arguments are pointers to itself: the depth limit ends it
        t.add(record(0x1002, 0x101e, PTR32));
        Object[] many = new Object[41];
        many[0] = 40;
        Arrays.fill(many, 1, 41, 0x101c);
        t.add(record(0x1201, many)); // 0x101d
        t.add(record(0x1008, 0x74, (byte) 0, (byte) 0, (short) 40, 0x101d)); // 0x101e
        t.add(record(0x1201, 1, 0x9999)); // 0x101f an argument past the last type
        t.add(record(0x1008, 0x74, (byte) 0, (byte) 0, (short) 1, 0x101f)); // 0x1020
        t.add(record(0x1201, 1, 0x00ff)); // 0x1021 an undefined simple type
        t.add(record(0x1008, 0x74, (byte) 0, (byte) 0, (short) 1, 0x1021)); // 0x1022
        t.add(record(0x1503, 0x74, 0x22, (short) 0x8033, 12, "")); // 0x1023 an undefined numeric leaf
        t.add(record(0x1201, 1, 0x1023)); // 0x1024
        t.add(record(0x1008, 0x74, (byte) 0, (byte) 0, (short) 1, 0x1024)); // 0x1025
        // from 0x1026: 25 levels of distinct procedures, each taking 8 pointers to the next level's: no cycle,
        // nothing deeper than the depth limit, 8^25 paths: the length and work caps end it
        for (int level = 0; level < FAN_LEVELS; level++) {
            int base = FAN_OUT + 3 * level;
            t.add(record(0x1002, base + 2, PTR32)); // pointer to this level's procedure
            if (level == FAN_LEVELS - 1) {
                t.add(record(0x1201, 1, 0x74));
            } else {
                Object[] eight = new Object[9];
                eight[0] = 8;
                Arrays.fill(eight, 1, 9, base + 3);
                t.add(record(0x1201, eight));
            }
            t.add(record(0x1008, 0x74, (byte) 0, (byte) 0, (short) 8, base + 1));
        }
        return t;
    }

    private static List<byte[]> items() {
        return List.of(record(0x1601, 0, 0x1005, "siglookup"), // 0x1000 LF_FUNC_ID
                record(0x1602, 0x100b, 0x100f, "h"), // 0x1001 LF_MFUNC_ID
                record(0x1605, 0, "not a function")); // 0x1002 LF_STRING_ID
    }

    private String name(String name, long type, boolean id, int kind) throws Exception {
        return name(TestTypeStreams.typeStream(types()), name, type, id, kind);
    }

    private String name(byte[] tpi, String name, long type, boolean id, int kind) throws Exception {
        Path pdb = TestTypeStreams.write(dir, "t.pdb", List.of(new byte[0], new byte[0], tpi, new byte[0],
                TestTypeStreams.typeStream(items())));
        try (MsfFile msf = MsfFile.open(pdb)) {
            TypeRecordNames names = new TypeRecordNames(TypeStream.open(msf.stream(2)),
                    TypeStream.open(msf.stream(4)), n -> n.equals("free") ? "free" : null);
            return names.name(new ProcedureNames.Procedure(name, type, id, kind));
        }
    }

    @Test
    void staticFunctionsAreNamedAsDiaNamesThem() throws Exception {
        assertEquals("static struct _XCPT_ACTION * siglookup(int, struct _XCPT_ACTION *, const char *)",
                name("siglookup", 0x1005, false, S_LPROC32));
        assertEquals("static  __tmainCRTStartup$filt$0()", name("__tmainCRTStartup$filt$0", 0, false, S_LPROC32));
        // DIA prints a function type as nothing: a function pointer is " *"
        assertEquals("static  * f( *, class google_breakpad::C &&, char * const, ...)",
                name("f", 0x1016, false, S_LPROC32));
        assertEquals("static unsigned __int64 g(union U, enum E, int [3])", name("g", 0x101b, false, S_LPROC32));
    }

    @Test
    void globalFunctionsAreNamedAsTheUndecoratorNamesTheirPublics() throws Exception {
        assertEquals("google_breakpad::C::h(google_breakpad::C const &)",
                name("google_breakpad::C::h", 0x100f, false, S_GPROC32));
        assertEquals("f(void (*)(int), google_breakpad::C &&, char * const, ...)", name("f", 0x1016, false,
                S_GPROC32));
        assertEquals("siglookup(int, _XCPT_ACTION *, char const *)", name("siglookup", 0x1005, false, S_GPROC32));
        // a C function (its public is _free) keeps its plain name
        assertEquals("free", name("free", 0x1005, false, S_GPROC32));
    }

    @Test
    void idFormsGoThroughTheIpiStream() throws Exception {
        assertEquals("google_breakpad::C::h(google_breakpad::C const &)",
                name("google_breakpad::C::h", 0x1001, true, S_GPROC32_ID));
        assertEquals("static struct _XCPT_ACTION * siglookup(int, struct _XCPT_ACTION *, const char *)",
                name("siglookup", 0x1000, true, 0x1146));
        assertEquals("x", name("x", 0x1002, true, S_GPROC32_ID)); // not a function id
        assertEquals("x", name("x", 0x5000, true, S_GPROC32_ID)); // no such item
    }

    @Test
    void damagedTypesGiveThePlainName() throws Exception {
        assertEquals("cyclic", name("cyclic", 0x1008, false, S_LPROC32));
        assertEquals("absurd", name("absurd", 0x100a, false, S_GPROC32));
        assertEquals("missing", name("missing", 0x1020, false, S_GPROC32));
        assertEquals("undefinedSimple", name("undefinedSimple", 0x1022, false, S_GPROC32));
        assertEquals("undefinedNumeric", name("undefinedNumeric", 0x1025, false, S_GPROC32));
        assertEquals("notAProcedure", name("notAProcedure", 0x1001, false, S_LPROC32));
        assertEquals("pastTheEnd", name("pastTheEnd", 0xFFFF_FFFFL, false, S_GPROC32));
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertEquals("cyclicFanOut", name("cyclicFanOut", 0x101e, false, S_GPROC32)));
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertEquals("fanOut", name("fanOut", FAN_OUT + 2, false, S_GPROC32)));
    }

    @Test
    void aDamagedRecordLengthEndsTheIndexThere() throws Exception {
        byte[] tpi = TestTypeStreams.typeStream(types());
        int at = 56;
        for (int i = 0; i < 0x16; i++) { // to record 0x1016
            at += 2 + ((tpi[at] & 0xFF) | (tpi[at + 1] & 0xFF) << 8);
        }
        tpi[at] = 1; // a length too short to hold the leaf kind
        tpi[at + 1] = 0;
        assertEquals("f", name(tpi, "f", 0x1016, false, S_GPROC32));
        assertEquals("static struct _XCPT_ACTION * siglookup(int, struct _XCPT_ACTION *, const char *)",
                name(tpi, "siglookup", 0x1005, false, S_LPROC32));
    }

    @Test
    void aTruncatedStreamIsAnInputFormatError() throws Exception {
        byte[] tpi = TestTypeStreams.typeStream(types());
        Path pdb = TestTypeStreams.write(dir, "c.pdb", List.of(new byte[0], new byte[0], Arrays.copyOf(tpi, 300)));
        try (MsfFile msf = MsfFile.open(pdb)) {
            InputFormatException e = assertThrows(InputFormatException.class, () -> TypeStream.open(msf.stream(2)));
            assertEquals(pdb.toString(), e.source());
        }
    }

    @Test
    void aDamagedHeaderIsAnInputFormatError() throws Exception {
        byte[] tpi = TestTypeStreams.typeStream(types());
        java.nio.ByteBuffer.wrap(tpi).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(12, 0x7FFF_FFFF);
        Path pdb = TestTypeStreams.write(dir, "h.pdb", List.of(new byte[0], new byte[0], tpi));
        try (MsfFile msf = MsfFile.open(pdb)) {
            InputFormatException e = assertThrows(InputFormatException.class, () -> TypeStream.open(msf.stream(2)));
            assertEquals(pdb.toString(), e.source());
        }
    }

    @Test
    void cPublicsAreUndecoratedAsDiaDoes() {
        assertEquals("free", CFunctionNames.undecorate("free"));
        assertEquals("free", CFunctionNames.undecorate("_free"));
        assertEquals("Sleep", CFunctionNames.undecorate("_Sleep@4"));
        assertEquals("_EH4_CallFilterFunc", CFunctionNames.undecorate("@_EH4_CallFilterFunc@8"));
        assertEquals("_SEH_prolog4", CFunctionNames.undecorate("__SEH_prolog4"));
        assertEquals("x@1", CFunctionNames.undecorate("x@1"));
    }
}
