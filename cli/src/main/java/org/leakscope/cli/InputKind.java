package org.leakscope.cli;

/** What a file given to leakdiff turned out to be. */
enum InputKind {
    UMDH_SNAPSHOT("umdh-snapshot"), UMDH_COMPARE("umdh-compare"), RESMON_LOG("resmon-log"),
    TABLE_IMAGE("table-image"), DUMP_TABLE("minidump");

    private final String jsonName;

    InputKind(String jsonName) {
        this.jsonName = jsonName;
    }

    String jsonName() {
        return jsonName;
    }
}
