/**
 * Text input shared by the log readers (UMDH, DebugView): byte-level line streaming with encoding detection,
 * so a several-hundred-megabyte log is scanned without a String per line, and the record of lines a reader
 * could not use. Infrastructure, not model: no format knowledge lives here (that is in the readers) and no
 * report record either (that is in {@code model}).
 */
package org.leakscope.textio;
