package org.leakscope.minidump;

/**
 * One region of the address space from MemoryInfoList, captured or not.
 *
 * @param state "commit", "reserve", "free", or the number in hex when unknown
 * @param type  "image", "mapped", "private", "" for free regions, or the number in hex
 */
public record MemoryRegion(long base, long allocationBase, long allocationProtect, long size, String state,
        long protect, String type) {
}
