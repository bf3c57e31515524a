package org.leakscope.spark;

import java.util.List;
import org.leakscope.analysis.TriageRecord;

/**
 * A record made from an executor's temporary copy, given the original's name: the file and every message that
 * quotes the copy's path (a reader's error names the file it read).
 */
final class Relocation {
    private Relocation() {
    }

    static TriageRecord of(TriageRecord r, String copy, String original) {
        List<String> problems = r.problems().stream().map(p -> replace(p, copy, original)).toList();
        return new TriageRecord(original, r.sha256(), r.size(), r.kind(), replace(r.skipped(), copy, original),
                replace(r.error(), copy, original), r.identity(), r.crash(), r.liveSites(), r.runs(), problems);
    }

    private static String replace(String message, String copy, String original) {
        return message == null ? null : message.replace(copy, original);
    }
}
