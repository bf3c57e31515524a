package org.leakscope.cli.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.leakscope.analysis.TriageRecord;
import org.leakscope.analysis.TriageSummary;

/**
 * triage's JSON: the per-file record lines ({@code leakscope.triage-record/1}, one object per line, for
 * {@code --records} and the {@code --state} folder) and the aggregate document ({@code leakscope.triage/1}).
 */
public final class TriageJson {
    public static final String SCHEMA = "leakscope.triage/1";

    /** One line per record: compact, and tolerant of fields added later when read back. */
    private static final ObjectMapper LINES = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static {
        LINES.getFactory().setCharacterEscapes(new Json.HiddenCharEscapes()); // C1 and bidi controls escaped, as in every document
    }

    private TriageJson() {
    }

    /** A record as one line (no line break): the schema first, then the record, then the file's modified time. */
    public static String line(TriageRecord r, long modifiedMillis) {
        ObjectNode n = LINES.createObjectNode();
        n.put("schema", TriageRecord.VERSION);
        n.setAll((ObjectNode) LINES.valueToTree(r));
        n.put("modified", modifiedMillis);
        try {
            return LINES.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON rendering failed", e);
        }
    }

    /** A line read back: the record and the modified time it was written with. */
    public record Line(TriageRecord record, long modifiedMillis) {
    }

    /**
     * Reads one line; null for a record of another version (made by another Leakscope: read the file again).
     *
     * @throws IllegalArgumentException when the line is not a record (the caller names file and line)
     */
    public static Line read(String line) {
        try {
            JsonNode n = LINES.readTree(line);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("expected a JSON object, found " + (n == null ? "nothing"
                        : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
            }
            if (!TriageRecord.VERSION.equals(n.path("schema").asText())) {
                return null;
            }
            TriageRecord r = LINES.treeToValue(n, TriageRecord.class);
            if (r.file() == null || r.sha256() == null) {
                throw new IllegalArgumentException("expected a record with file and sha256, found one without");
            }
            return new Line(r, n.path("modified").asLong(0));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("expected a JSON record, found " + e.getOriginalMessage());
        }
    }

    /**
     * The aggregate document. How the run went (files read, remembered, time) is not in it: the same inputs give
     * the same document, whether read now or remembered by {@code --state}.
     */
    public static Map<String, Object> document(TriageSummary s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("counts", s.counts());
        doc.put("signatures", s.signatures());
        doc.put("leakingSites", s.leakingSites());
        doc.put("liveSites", s.liveSites());
        doc.put("limits", s.limits());
        doc.put("failed", s.failed());
        doc.put("damaged", s.damaged());
        return doc;
    }
}
