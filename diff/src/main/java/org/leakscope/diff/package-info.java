/**
 * Compares snapshots of the common model by call stack: bytes and counts per backtrace key between two
 * snapshots (what grew), and growth rates over many (what keeps growing). Knows nothing of file formats, so a
 * UMDH log, a resmon log and a dump's resmon table compare the same way. Also which code a leak belongs to
 * (AllocatorFolding, Attribution, AttributedSite: the first frame outside the allocator and the language runtime,
 * docs/attribution.md), shared by every command until an analysis layer takes it.
 */
package org.leakscope.diff;
