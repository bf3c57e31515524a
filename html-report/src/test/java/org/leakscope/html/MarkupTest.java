package org.leakscope.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MarkupTest {
    @Test
    void valuesAreEscapedAndHandlersRefused() {
        Markup m = new Markup().open("text", "x", "1.5", "data-name", "\"><script>").text("</svg>").close("text");
        assertEquals("<text x=\"1.5\" data-name=\"&quot;&gt;&lt;script&gt;\">&lt;/svg&gt;</text>", m.toString());
        assertThrows(IllegalArgumentException.class, () -> new Markup().open("img", "onerror", "x"));
        assertThrows(IllegalArgumentException.class, () -> new Markup().open("p", "style", "color:red"));
        assertThrows(IllegalArgumentException.class, () -> new Markup().open("p onclick=x"));
    }

    @Test
    void numbersHaveOneDecimalAndNoLocale() {
        assertEquals("12.3", Markup.num(12.34));
        assertEquals("-4", Markup.num(-4.0));
        assertEquals("0", Markup.num(Double.NaN));
    }

    @Test
    void thePolicyAllowsOnlyThePagesOwnStyleAndScript() {
        String policy = Page.policy();
        assertTrue(policy.startsWith("default-src 'none'; style-src 'sha256-"), policy);
        assertTrue(policy.contains("; script-src 'sha256-"), policy);
        assertTrue(!policy.contains("unsafe") && !policy.contains("http"), policy);
        String page = new Page("t<i>").toString();
        assertTrue(page.contains("<title>t&lt;i&gt;</title>"), page);
        assertTrue(page.indexOf("Content-Security-Policy") < page.indexOf("<style>"), "policy before any style");
    }
}
