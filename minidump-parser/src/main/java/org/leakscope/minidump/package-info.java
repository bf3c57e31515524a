/**
 * Reads Windows, Breakpad and Crashpad minidumps of any size.
 *
 * <p>{@link org.leakscope.minidump.Minidump#open} reads the header and the stream directory only; each stream
 * is parsed on first request from exactly the bytes its directory entry names, and cached. Memory contents
 * are never read until asked for ({@link org.leakscope.minidump.VirtualMemory}), so a 6 GB full-memory dump
 * opens as fast as a small one. The Kaitai-generated parser ({@code minidump.ksy}) is package-private:
 * callers see only the hand-written records in this package.
 *
 * <p>A damaged or missing optional stream degrades the same way: the accessor returns empty and the damage
 * is recorded in {@link org.leakscope.minidump.Minidump#problems()}. Only a broken header or directory is
 * fatal ({@link org.leakscope.model.InputFormatException}).
 */
package org.leakscope.minidump;
