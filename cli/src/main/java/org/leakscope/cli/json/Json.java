package org.leakscope.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import org.leakscope.analysis.FrameJson;
import org.leakscope.cli.text.ControlChars;
import org.leakscope.model.Hex;
import org.leakscope.model.InlinedCall;

/** Jackson set up once for every verb, plus the value spellings the schema promises. */
public final class Json {
    private Json() {
    }

    /** Created on first use: text output must not pay Jackson's start-up (about 200 classes). */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        static {
            INSTANCE.getFactory().setCharacterEscapes(new HiddenCharEscapes());
            INSTANCE.addMixIn(FrameJson.class, InlinedOnlyWhenAny.class);
        }
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

    public static String write(Object value) {
        try {
            return Mapper.INSTANCE.writeValueAsString(value) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON rendering failed", e);
        }
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
