package org.leakscope.analysis;

/** What a file turned out to be, from its content (never from its name). */
public enum InputKind {
    /** A UMDH heap snapshot log ({@code // UMDH: version} header, heap sections, allocation records). */
    UMDH_SNAPSHOT("umdh-snapshot"),
    /** UMDH's comparison of two snapshots ({@code + N ( NEW - OLD) ... BackTraceID}). */
    UMDH_COMPARE("umdh-compare"),
    /** A DebugView capture (or plain log) holding resmon output ({@code [pid] name.exe|resmon| ...}). */
    RESMON_LOG("resmon-log"),
    /** A resmon tracking table image (.rmt) the tracker wrote. */
    TABLE_IMAGE("table-image"),
    /** A minidump (it may hold resmon tracking tables in a user stream or in its memory). */
    MINIDUMP("minidump");

    private final String jsonName;

    InputKind(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The kind's name in the JSON documents ({@code umdh-snapshot}, {@code minidump}, ...). */
    public String jsonName() {
        return jsonName;
    }
}
