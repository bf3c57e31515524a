package org.leakscope.symbols.pdb;

import io.kaitai.struct.ByteBufferKaitaiStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.leakscope.model.InputFormatException;

/**
 * Stream 1, the PDB info stream: which build the PDB is (signature, age, GUID) and the named stream map, which
 * gives the stream numbers of {@code /names} (the string table of file names) and others.
 *
 * @param version    20000404 for every PDB this reader accepts
 * @param signature  creation time stamp
 * @param age        the info stream's age (see {@link #debugId(long)} for which age Breakpad uses)
 * @param guid       the GUID's 16 bytes in file order
 * @param namedStreams stream name → stream number
 * @param hasIdStream true when the feature codes include VC110 (20091201) or VC140 (20140508): stream 4 holds
 *                    the IPI (id) records
 */
public record PdbInfo(long version, long signature, long age, byte[] guid, Map<String, Integer> namedStreams,
        boolean hasIdStream) {
    static final int STREAM = 1;
    private static final int HEADER = 28;
    private static final long VC70 = 20000404;
    private static final long VC110 = 20091201;
    private static final long VC140 = 20140508;
    /** Real named-stream maps hold a handful of names; this bounds a damaged count before it sizes anything. */
    private static final long MAX_NAMED = 4096;

    public PdbInfo {
        namedStreams = Map.copyOf(namedStreams);
    }

    /** Reads stream 1 of {@code msf}. */
    public static PdbInfo read(MsfFile msf) {
        if (!msf.hasStream(STREAM)) {
            throw InputFormatException.atOffset(msf.source(), 0, "a PDB info stream (stream 1)", "none");
        }
        MsfStream s = msf.stream(STREAM);
        s.check(0, HEADER, "the PDB info header");
        PdbMsf.InfoHeader h = new PdbMsf.InfoHeader(new ByteBufferKaitaiStream(s.bytes(0, HEADER)));
        if (h.version() < VC70) {
            throw s.error(0, "a PDB info version of at least " + VC70 + " (Visual C++ 2002)",
                    Long.toString(h.version()));
        }
        byte[] guid = new byte[16];
        java.nio.ByteBuffer.wrap(guid).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) h.guid().data1())
                .putShort((short) h.guid().data2()).putShort((short) h.guid().data3()).put(h.guid().data4());
        MsfStream.Cursor c = s.cursor(HEADER, s.size());
        Map<String, Integer> named = new HashMap<>();
        boolean ipi = false;
        if (c.hasRemaining()) {
            long namesSize = c.u32();
            long namesAt = c.position();
            c.skip(namesSize);
            long count = c.u32();
            long capacity = c.u32();
            if (count > MAX_NAMED || count > capacity || capacity > MAX_NAMED * 4) {
                throw s.error(c.position() - 8, "a named-stream count (at most " + MAX_NAMED + ") within its capacity",
                        count + " of " + capacity);
            }
            long[] present = bits(c, capacity);
            bits(c, capacity); // deleted buckets: not needed to read
            for (long b = 0; b < capacity; b++) {
                if ((present[(int) (b >>> 6)] >>> (b & 63) & 1) == 0) {
                    continue;
                }
                long key = c.u32();
                long stream = c.u32();
                if (key >= namesSize) {
                    throw s.error(c.position() - 8, "a name offset below " + namesSize, Long.toString(key));
                }
                String name = s.cstring(namesAt + key, (int) Math.min(namesSize - key, 1024));
                if (stream < msf.streamCount()) {
                    named.put(name, (int) stream);
                }
            }
            if (c.remaining() >= 4) {
                c.u32(); // niMac, unused
            }
            while (c.remaining() >= 4) {
                long feature = c.u32();
                ipi |= feature == VC110 || feature == VC140;
            }
        }
        return new PdbInfo(h.version(), h.signature(), h.age(), guid, named, ipi);
    }

    /** A serialized bit vector: a word count, then 32-bit words; checked against the bucket count. */
    private static long[] bits(MsfStream.Cursor c, long capacity) {
        long words = c.u32();
        if (words > (capacity + 31) / 32 + 1) {
            throw c.stream().error(c.position() - 4, "a bit vector of at most " + ((capacity + 31) / 32 + 1)
                    + " words", Long.toString(words));
        }
        // as long as the buckets too: a vector of fewer words than the buckets need leaves the rest 0 (absent),
        // where sizing it by its own word count let the bucket loop index past its end
        long[] out = new long[(int) (Math.max(words * 32, capacity) + 63) / 64 + 1];
        for (int i = 0; i < words; i++) {
            out[i >>> 1] |= c.u32() << (32 * (i & 1));
        }
        return out;
    }

    /** The stream number of a named stream ({@code /names}), or -1. */
    public int namedStream(String name) {
        Integer i = namedStreams.get(name);
        return i == null ? -1 : i;
    }

    /**
     * The debug id in Breakpad's form: the GUID's first three fields as numbers and its last eight bytes, in
     * uppercase hex, then {@code age} in hex without padding. Pass the DBI stream's age: that is the one the
     * binary's CodeView record holds (the info stream's may be higher after incremental writes).
     */
    public String debugId(long age) {
        java.nio.ByteBuffer g = java.nio.ByteBuffer.wrap(guid).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%08X%04X%04X", g.getInt(0),
                g.getShort(4) & 0xFFFF, g.getShort(6) & 0xFFFF));
        for (int i = 8; i < 16; i++) {
            sb.append(String.format(Locale.ROOT, "%02X", guid[i]));
        }
        return sb.append(Long.toHexString(age).toUpperCase(Locale.ROOT)).toString();
    }
}
