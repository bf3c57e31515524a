package org.leakscope.minidump;

import java.time.Instant;
import org.leakscope.model.DebugIds;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;

/** Turns a raw MINIDUMP_MODULE into a {@link DumpModule}: name string, version, CodeView debug identity. */
final class ModuleDecoder {
    /** CodeView records are a signature, a GUID and a path: 64 KB is far beyond any real one. */
    private static final int MAX_CV_RECORD = 64 * 1024;

    private final Minidump dump;

    ModuleDecoder(Minidump dump) {
        this.dump = dump;
    }

    DumpModule decode(MinidumpFile.Module m) {
        String path = dump.stringAt(m.ofsName(), "module name");
        if (path == null) {
            path = "";
        }
        String debugFile = null;
        String debugId = null;
        String codeId = null;
        String cvSignature = null;
        MinidumpFile.LocationDescriptor cv = m.cvRecord();
        if (cv.lenData() >= 4) {
            try {
                if (cv.lenData() > MAX_CV_RECORD) {
                    throw InputFormatException.atOffset(dump.source(), cv.ofsData(),
                            "a CodeView record of at most " + MAX_CV_RECORD + " bytes", cv.lenData() + " bytes");
                }
                byte[] bytes = dump.file().read(cv.ofsData(), (int) cv.lenData(), "CodeView record");
                MinidumpFile.CodeviewRecord r = StructReader.parse(dump.file(), cv.ofsData(), bytes,
                        "CodeView record of " + path, MinidumpFile.CodeviewRecord::new);
                if (r.info() instanceof MinidumpFile.CodeviewPdb70 p) {
                    cvSignature = "RSDS";
                    debugFile = baseName(p.pdbFileName());
                    debugId = CodeViewIds.pdb70(p.guid(), p.age());
                } else if (r.info() instanceof MinidumpFile.CodeviewPdb20 p) {
                    cvSignature = "NB10";
                    debugFile = baseName(p.pdbFileName());
                    debugId = CodeViewIds.pdb20(p.signature(), p.age());
                } else if (r.info() instanceof MinidumpFile.CodeviewElf e) {
                    cvSignature = "BpEL";
                    debugFile = baseName(path);
                    debugId = CodeViewIds.elf(e.buildId());
                    codeId = CodeViewIds.hex(e.buildId());
                }
            } catch (InputFormatException e) {
                dump.addProblem(Problem.of(e));
            }
        }
        if (codeId == null && m.timeDateStamp() != 0) {
            // Breakpad's code id for PE files: link timestamp then image size, both in hex.
            codeId = DebugIds.peCode(m.timeDateStamp(), m.lenImage());
        }
        MinidumpFile.FixedFileInfo v = m.versionInfo();
        boolean hasVersion = v.signature() == 0xfeef04bdL;
        String fileVersion = hasVersion ? version(v.fileVersionHi(), v.fileVersionLo()) : null;
        String productVersion = hasVersion ? version(v.productVersionHi(), v.productVersionLo()) : null;
        Module module = new Module(dump.address(m.addrBase()), m.lenImage(), path, debugFile, debugId, fileVersion,
                codeId);
        return new DumpModule(module, m.checksum(),
                m.timeDateStamp() == 0 ? null : Instant.ofEpochSecond(m.timeDateStamp()), productVersion, codeId,
                cvSignature);
    }

    /** Symbol stores key on the PDB's file name; writers record the build path (c:\\build\\app.pdb). */
    private static String baseName(String path) {
        return new Module(0, 0, path, null, null, null).name();
    }

    private static String version(long hi, long lo) {
        return (hi >>> 16) + "." + (hi & 0xffff) + "." + (lo >>> 16) + "." + (lo & 0xffff);
    }
}
