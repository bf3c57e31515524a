/**
 * Readers for logs captured with Sysinternals DebugView: the DebugView framing (sequence number, elapsed or
 * clock time, the {@code [pid] } prefix of user-mode lines) and, on top of it, the output of the resmon
 * resource tracker. Streaming, with line numbers for everything they cannot read.
 */
package org.leakscope.resmon;
