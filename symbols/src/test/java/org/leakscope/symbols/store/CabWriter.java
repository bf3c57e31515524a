package org.leakscope.symbols.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Writes one-file cabinets the way symstore compresses files ({@code app.pd_}), written from the CAB
 * specification independently of {@link CabReader}: MSZIP blocks of 32 KiB, each {@code "CK"} and a deflate
 * stream primed with the previous block's bytes.
 */
public final class CabWriter {
    public static final int NONE = 0;
    public static final int MSZIP = 1;
    public static final int QUANTUM = 2;
    public static final int LZX = 3;

    private CabWriter() {
    }

    public static byte[] mszip(byte[] data, String name) {
        return cab(data, name, MSZIP);
    }

    /** A cabinet holding {@code data} as {@code name}, its folder compressed with {@code type}. */
    public static byte[] cab(byte[] data, String name, int type) {
        List<byte[]> blocks = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        byte[] previous = null;
        for (int at = 0; at < data.length || blocks.isEmpty(); at += 32768) {
            byte[] chunk = Arrays.copyOfRange(data, at, Math.min(data.length, at + 32768));
            blocks.add(type == MSZIP ? ck(chunk, previous) : chunk);
            sizes.add(chunk.length);
            previous = chunk;
        }
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int files = 36 + 8;
        int dataStart = files + 16 + nameBytes.length;
        int total = dataStart;
        for (byte[] b : blocks) {
            total += 8 + b.length;
        }
        ByteBuffer c = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        c.put("MSCF".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(total).putInt(0).putInt(files).putInt(0);
        c.put((byte) 3).put((byte) 1).putShort((short) 1).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        c.putInt(dataStart).putShort((short) blocks.size()).putShort((short) type); // CFFOLDER
        c.putInt(data.length).putInt(0).putShort((short) 0).putShort((short) 0x5a21).putShort((short) 0)
                .putShort((short) 0x20).put(nameBytes); // CFFILE
        for (int i = 0; i < blocks.size(); i++) {
            c.putInt(0).putShort((short) blocks.get(i).length).putShort(sizes.get(i).shortValue()).put(blocks.get(i));
        }
        return c.array();
    }

    private static byte[] ck(byte[] chunk, byte[] dictionary) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        if (dictionary != null) {
            d.setDictionary(dictionary);
        }
        d.setInput(chunk);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('C');
        out.write('K');
        byte[] buf = new byte[65536];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }
}
