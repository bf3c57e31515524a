package org.leakscope.symbols.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
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
    /** How often a download's progress is looked at. */
    private static final long POLL_MILLIS = 50;

    private final ServerOptions options;
    private final Consumer<String> warn;
    private HttpClient client;
    /** URLs that failed this run (404s, time-outs, damage): not asked again. */
    private final Set<String> failed = new HashSet<>();
    /** Servers that timed out or refused the connection: one wait per run, not one per file. */
    private final Set<URI> down = new HashSet<>();

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
        return download(s, dir, id, file, !file.toLowerCase(Locale.ROOT).endsWith(".sym"));
    }

    /**
     * The same; {@code cabinet}: also ask for the compressed name when the plain one is missing (Breakpad stores
     * serve {@code .sym} files as they are, debuginfod servers their files).
     */
    Optional<Fetched> download(SymbolPath.Server s, String dir, String id, String file, boolean cabinet) {
        Path folder = StoreFiles.inside(s.cache(), dir, id);
        Path target = StoreFiles.inside(s.cache(), dir, id, file);
        if (options.offline() || folder == null || target == null) {
            return Optional.empty();
        }
        String plain = url(s, dir, id, file);
        if (get(s, plain, folder, target, false)) {
            return Optional.of(new Fetched(target, plain, true));
        }
        if (!cabinet) {
            return Optional.empty();
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
        if (down.contains(s.url()) || failed.contains(url) || recentMiss(s.cache(), url)) {
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
        } catch (HttpTimeoutException | ConnectException e) {
            failed.add(url);
            down.add(s.url());
            String what = e instanceof ConnectException ? "cannot connect" : "timed out";
            warn.accept("symbol server: " + url + ": " + what
                    + " (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + "); " + s.url()
                    + " is not asked again in this run");
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
        AtomicReference<FileDownload> body = new AtomicReference<>();
        CompletableFuture<HttpResponse<Long>> response = client().sendAsync(request, info -> {
            long announced = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (info.statusCode() != 200 || announced > options.maxBytes()) {
                return HttpResponse.BodySubscribers.replacing(announced); // not read: status or size says no
            }
            try {
                body.set(new FileDownload(into, options.maxBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return body.get();
        });
        HttpResponse<Long> r = await(response, body);
        long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (r.statusCode() != 200) {
            return r.statusCode();
        }
        if (body.get() == null) {
            throw new IOException(announced + " bytes, more than the limit of " + options.maxBytes());
        }
        if (announced >= 0 && r.body() != announced) {
            throw new IOException("truncated: " + r.body() + " of " + announced + " bytes");
        }
        return 200;
    }

    /** The response, once the body is complete; a time-out when the server is silent for the read time-out. */
    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> response,
            AtomicReference<FileDownload> body) throws IOException, InterruptedException {
        long limit = options.readTimeout().toNanos();
        while (true) {
            try {
                return response.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException io) {
                    throw io;
                }
                throw new IOException(c.getMessage(), c);
            } catch (TimeoutException e) {
                FileDownload d = body.get();
                // until the headers arrive the request's own time-out applies (it starts once connected)
                if (d != null && System.nanoTime() - d.lastProgress() > limit) {
                    HttpTimeoutException silent = new HttpTimeoutException("no data for "
                            + options.readTimeout().toMillis() + " ms");
                    d.abort(silent);
                    response.cancel(true);
                    throw silent;
                }
            }
        }
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
        // the client's threads are daemons and end with it
    }
}
