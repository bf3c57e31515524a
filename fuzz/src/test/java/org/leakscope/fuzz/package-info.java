/**
 * Jazzer fuzz targets, one class per reader. Each target writes the fuzzer's bytes to a file, opens it the way
 * the commands do and touches every accessor, under {@link ReaderContract}: only {@code InputFormatException}
 * may escape, no input may take more than a second, and the surefire heap is 256 MB, so an allocation sized by
 * a count from the file shows up as an {@code OutOfMemoryError} finding.
 *
 * <p>Seeds: each target's {@code <Class>Inputs/<method>/} folder on the test class path. Committed findings
 * and self-made seeds live under {@code src/test/resources}; the build copies the matching corpus and testdata
 * files there at test time (never committed).
 */
package org.leakscope.fuzz;
