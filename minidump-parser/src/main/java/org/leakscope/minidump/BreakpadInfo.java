package org.leakscope.minidump;

/** Breakpad's own stream: which thread wrote the dump and which one asked for it; null when not valid. */
public record BreakpadInfo(Long dumpThreadId, Long requestingThreadId) {
}
