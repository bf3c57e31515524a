package org.leakscope.model;

/** What a tracked resource is. Not exhaustive: consumers must tolerate kinds added later. */
public enum ResourceKind {
    HEAP_BLOCK("heap block"),
    POOL_BLOCK("pool block"),
    THREAD("thread"),
    SYNC_OBJECT("sync object"),
    HANDLE("handle"),
    FILE_DESCRIPTOR("file descriptor");

    private final String label;

    ResourceKind(String label) {
        this.label = label;
    }

    /** Lowercase words for human output. */
    public String label() {
        return label;
    }
}
