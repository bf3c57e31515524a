package org.leakscope.symbols.store;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One response body written to a file as it arrives, never more than a limit, with the time of the last
 * progress kept so the caller can give up on a silent server: {@link #abort} cancels the subscription, which
 * closes the connection (a blocking read could not be woken reliably).
 */
final class FileDownload implements HttpResponse.BodySubscriber<Long> {
    private final FileChannel out;
    private final long maxBytes;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    private volatile Flow.Subscription subscription;
    private long total;

    FileDownload(Path into, long maxBytes) throws IOException {
        this.out = FileChannel.open(into, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.CREATE);
        this.maxBytes = maxBytes;
    }

    long lastProgress() {
        return lastProgress.get();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        lastProgress.set(System.nanoTime());
        try {
            for (ByteBuffer b : items) {
                total += b.remaining();
                if (total > maxBytes) {
                    fail(new IOException("more than the limit of " + maxBytes + " bytes"));
                    return;
                }
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        close();
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        close();
        result.complete(total);
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    /** Stops the transfer: the connection is closed and the body completes with {@code why}. */
    void abort(IOException why) {
        fail(why);
    }

    private void fail(IOException why) {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        close();
        result.completeExceptionally(why);
    }

    private void close() {
        try {
            out.close();
        } catch (IOException e) {
            // the result says what went wrong; the temp file is deleted by the caller
        }
    }
}
