package org.leakscope.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class EscapeTest {
    @Test
    void htmlTextAndAttributesCannotBeLeft() {
        assertEquals("&lt;/svg&gt;&lt;img src=x onerror=&quot;a()&quot;&gt; &#39;q&#39; &amp;amp;",
                Escape.html("</svg><img src=x onerror=\"a()\"> 'q' &amp;"));
        assertEquals("C:\\Program Files\\x.dll", Escape.html("C:\\Program Files\\x.dll")); // unchanged
    }

    @Test
    void terminalAndBidiControlsAreShownNotKept() {
        assertEquals("ev\\x1b]0;pwned\\x07il \\x9b2J \\u202eexe.txt tab\there",
                Escape.html("ev\u001b]0;pwned\u0007il \u009b2J \u202eexe.txt tab\there"));
    }

    @Test
    void jsonInsideScriptCannotCloseTheElementOrStartAComment() {
        String s = Escape.jsonInScript("</script><!-- \u2028\u2029 \"q\" \\ \u001b & >");
        assertEquals("\"\\u003c/script\\u003e\\u003c!-- \\u2028\\u2029 \\\"q\\\" \\\\ \\u001b \\u0026 \\u003e\"", s);
        assertFalse(s.contains("<"));
        assertEquals("null", Escape.jsonInScript(null));
    }
}
