package org.leakscope.minidump;

/**
 * One open handle from HandleData.
 *
 * @param typeName   "Event", "File", "Key"..., or null when the writer did not record it
 * @param objectName the object's name, or null
 */
public record HandleInfo(long handle, String typeName, String objectName, long attributes, long grantedAccess,
        long handleCount, long pointerCount) {
}
