package org.leakscope.symbols.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.leakscope.model.InputFormatException;

/**
 * Downloads from HTTP(S) symbol servers into their cache folders, each file once: the cache is looked at
 * first, a download goes to a temporary file in the folder it ends up in and is renamed into place only when
 * complete (a killed run leaves no half file under the real name), and a file the server does not have
 * (HTTP 404) is remembered: for the rest of the run in memory, and for {@link ServerOptions#missTtl} in the
 * cache's {@code .leakscope-misses/} folder. Microsoft's servers also hold files compressed as a cabinet
 * under the name with its last letter replaced by {@code _} ({@code app.pd_}); those are asked for when the
 * plain name is missing and decompressed into the cache under the plain name ({@link CabReader}).
 *
 * <p>Nothing from the server decides a path: the path is built from checked names ({@link SafeNames}) and
 * redirects are followed only as the JDK's {@code NORMAL} policy allows (never from HTTPS to HTTP).
 */
final class SymbolServer implements AutoCloseable {
    private static final String MISSES = ".leakscope-misses";

    private final ServerOptions options;
    private final Consumer<String> warn;
    private HttpClient client;
    private ScheduledExecutorService watchdog;
    /** URLs that failed this run (404s, time-outs, damage): not asked again. */
    private final Set<String> failed = new HashSet<>();

    /** A file in a server's cache, and the URL it came from. */
    record Fetched(Path file, String url, boolean downloaded) {
    }

    SymbolServer(ServerOptions options, Consumer<String> warn) {
        this.options = options;
        this.warn = warn;
    }

    /** The server's URL for {@code parts} (each a checked name), percent-encoded. */
    static String url(SymbolPath.Server s, String... parts) {
        StringBuilder b = new StringBuilder(s.url().toString());
        for (int i = 0; i < parts.length; i++) {
            b.append(i == 0 ? "" : "/").append(URLEncoder.encode(parts[i], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }

    /** The file in the cache, when an earlier run or this one downloaded it; never asks the server. */
    Optional<Fetched> cached(SymbolPath.Server s, String dir, String id, String file) {
        Path p = StoreFiles.inside(s.cache(), dir, id, file);
        return StoreFiles.regularInside(s.cache(), p) ? Optional.of(new Fetched(p, url(s, dir, id, file), false))
                : Optional.empty();
    }

    /**
     * {@code dir/id/file} from the server into its cache (or the cabinet {@code dir/id/fil_} decompressed),
     * or empty when the server has neither, it failed (a warning says how), or the run is offline.
     */
    Optional<Fetched> download(SymbolPath.Server s, String dir, String id, String file) {
        Path folder = StoreFiles.inside(s.cache(), dir, id);
        Path target = StoreFiles.inside(s.cache(), dir, id, file);
        if (options.offline() || folder == null || target == null) {
            return Optional.empty();
        }
        String plain = url(s, dir, id, file);
        if (get(s, plain, folder, target, false)) {
            return Optional.of(new Fetched(target, plain, true));
        }
        if (file.toLowerCase(Locale.ROOT).endsWith(".sym")) {
            return Optional.empty(); // Breakpad stores serve .sym files as they are
        }
        String packedName = file.substring(0, file.length() - 1) + "_";
        String packed = url(s, dir, id, packedName);
        if (!packedName.equals(file) && get(s, packed, folder, target, true)) {
            return Optional.of(new Fetched(target, packed, true));
        }
        return Optional.empty();
    }

    /** True when {@code url} is now in {@code target}; {@code cab}: the body is a cabinet to decompress. */
    private boolean get(SymbolPath.Server s, String url, Path folder, Path target, boolean cab) {
        if (failed.contains(url) || recentMiss(s.cache(), url)) {
            return false;
        }
        Path tmp = null;
        Path unpacked = null;
        try {
            Files.createDirectories(folder);
            tmp = Files.createTempFile(folder, ".download-", ".tmp");
            int status = fetch(url, tmp);
            if (status == 404) {
                failed.add(url);
                rememberMiss(s.cache(), url);
                return false;
            }
            if (status != 200) {
                throw new IOException("HTTP status " + status);
            }
            Path done = tmp;
            if (cab) {
                unpacked = Files.createTempFile(folder, ".unpack-", ".tmp");
                CabReader.extract(tmp, unpacked, options.maxBytes());
                done = unpacked;
            }
            Files.move(done, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (InputFormatException e) {
            failed.add(url);
            warn.accept("symbol server: " + url + ": not used: " + e.getMessage());
        } catch (HttpTimeoutException | InterruptedIOException e) {
            failed.add(url);
            warn.accept("symbol server: " + url + ": timed out (" + e.getMessage() + ")");
        } catch (IOException e) {
            failed.add(url);
            warn.accept("symbol server: " + url + ": download failed: " + e.getMessage());
        } catch (InterruptedException e) {
            failed.add(url);
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(tmp);
            deleteQuietly(unpacked);
        }
        return false;
    }

    /** The response status; a 200's body is in {@code into}, checked against the size limit and Content-Length. */
    private int fetch(String url, Path into) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(options.readTimeout())
                .header("User-Agent", "Leakscope").GET().build();
        HttpResponse<InputStream> r = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                return r.statusCode();
            }
            long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (announced > options.maxBytes()) {
                throw new IOException(announced + " bytes, more than the limit of " + options.maxBytes());
            }
            long got = copy(in, into);
            if (announced >= 0 && got != announced) {
                throw new IOException("truncated: " + got + " of " + announced + " bytes");
            }
            return 200;
        }
    }

    /** The body into the file; a watchdog interrupts the read when the server is silent for the read time-out. */
    private long copy(InputStream in, Path into) throws IOException {
        AtomicLong last = new AtomicLong(System.nanoTime());
        Thread reader = Thread.currentThread();
        long limit = options.readTimeout().toNanos();
        ScheduledFuture<?> guard = watchdog().scheduleAtFixedRate(() -> {
            if (System.nanoTime() - last.get() > limit) {
                reader.interrupt();
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        long total = 0;
        try (OutputStream out = Files.newOutputStream(into)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                last.set(System.nanoTime());
                total += n;
                if (total > options.maxBytes()) {
                    throw new IOException("more than the limit of " + options.maxBytes() + " bytes");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            if (Thread.interrupted()) {
                throw new InterruptedIOException("no data for " + options.readTimeout().toSeconds() + " s");
            }
            throw e;
        } finally {
            guard.cancel(false);
            Thread.interrupted(); // a late tick must not reach the caller
        }
        return total;
    }

    private boolean recentMiss(Path cache, String url) {
        Path p = cache.resolve(MISSES).resolve(key(url));
        try {
            FileTime t = Files.getLastModifiedTime(p);
            return t.toInstant().plus(options.missTtl()).isAfter(Instant.now());
        } catch (IOException e) {
            return false;
        }
    }

    private void rememberMiss(Path cache, String url) {
        try {
            Path dir = Files.createDirectories(cache.resolve(MISSES));
            Path tmp = Files.createTempFile(dir, ".miss-", ".tmp");
            Files.writeString(tmp, url + "\n");
            Files.move(tmp, dir.resolve(key(url)), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the in-memory record still spares this run; the next one asks again
        }
    }

    /** A file name for a URL: its SHA-256, so no part of the URL reaches the file system. */
    private static String key(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(options.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return client;
    }

    private ScheduledExecutorService watchdog() {
        if (watchdog == null) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "leakscope-download-watchdog");
                t.setDaemon(true);
                return t;
            });
        }
        return watchdog;
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a stray temp file in the cache is harmless: it never has a store name
            }
        }
    }

    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }
}
