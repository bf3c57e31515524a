package org.leakscope.symbols;

/**
 * A module's image as the process had it mapped, as far as a dump captured it: bytes by RVA (the address minus
 * the module's base). A full-memory Windows minidump holds whole images; others hold a few pages or none, so a
 * read may come back short. The stack walker reads a module's x64 unwind data through this when no file has it
 * ({@link X64Unwind#open(LoadedImage, long)}).
 */
public interface LoadedImage {
    /** Names the image in messages, e.g. {@code crash.dmp: ntdll.dll at 0x7ff8a0000000}. */
    String source();

    /**
     * The bytes from {@code rva} on, at most {@code length} of them: as many as were captured without a gap, so
     * an empty array when the byte at {@code rva} was not captured.
     */
    byte[] read(long rva, int length);

    /**
     * The lowest RVA at or after {@code rva} that the dump may hold (it captured a range there), or -1 when it
     * holds nothing more of the image: a reader skips what was not captured without asking for it page by page.
     */
    long nextCaptured(long rva);
}
