package org.leakscope.minidump;

/**
 * One directory entry.
 *
 * @param index  position in the directory
 * @param type   the stream type number
 * @param kind   the registry entry, {@link StreamKind#OTHER} when unknown
 * @param size   bytes of stream data
 * @param offset file offset (RVA) of the data
 */
public record StreamEntry(int index, long type, StreamKind kind, long size, long offset) {

    public String label() {
        return StreamKind.labelOf(type);
    }
}
