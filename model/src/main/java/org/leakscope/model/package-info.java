/**
 * The one model every Leakscope reader produces and every analysis consumes: frames, backtraces,
 * resources, snapshots, module maps, usage samples and the problems found while reading.
 *
 * <p>Plain immutable records with no parsing logic, so a minidump, a UMDH log and a resmon log can be
 * compared with the same code. Unsigned 64-bit values (addresses, sizes) are held in {@code long} and
 * must be printed with {@link java.lang.Long#toUnsignedString(long, int)} or {@link Hex}. Beside the records, the
 * few helpers every reader shares: {@link Hex}, and {@link SeededHash} and {@link LongIntMap} for tables keyed by
 * values an input chooses.
 */
package org.leakscope.model;
