package org.leakscope.cli.text;

import java.util.List;
import java.util.Map;

/** {@code --raw}: an indented tree of every field, numbers in hex and decimal, byte arrays in hex. */
public final class RawRenderer {
    private static final int MAX_INLINE_BYTES = 64;

    private RawRenderer() {
    }

    public static void render(StringBuilder out, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object v = e.getValue();
                if (v instanceof Map<?, ?> || (v instanceof List<?> l && !l.isEmpty() && !(l.get(0) instanceof Number))) {
                    out.append(indent).append(e.getKey()).append(":\n");
                    render(out, v, indent + "  ");
                } else {
                    out.append(indent).append(e.getKey()).append(" = ").append(scalar(v)).append('\n');
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                out.append(indent).append('[').append(i).append("]\n");
                render(out, list.get(i), indent + "  ");
            }
        } else {
            out.append(indent).append(scalar(value)).append('\n');
        }
    }

    public static String scalar(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            long n = ((Number) v).longValue();
            return "0x" + Long.toHexString(n) + " (" + Long.toUnsignedString(n) + ")";
        }
        if (v instanceof byte[] b) {
            StringBuilder sb = new StringBuilder(b.length + " bytes: ");
            for (int i = 0; i < Math.min(b.length, MAX_INLINE_BYTES); i++) {
                sb.append(org.leakscope.model.Hex.digits(b[i] & 0xff, 2, false));
            }
            return b.length > MAX_INLINE_BYTES ? sb.append("...").toString() : sb.toString();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(RawRenderer::scalar).toList().toString();
        }
        if (v instanceof String s) {
            return '"' + s + '"';
        }
        return String.valueOf(v);
    }
}
