package org.leakscope.symbols.pdb;

import io.kaitai.struct.ByteBufferKaitaiStream;
import org.leakscope.model.InputFormatException;

/**
 * The TPI stream (stream 2: types) or the IPI stream (stream 4: item ids) of a PDB: a 56-byte header, then
 * type records ({@code u16 length, u16 leaf kind, data}) numbered from the header's first type index (0x1000).
 *
 * <p>Records are found lazily: the first lookup walks the record lengths once (two bytes read per record) and
 * keeps each record's stream offset in an {@code int[]} (four bytes per type, a few MB for a Chromium PDB's
 * millions of types); no record is decoded until it is asked for. The header's count is checked against the
 * record bytes (each record takes at least 4) before it sizes the index, and every length against the bytes
 * left. A walk that finds damage keeps the records before it: later indices are simply unknown.
 */
final class TypeStream {
    /** The only TPI/IPI version MSVC has written since 2004 ({@code TPIV80}). */
    static final long VERSION_V80 = 20040203;
    static final int HEADER_SIZE = 56;
    /** Indices below this are simple (built-in) types, encoded in the index itself. */
    static final long FIRST_INDEX = 0x1000;

    private final MsfStream stream;
    private final long begin;
    private final long end;
    private final long recordsStart;
    private final long recordsEnd;
    private int[] offsets;
    private int known;

    private TypeStream(MsfStream stream, long begin, long end, long recordsStart, long recordsEnd) {
        this.stream = stream;
        this.begin = begin;
        this.end = end;
        this.recordsStart = recordsStart;
        this.recordsEnd = recordsEnd;
    }

    /**
     * Reads the header of a TPI or IPI stream.
     *
     * @throws InputFormatException when the header is damaged or of another version
     */
    static TypeStream open(MsfStream stream) {
        stream.check(0, HEADER_SIZE, "the type stream header");
        PdbTypes.TypeStreamHeader h = new PdbTypes.TypeStreamHeader(
                new ByteBufferKaitaiStream(stream.bytes(0, HEADER_SIZE)));
        long version = h.version();
        if (version != VERSION_V80) {
            throw stream.error(0, "type stream version " + VERSION_V80, Long.toString(version));
        }
        long headerSize = h.headerSize();
        if (headerSize < HEADER_SIZE || headerSize > stream.size()) {
            throw stream.error(4, "a type stream header size of " + HEADER_SIZE + " to " + stream.size() + " bytes",
                    Long.toString(headerSize));
        }
        long begin = h.typeIndexBegin();
        long end = h.typeIndexEnd();
        long recordBytes = h.lenTypeRecords();
        if (recordBytes > stream.size() - headerSize) {
            throw stream.error(16, "type record bytes within the stream's " + (stream.size() - headerSize),
                    Long.toString(recordBytes));
        }
        if (begin != FIRST_INDEX || end < begin || end - begin > recordBytes / 4) {
            throw stream.error(8, "type indices from 0x1000, at most one per 4 of the " + recordBytes
                    + " record bytes", "0x" + Long.toHexString(begin) + " to 0x" + Long.toHexString(end));
        }
        return new TypeStream(stream, begin, end, headerSize, headerSize + recordBytes);
    }

    MsfStream stream() {
        return stream;
    }

    /** One past the last type index of this stream. */
    long end() {
        return end;
    }

    /**
     * The stream offset of the record of {@code index} (its length field), or -1 when the index is simple,
     * outside the stream's range, or past damage in the records.
     */
    long offsetOf(long index) {
        if (index < begin || index >= end) {
            return -1;
        }
        if (offsets == null) {
            index();
        }
        long i = index - begin;
        return i < known ? offsets[(int) i] & 0xFFFF_FFFFL : -1;
    }

    /** The leaf kind of record {@code index}, or -1 when there is no such record. */
    int kind(long index) {
        long at = offsetOf(index);
        return at < 0 ? -1 : stream.u16(at + 2);
    }

    /** A cursor over the data of record {@code index} (after its kind), or null when there is no such record. */
    MsfStream.Cursor record(long index) {
        long at = offsetOf(index);
        if (at < 0) {
            return null;
        }
        int len = stream.u16(at);
        return stream.cursor(at + 4, at + 2 + len);
    }

    private void index() {
        int count = (int) (end - begin);
        int[] o = new int[count];
        long at = recordsStart;
        int n = 0;
        while (n < count && at + 4 <= recordsEnd && at <= 0xFFFF_FFFFL) {
            int len = stream.u16(at);
            // a record's length covers its kind and data, so at least the 2-byte kind
            if (len < 2 || at + 2 + len > recordsEnd) {
                break;
            }
            o[n++] = (int) at;
            at += 2 + len;
        }
        offsets = o;
        known = n;
    }
}
