package org.leakscope.minidump;

import java.time.Instant;

/** A module that was loaded earlier and unloaded before the dump (UnloadedModuleList). */
public record UnloadedModule(long base, long size, long checksum, Instant timestamp, String name) {
}
