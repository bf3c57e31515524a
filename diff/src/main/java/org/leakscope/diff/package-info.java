/**
 * Compares snapshots of the common model by call stack: bytes and counts per backtrace key between two
 * snapshots (what grew), and growth rates over many (what keeps growing). Knows nothing of file formats, so a
 * UMDH log, a resmon log and a dump's resmon table compare the same way.
 */
package org.leakscope.diff;
