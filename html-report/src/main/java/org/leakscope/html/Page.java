package org.leakscope.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One self-contained report page: the head with a Content-Security-Policy that allows nothing but this page's
 * own style and script (by their SHA-256 hashes: no remote load, no injected inline script or handler, no
 * style attribute), a JSON data island describing the report, and the body the renderer built.
 */
final class Page {
    private static final String CSS = resource("report.css");
    private static final String JS = resource("report.js");

    private final String title;
    private final Markup body = new Markup();
    private final Map<String, Object> data = new LinkedHashMap<>();

    Page(String title) {
        this.title = title;
    }

    /** The body, to add to. */
    Markup body() {
        return body;
    }

    /**
     * A figure for the data island ({@code <script type="application/json" id="report-data">}): a string, a
     * number or a boolean. Scripts and tests read the report's figures there.
     */
    Page datum(String name, Object value) {
        data.put(name, value);
        return this;
    }

    /** The policy: nothing may be loaded; the one style and the one script are allowed by hash. */
    static String policy() {
        return "default-src 'none'; style-src '" + sha256(CSS) + "'; script-src '" + sha256(JS)
                + "'; img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'";
    }

    void writeTo(Writer w) throws IOException {
        Markup head = new Markup();
        head.open("meta", "charset", "utf-8");
        head.empty("meta", "http-equiv", "Content-Security-Policy", "content", policy());
        head.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
        head.empty("meta", "name", "referrer", "content", "no-referrer");
        head.el("title", title);
        w.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n");
        w.write(head.toString());
        w.write("\n<style>");
        w.write(CSS);
        w.write("</style>\n</head>\n<body>\n");
        w.write(body.toString());
        w.write("\n<script type=\"application/json\" id=\"report-data\">");
        w.write(json());
        w.write("</script>\n<script>");
        w.write(JS);
        w.write("</script>\n</body>\n</html>\n");
    }

    @Override
    public String toString() {
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            writeTo(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private String json() {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(Escape.jsonInScript(e.getKey())).append(':');
            Object v = e.getValue();
            if (v == null || v instanceof Double d && !Double.isFinite(d)) {
                b.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                b.append(Escape.jsonInScript(v.toString()));
            }
        }
        return b.append('}').toString();
    }

    private static String sha256(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Page.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
