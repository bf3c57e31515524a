package org.leakscope.resmon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.leakscope.model.InputFormatException;
import org.leakscope.textio.TextLines;

/**
 * A log in a byte encoding (ANSI or UTF-8) read as line-aligned chunks, each filtered on its own by any thread
 * and handed out in the file's order. Chunk k holds the lines that start in {@code [k * size, (k + 1) * size)}:
 * it reads from the byte before its start, skips to the first line start, and reads on past its end to finish
 * its last line. A line of {@code maxLine} bytes or more is a damaged line, as {@link TextLines} reports it.
 *
 * <p>A chunk read ahead does not know how many lines come before it, nor whether the log was framed by then: it
 * is read as if past line 1,000 of a framed log whose records began (what a multi-megabyte DebugView log is),
 * and read again, in order, when that turns out wrong. At most {@code window} chunks are read ahead, so memory
 * stays bounded however large the file.
 */
final class LogChunks implements AutoCloseable {
    /**
     * Big enough that handing a chunk over costs nothing beside reading it, small enough for -Xmx64m. 1 GB log, two
     * threads, alternating runs: 2 MiB took 6-7 % less time than 1 MiB and 3 % less than 4 MiB; 256 KiB, 8 % more.
     */
    static final int CHUNK = 2 << 20;
    /** What a chunk's batch may hold at most: its bytes, the slack and an entry per line (a chunk of short lines). */
    private static final long BATCH_BYTES = 4L * CHUNK;
    /** Read past a chunk's end at first: its last line almost always ends within this. */
    private static final int SLACK = 64 * 1024;

    private final String source;
    private final DebugViewOptions options;
    private final FileChannel channel;
    private final long dataStart;
    private final long size;
    private final int maxLine;
    private final int chunkSize;
    private final int chunks;
    private final int window;

    // shared between the caller and the workers, under `this`
    private final LineBatch[] ready;
    private final ArrayDeque<LineBatch> free = new ArrayDeque<>();
    private int nextRead;
    private int nextOut;
    private boolean closed;
    private final Thread[] workers;

    /**
     * @param dataStart where the first line starts (after a byte-order mark)
     * @param threads   threads reading chunks, the caller's included (which reads whenever it would wait)
     * @param chunkSize bytes per chunk ({@link #CHUNK}; tests cut a small log into many)
     */
    LogChunks(String source, DebugViewOptions options, FileChannel channel, long dataStart, int threads,
            int chunkSize) throws IOException {
        this.source = source;
        this.options = options;
        this.channel = channel;
        this.dataStart = dataStart;
        this.size = channel.size();
        this.maxLine = options.limits().maxLineChars();
        this.chunkSize = chunkSize;
        this.chunks = (int) ((size + chunkSize - 1) / chunkSize);
        // Room to run ahead: the caller follows the chunks in order and reads one itself only when the next is not
        // ready, taking the furthest one the window allows. With threads + 1 chunks the workers then stalled
        // until the caller had followed its way back up (1 GB log, two threads: 11% slower than 4 per thread).
        // An eighth of the heap at most, so a small heap (-Xmx64m) keeps the threads + 1 it always had.
        long affordable = Runtime.getRuntime().maxMemory() / 8 / BATCH_BYTES;
        this.window = (int) Math.max(threads + 1, Math.min(4L * threads, affordable));
        this.ready = new LineBatch[window];
        this.workers = new Thread[Math.max(0, Math.min(threads, chunks) - 1)]; // none for a one-chunk log
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Thread(this::work, "resmon-log-reader-" + (i + 1));
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    /** The next chunk in the file's order, or null after the last; give it back with {@link #release}. */
    LineBatch next() throws InterruptedException {
        while (true) {
            int k;
            LineBatch b;
            synchronized (this) {
                if (nextOut >= chunks) {
                    return null;
                }
                LineBatch done = ready[nextOut % window];
                if (done != null) {
                    ready[nextOut % window] = null;
                    nextOut++;
                    notifyAll();
                    return done;
                }
                if (nextRead >= chunks || nextRead >= nextOut + window) {
                    wait();
                    continue;
                }
                k = nextRead++;
                b = take();
            }
            read(k, b); // rather than wait for a worker
            publish(k, b);
        }
    }

    synchronized void release(LineBatch b) {
        free.add(b);
    }

    private void work() {
        try {
            while (true) {
                int k;
                LineBatch b;
                synchronized (this) {
                    while (!closed && nextRead < chunks && nextRead >= nextOut + window) {
                        wait();
                    }
                    if (closed || nextRead >= chunks) {
                        return;
                    }
                    k = nextRead++;
                    b = take();
                }
                read(k, b);
                publish(k, b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LineBatch take() {
        LineBatch b = free.poll();
        return b != null ? b : new LineBatch();
    }

    private synchronized void publish(int k, LineBatch b) {
        ready[k % window] = b;
        notifyAll();
    }

    private void read(int k, LineBatch b) {
        if (k == 0) {
            read(0, b, 0, false, false);
        } else {
            read(k, b, -1, true, true);
        }
    }

    /**
     * Reads chunk {@code k} into {@code b}; a failure is kept in it for the follower.
     *
     * @param lineBase lines before the chunk, or -1 when not known
     * @param framed   a framed line came before it
     * @param sawRecord a record came before it
     */
    void read(int k, LineBatch b, long lineBase, boolean framed, boolean sawRecord) {
        b.clear();
        b.chunk = k;
        b.speculative = lineBase < 0;
        ResmonLineFilter filter = new ResmonLineFilter(source, options, lineBase, framed, sawRecord);
        filter.into(b);
        try {
            split(k, b, filter);
        } catch (ResmonLineFilter.Stop stop) {
            // a damaged line the follower will fail at
        } catch (InputFormatException e) {
            b.failure = e;
        } catch (IOException | RuntimeException | Error e) {
            b.crash = e;
        }
        b.framed = filter.reader().framed();
        b.computer = filter.reader().computer();
    }

    /** Cuts chunk {@code k} into lines and feeds them to the filter. */
    private void split(int k, LineBatch b, ResmonLineFilter filter) throws IOException {
        long chunkStart = (long) k * chunkSize;
        long chunkEnd = Math.min(size, chunkStart + chunkSize);
        b.endOffset = chunkEnd;
        long from = k == 0 ? dataStart : chunkStart - 1;
        if (from >= chunkEnd) {
            return;
        }
        int len = (int) (Math.min(size, chunkEnd + SLACK) - from);
        if (b.data.length < len) {
            b.data = new byte[Math.max(len, chunkSize + SLACK)];
        }
        byte[] buf = b.data;
        fill(buf, 0, len, from);
        int filled = len;
        int p = 0; // the next line's start in buf
        if (k > 0) {
            int nl = TextLines.indexOfNewline(buf, 0, (int) (chunkEnd - from));
            if (nl < 0) {
                return; // a line that started in an earlier chunk runs through this one
            }
            p = nl + 1;
        }
        int stop = (int) (chunkEnd - from); // lines starting before this are this chunk's
        int n = 0;
        while (p < stop) {
            int want = (int) Math.min(size - from, (long) p + maxLine); // a line's bytes before it is too long
            int nl = TextLines.indexOfNewline(buf, p, Math.min(filled, want));
            if (nl < 0 && filled < want) { // the line runs past what was read: read on
                if (buf.length < want) {
                    buf = b.data = Arrays.copyOf(buf, Math.max(want, buf.length + buf.length / 2));
                }
                fill(buf, filled, want - filled, from + filled);
                filled = want;
                continue;
            }
            n++;
            if (nl >= 0) {
                filter.line(buf, p, nl > p && buf[nl - 1] == '\r' ? nl - 1 : nl, n, false);
                p = nl + 1;
            } else if (filled - p >= maxLine) {
                filter.line(buf, p, p + maxLine, n, true);
                int next = TextLines.indexOfNewline(buf, p + maxLine, Math.max(p + maxLine, stop - 1));
                p = next < 0 ? stop : next + 1;
            } else { // the file's last line, without a newline
                filter.line(buf, p, filled > p && buf[filled - 1] == '\r' ? filled - 1 : filled, n, false);
                p = filled;
            }
            b.lineCount = n;
        }
    }

    private void fill(byte[] buf, int off, int len, long position) throws IOException {
        ByteBuffer dst = ByteBuffer.wrap(buf, off, len);
        while (dst.hasRemaining()) {
            int r = channel.read(dst, position + dst.position() - off);
            if (r < 0) {
                throw new IOException(source + ": the file became shorter while it was read");
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        for (Thread t : workers) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
