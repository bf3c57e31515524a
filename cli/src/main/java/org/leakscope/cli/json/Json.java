package org.leakscope.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.leakscope.analysis.FrameJson;
import org.leakscope.cli.text.ControlChars;
import org.leakscope.model.Hex;
import org.leakscope.model.InlinedCall;

/** Jackson set up once for every verb, plus the value spellings the schema promises. */
public final class Json {
    private Json() {
    }

    /** Mix-ins: annotations for classes of modules that do not depend on Jackson (databind reads them). */
    static final Map<Class<?>, Class<?>> MIXINS = Map.of(FrameJson.class, InlinedOnlyWhenAny.class);

    /**
     * The same NON_EMPTY rules as data, for the record writer: reading them from the mix-in's annotations would
     * cost a short command an annotation proxy class (JsonMixinAgreementTest keeps the two the same).
     */
    static final Map<Class<?>, Set<String>> OMIT_WHEN_EMPTY = Map.of(FrameJson.class, Set.of("inlined"));

    /**
     * Created on first use: text output must not pay Jackson's start-up. Only what the record writer hands
     * over needs databind; the documents themselves do not (RecordJsonWriter says why).
     */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        static {
            INSTANCE.getFactory().setCharacterEscapes(new HiddenCharEscapes());
            MIXINS.forEach(INSTANCE::addMixIn);
        }
    }

    private static final class Writer {
        static final JsonFactory FACTORY = new JsonFactory().setCharacterEscapes(new HiddenCharEscapes());
        static final RecordJsonWriter RECORDS = new RecordJsonWriter(OMIT_WHEN_EMPTY,
                (g, v) -> Mapper.INSTANCE.writeValue(g, v));
    }

    /**
     * A frame's {@code inlined} array is written only when the address has inlined calls: documents of frames
     * without (every PDB and Breakpad frame today) stay as they were (docs/json.md).
     */
    private abstract static class InlinedOnlyWhenAny {
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract List<InlinedCall> inlined();
    }

    /**
     * JSON escapes only what is below U+0020; DEL, the C1 controls (U+009B is a CSI to some terminals) and the
     * bidi controls would reach a terminal that shows the JSON raw: they are written as {@code \\u009B} too.
     */
    static final class HiddenCharEscapes extends CharacterEscapes {
        private static final int[] ASCII = standardAsciiEscapesForJSON();

        static {
            ASCII[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ControlChars.isHidden(ch) ? new SerializedString(String.format("\\u%04X", ch)) : null;
        }
    }

    /** The document, indented as databind's INDENT_OUTPUT indents, and a line end. */
    public static String write(Object value) {
        StringWriter out = new StringWriter(4096);
        try {
            write(value, out);
        } catch (IOException e) {
            throw new IllegalStateException("JSON rendering failed", e);
        }
        return out.toString();
    }

    /**
     * The same, streamed into {@code out}: a 1 GB log's document is tens of megabytes, and building it as one
     * String first cost a second copy of it and a synchronized StringBuffer append per token.
     */
    public static void write(Object value, java.io.Writer out) throws IOException {
        try (JsonGenerator g = Writer.FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the caller's stream: it closes it
            g.useDefaultPrettyPrinter();
            Writer.RECORDS.write(g, value);
        }
        out.write(System.lineSeparator());
    }

    /** The document as databind alone writes it: the reference the record writer is tested against. */
    static String writeByDatabind(Object value) throws IOException {
        return Mapper.INSTANCE.writeValueAsString(value) + System.lineSeparator();
    }

    /** A zero-padded address: 8 hex digits for 32-bit processes, 16 for 64-bit. */
    public static String addr(long value, int pointerSize) {
        return Hex.padded(value, pointerSize);
    }

    /** {@code 0x1f}, or null. */
    public static String hex(Long value) {
        return value == null ? null : Hex.of(value);
    }
}
