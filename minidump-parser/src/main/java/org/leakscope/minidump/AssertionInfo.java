package org.leakscope.minidump;

/** Breakpad's record of a failed assertion or invalid-parameter call that triggered the dump. */
public record AssertionInfo(String expression, String function, String file, long line, long type) {
}
