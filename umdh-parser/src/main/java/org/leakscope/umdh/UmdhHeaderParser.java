package org.leakscope.umdh;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.Module;

/**
 * The {@code //} comment lines at the top of UMDH logs: version, log time, machine, PID, OS version and the
 * loaded-modules table ({@code //    BASE    SIZE PATH}, hex without 0x, right-aligned). Any other comment
 * is informational and ignored.
 */
final class UmdhHeaderParser {
    private String version;
    private java.time.LocalDateTime logTime;
    private String machine;
    private Long pid;
    private String os;
    private boolean inModules;
    private final List<Module> modules = new ArrayList<>();

    /** Takes one comment line; true when it is one only UMDH writes (the version header, the module table). */
    boolean comment(String line, long lineNumber, String source, Limits limits) {
        String t = line.substring(2).strip();
        if (t.startsWith("UMDH: version")) {
            // UMDH: version 6.1.7650.0: Logtime 2012-04-30 12:09 - Machine=HCE-C2SFLQ1 - PID=7696
            for (String part : t.split(" - |: ")) {
                String p = part.strip();
                if (p.startsWith("UMDH")) {
                    continue;
                }
                if (p.startsWith("version ")) {
                    version = p.substring(8).strip();
                } else if (p.startsWith("Logtime ")) {
                    logTime = UmdhSnapshotReader.parseLogTime(p.substring(8));
                } else if (p.startsWith("Machine=")) {
                    machine = p.substring(8);
                } else if (p.startsWith("PID=")) {
                    try {
                        pid = Long.parseLong(p.substring(4).strip());
                    } catch (NumberFormatException e) {
                        pid = null;
                    }
                }
            }
            return true;
        }
        if (t.startsWith("OS version")) {
            os = t.substring(10).strip();
            return false;
        }
        if (t.startsWith("Loaded modules")) {
            inModules = true;
            return true;
        }
        if (inModules) {
            if (t.isEmpty() || t.startsWith("Process modules")) {
                inModules = false;
                return true;
            }
            if (t.startsWith("Base")) {
                return true;
            }
            String[] f = t.split("\\s+", 3);
            if (f.length == 3 && FrameText.isAddress(f[0]) && FrameText.isAddress(f[1])) {
                if (modules.size() >= limits.maxModules()) {
                    throw InputFormatException.atLine(source, lineNumber,
                            "at most " + limits.maxModules() + " loaded modules", "more");
                }
                modules.add(new Module(FrameText.parseHex(f[0]), FrameText.parseHex(f[1]), f[2].strip(), null, null,
                        null));
                return true;
            }
            inModules = false;
        }
        return false;
    }

    UmdhHeader header() {
        return new UmdhHeader(version, logTime, machine, pid, os);
    }

    List<Module> modules() {
        return modules;
    }
}
