package org.leakscope.symbols.pdb;

import io.kaitai.struct.ByteBufferKaitaiStream;
import io.kaitai.struct.KaitaiStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.leakscope.model.InputFormatException;

/**
 * The MSF 7.00 container of a PDB: a file cut into blocks, holding numbered streams (see {@code pdb_msf.ksy}).
 * Opening reads the superblock and the stream directory only; a stream's bytes are read when asked for, through
 * memory mappings of at most {@link #WINDOW} bytes each, so a 4 GB PDB costs its directory in heap (four bytes
 * per block in use), not its size.
 *
 * <p>Every number the file gives is checked before it is followed: the block size is one of the powers of two
 * Microsoft's writer uses, the blocks the superblock counts are present in the file, the directory fits the
 * file, each stream size fits the blocks there are, and each block index is inside the file (and is not block
 * 0, the superblock). A failure is an {@link InputFormatException} naming the file, the byte offset of the
 * field at fault, what was expected and what was found. The free-block map is not read.
 *
 * <p>The older MSF 2.00 layout ("Microsoft C/C++ program database 2.00", Visual C++ 6 and before) is refused
 * with one clear "unsupported" error.
 */
public final class MsfFile implements AutoCloseable {
    /** Stream sizes of 0xFFFFFFFF mark deleted ("nil") streams: no blocks, treated as absent. */
    static final long NIL_SIZE = 0xFFFF_FFFFL;
    /** One mapping's span: a power of two, so a block (at most 32 KB) never straddles two mappings. */
    static final long WINDOW = 1L << 30;
    private static final int SUPERBLOCK = 56;
    private static final int OFS_LEN_DIRECTORY = 44;
    private static final int OFS_BLOCK_MAP = 52;
    private static final String MSF2_MAGIC = "Microsoft C/C++ program database 2.00";

    private final String source;
    private final FileChannel channel;
    private final long fileSize;
    private final int blockSize;
    private final int blockShift;
    private final long numBlocks;
    private final MappedByteBuffer[] windows;
    private final long directoryOffset;
    private final long[] sizes;
    private final int[][] blocks;

    private MsfFile(Path path, FileChannel channel) throws IOException {
        this.source = path.toString();
        this.channel = channel;
        this.fileSize = channel.size();
        byte[] head = readHead();
        PdbMsf.Superblock sb = parseSuperblock(head);
        blockSize = (int) sb.blockSize();
        blockShift = Integer.numberOfTrailingZeros(blockSize);
        numBlocks = sb.numBlocks();
        if (numBlocks < 1 || numBlocks * blockSize > fileSize) {
            throw InputFormatException.atOffset(source, 40, "a block count whose blocks (" + blockSize
                    + " bytes each) fit the " + fileSize + "-byte file", Long.toString(numBlocks));
        }
        windows = new MappedByteBuffer[(int) ((numBlocks * blockSize + WINDOW - 1) / WINDOW)];
        long dirBytes = sb.lenDirectory();
        long dirBlocks = (dirBytes + blockSize - 1) / blockSize;
        long mapBlocks = (dirBlocks * 4 + blockSize - 1) / blockSize;
        if (dirBytes < 4 || dirBlocks >= numBlocks || OFS_BLOCK_MAP + 4 * mapBlocks > blockSize) {
            throw InputFormatException.atOffset(source, OFS_LEN_DIRECTORY, "a stream directory size of at least 4 "
                    + "bytes whose blocks fit the " + numBlocks + "-block file and the superblock", Long.toString(dirBytes));
        }
        // The directory's block indices, read from the block-map block(s) the superblock lists.
        int[] mapList = new int[(int) mapBlocks];
        ByteBuffer hb = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < mapBlocks; i++) {
            mapList[i] = checkedBlock(hb.getInt(OFS_BLOCK_MAP + 4 * i) & 0xFFFF_FFFFL, OFS_BLOCK_MAP + 4L * i,
                    "block-map block");
        }
        MsfStream mapStream = new MsfStream(this, -1, mapBlocks * blockSize, mapList);
        int[] dirList = new int[(int) dirBlocks];
        java.util.BitSet seen = new java.util.BitSet();
        for (int i = 0; i < dirBlocks; i++) {
            long at = 4L * i;
            int b = checkedBlock(mapStream.u32(at), mapStream.fileOffset(at), "stream directory block");
            if (seen.get(b)) {
                throw InputFormatException.atOffset(source, mapStream.fileOffset(at),
                        "stream directory blocks each listed once", "block " + b + " listed twice");
            }
            seen.set(b);
            dirList[i] = b;
        }
        MsfStream dir = new MsfStream(this, -1, dirBytes, dirList);
        directoryOffset = dir.fileOffset(0);
        long numStreams = dir.u32(0);
        if (numStreams > (dirBytes - 4) / 4) {
            throw InputFormatException.atOffset(source, directoryOffset, "a stream count whose sizes fit the "
                    + dirBytes + "-byte stream directory", Long.toString(numStreams));
        }
        int n = (int) numStreams;
        sizes = new long[n];
        blocks = new int[n][];
        long at = 4 + 4L * n;
        for (int s = 0; s < n; s++) {
            long size = dir.u32(4 + 4L * s);
            if (size != NIL_SIZE && size > numBlocks * blockSize) {
                throw InputFormatException.atOffset(source, dir.fileOffset(4 + 4L * s), "the size of stream " + s
                        + " at most the file's " + numBlocks * blockSize + " bytes of blocks", Long.toString(size));
            }
            sizes[s] = size;
            long count = size == NIL_SIZE ? 0 : (size + blockSize - 1) / blockSize;
            if (at + 4 * count > dirBytes) {
                throw InputFormatException.atOffset(source, dir.fileOffset(4 + 4L * s), "stream " + s + "'s "
                        + count + " block indices inside the " + dirBytes + "-byte stream directory",
                        "a list past its end (size " + size + ")");
            }
            int[] list = new int[(int) count];
            for (int i = 0; i < count; i++, at += 4) {
                list[i] = checkedBlock(dir.u32(at), dir.fileOffset(at), "block of stream " + s);
            }
            blocks[s] = list;
        }
    }

    /**
     * Opens a PDB and reads its stream directory.
     *
     * @throws InputFormatException when the file is not an MSF 7.00 file, is MSF 2.00, or is damaged
     */
    public static MsfFile open(Path pdb) throws IOException {
        FileChannel ch = FileChannel.open(pdb, StandardOpenOption.READ);
        try {
            return new MsfFile(pdb, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** True when {@code head} (the file's first bytes) starts with the MSF 7.00 or 2.00 signature. */
    static boolean hasMagic(byte[] head, int length) {
        String s = new String(head, 0, Math.min(length, 40), StandardCharsets.ISO_8859_1);
        return s.startsWith("Microsoft C/C++ MSF 7.00\r\n\u001aDS") || s.startsWith(MSF2_MAGIC);
    }

    private byte[] readHead() throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(fileSize, 32768));
        while (b.hasRemaining() && channel.read(b, b.position()) >= 0) {
            // a positional read of a regular file returns everything up to the end
        }
        byte[] head = b.array();
        if (new String(head, 0, Math.min(head.length, MSF2_MAGIC.length()), StandardCharsets.ISO_8859_1)
                .equals(MSF2_MAGIC)) {
            throw InputFormatException.atOffset(source, 0, "an MSF 7.00 PDB (Visual C++ 2002 or later)",
                    "an MSF 2.00 PDB (\"" + MSF2_MAGIC + "\", Visual C++ 6 or older), which is unsupported");
        }
        if (head.length < SUPERBLOCK) {
            throw InputFormatException.atOffset(source, 0, "an MSF 7.00 superblock (" + SUPERBLOCK + " bytes)",
                    "a " + head.length + "-byte file");
        }
        return head;
    }

    private PdbMsf.Superblock parseSuperblock(byte[] head) {
        try {
            PdbMsf.Superblock sb = new PdbMsf(new ByteBufferKaitaiStream(head)).superblock();
            if (head.length < sb.blockSize()) {
                throw InputFormatException.atOffset(source, 0, "a whole first block (" + sb.blockSize() + " bytes)",
                        "a " + head.length + "-byte file");
            }
            return sb;
        } catch (KaitaiStream.ValidationNotEqualError e) {
            throw InputFormatException.atOffset(source, 0, "the MSF 7.00 signature \"Microsoft C/C++ MSF 7.00\"",
                    "other bytes", e);
        } catch (KaitaiStream.ValidationFailedError e) {
            throw InputFormatException.atOffset(source, 32, "a block size of 512, 1024, ... or 32768",
                    Long.toString(ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(32) & 0xFFFF_FFFFL), e);
        }
    }

    private int checkedBlock(long index, long at, String what) {
        if (index < 1 || index >= numBlocks) {
            throw InputFormatException.atOffset(source, at, "a " + what + " index in 1.." + (numBlocks - 1),
                    Long.toString(index));
        }
        return (int) index;
    }

    /** The file's name, as errors show it. */
    public String source() {
        return source;
    }

    public int blockSize() {
        return blockSize;
    }

    /** How many streams the directory lists (nil ones included). */
    public int streamCount() {
        return sizes.length;
    }

    /** True when stream {@code index} exists and is not nil. */
    public boolean hasStream(int index) {
        return index >= 0 && index < sizes.length && sizes[index] != NIL_SIZE;
    }

    /** The byte size of stream {@code index}; 0 for a nil stream. */
    public long streamSize(int index) {
        checkIndex(index);
        return sizes[index] == NIL_SIZE ? 0 : sizes[index];
    }

    /** Stream {@code index}, read on demand; a nil stream is empty. */
    public MsfStream stream(int index) {
        checkIndex(index);
        return new MsfStream(this, index, streamSize(index), blocks[index]);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= sizes.length) {
            throw InputFormatException.atOffset(source, directoryOffset, "a stream number below the directory's "
                    + sizes.length, Integer.toString(index));
        }
    }

    int blockShift() {
        return blockShift;
    }

    /** The mapping that holds file offset {@code pos}, whose blocks were checked to lie inside the file. */
    ByteBuffer window(long pos) {
        int w = (int) (pos / WINDOW);
        MappedByteBuffer m = windows[w];
        if (m == null) {
            long start = w * WINDOW;
            try {
                m = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW, fileSize - start));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(source + ": cannot map bytes at " + start, e);
            }
            m.order(ByteOrder.LITTLE_ENDIAN);
            windows[w] = m;
        }
        return m;
    }

    /** Mappings are released by the garbage collector (Java has no unmap); the channel closes now. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
