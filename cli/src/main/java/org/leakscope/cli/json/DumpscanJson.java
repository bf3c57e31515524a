package org.leakscope.cli.json;

import java.util.List;
import org.leakscope.analysis.DumpJson;

/** Top level of {@code dumpscan --json}: one entry per dump argument, in argument order. */
public record DumpscanJson(String schema, List<DumpJson> dumps) {
    public static final String SCHEMA = "leakscope.dumpscan/2";
}
