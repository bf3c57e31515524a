/**
 * Text input shared by the log readers (UMDH, DebugView): byte-level line streaming with encoding detection,
 * so a several-hundred-megabyte log is scanned without a String per line. Format knowledge lives in the
 * readers, not here.
 */
package org.leakscope.model.io;
