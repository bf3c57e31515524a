package org.leakscope.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.leakscope.analysis.TriageRecord;

/**
 * A record line read back. Not {@code TriageJson.read}: that one refuses records without a hash, which a file the
 * executor could not fetch has; here every line the job wrote counts.
 */
final class RecordLines {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false); // schema, modified

    private RecordLines() {
    }

    static TriageRecord read(String line) {
        try {
            return MAPPER.readValue(line, TriageRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record line the job wrote does not read back: " + e.getMessage(), e);
        }
    }
}
