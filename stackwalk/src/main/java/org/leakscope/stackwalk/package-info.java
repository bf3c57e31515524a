/**
 * Stack walking: every thread's call stack recovered from a minidump, the way Breakpad's processor does, with how
 * each frame was found. {@link org.leakscope.stackwalk.StackWalker} is the entry point; per CPU an
 * {@code Unwinder} tries call frame information (Breakpad STACK CFI, x86 STACK WIN programs, evaluated by a
 * small bounded postfix evaluator), the frame-pointer chain and stack scanning, in that order. Symbols and
 * unwind records come from {@link org.leakscope.symbols.SymbolStore}, or, for a module no file covers, from the
 * image a full-memory dump captured ({@code CapturedImages}). Rules read only the thread's own captured stack, so
 * rules pointing elsewhere fail rather than read other memory; the call check reads code bytes.
 *
 * <p>Where Breakpad's choices are arbitrary (how x86 .raSearchStart is adjusted) this package makes the same
 * ones, so the differential test against {@code minidump_stackwalk} compares like with like; such places say so.
 * Which words a scan accepts is Breakpad's rule plus a check that a word follows a call where the code bytes are
 * known ({@link org.leakscope.stackwalk.StackWalker.ScanRule}).
 */
package org.leakscope.stackwalk;
