package org.leakscope.analysis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A copy of a minidump made distinct the way a second crash of the same build differs: another header time and
 * other thread ids (in ThreadList, the exception and Breakpad's info stream), the rest byte for byte. Written from
 * the format's documentation (MINIDUMP_HEADER, MINIDUMP_DIRECTORY), not with the reader under test.
 */
final class DumpCopies {
    private DumpCopies() {
    }

    static Path distinctCopy(Path dump, Path to, int secondsLater, int threadIdXor) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dump)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(20, b.getInt(20) + secondsLater); // TimeDateStamp
        int streams = b.getInt(8);
        int dir = b.getInt(12);
        for (int i = 0; i < streams; i++) {
            int type = b.getInt(dir + 12 * i);
            int rva = b.getInt(dir + 12 * i + 8);
            switch (type) {
                case 3 -> { // ThreadListStream: count, then 48-byte MINIDUMP_THREADs starting with ThreadId
                    int n = b.getInt(rva);
                    for (int t = 0; t < n; t++) {
                        xor(b, rva + 4 + 48 * t, threadIdXor);
                    }
                }
                case 6 -> xor(b, rva, threadIdXor); // ExceptionStream: ThreadId first
                case 0x47670001 -> { // Breakpad info: validity, dump thread id, requesting thread id
                    xor(b, rva + 4, threadIdXor);
                    xor(b, rva + 8, threadIdXor);
                }
                default -> { }
            }
        }
        Files.write(to, b.array());
        return to;
    }

    private static void xor(ByteBuffer b, int at, int x) {
        b.putInt(at, b.getInt(at) ^ x);
    }
}
