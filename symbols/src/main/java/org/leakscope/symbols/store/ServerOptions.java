package org.leakscope.symbols.store;

import java.time.Duration;

/**
 * How symbol servers are asked. Each cap has a name and a default and is passed in, never static.
 *
 * @param offline        never use the network: only what earlier runs left in the caches
 * @param connectTimeout how long a connection may take to open
 * @param readTimeout    how long the server may keep us waiting: for the response headers, and between two
 *                       pieces of a download
 * @param maxBytes       the largest file downloaded or decompressed (the server's size is checked before a byte
 *                       is written, then the bytes as they come)
 * @param missTtl        how long a file the server did not have (HTTP 404) is not asked for again: kept in the
 *                       cache folder, so the next run does not ask either
 */
public record ServerOptions(boolean offline, Duration connectTimeout, Duration readTimeout, long maxBytes,
        Duration missTtl) {
    /** Online, 10 s to connect, 60 s of silence, 4 GiB (the size of the largest PDBs), misses kept a day. */
    public static ServerOptions defaults() {
        return new ServerOptions(false, Duration.ofSeconds(10), Duration.ofSeconds(60), 4L << 30, Duration.ofDays(1));
    }

    public ServerOptions withOffline(boolean off) {
        return new ServerOptions(off, connectTimeout, readTimeout, maxBytes, missTtl);
    }
}
