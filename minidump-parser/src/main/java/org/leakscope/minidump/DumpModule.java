package org.leakscope.minidump;

import java.time.Instant;
import org.leakscope.model.Module;

/**
 * A module from the ModuleList stream: the common-model {@link Module} plus what only a dump records.
 *
 * @param module         base, size, path, debug file and Breakpad-form debug id, file version
 * @param checksum       PE checksum (0 on Linux)
 * @param timestamp      PE link time, or null when 0
 * @param productVersion from VS_FIXEDFILEINFO, or null
 * @param codeId         Breakpad code id: PE timestamp + size, or the ELF build id; null when unknown
 * @param cvSignature    "RSDS", "NB10", "BpEL", or null without a CodeView record
 */
public record DumpModule(Module module, long checksum, Instant timestamp, String productVersion, String codeId,
        String cvSignature) {

    public long base() {
        return module.base();
    }

    public long size() {
        return module.size();
    }

    public String name() {
        return module.name();
    }
}
