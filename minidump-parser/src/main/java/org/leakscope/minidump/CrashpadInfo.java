package org.leakscope.minidump;

/** Crashpad's report and client ids (hex GUID form). */
public record CrashpadInfo(long version, String reportId, String clientId) {
}
