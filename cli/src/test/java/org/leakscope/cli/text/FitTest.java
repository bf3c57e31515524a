package org.leakscope.cli.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Shortening and wrapping keep both ends of a name and every character of free text. */
class FitTest {
    @Test
    void middleKeepsBothEnds() {
        assertEquals("C:\\Program …\\bin\\app.dll", Fit.middle("C:\\Program Files\\Vendor\\bin\\app.dll", 24));
        assertEquals("ntdll.dll", Fit.middle("ntdll.dll", 9));
        assertEquals(24, Fit.columns(Fit.middle("x".repeat(100), 24)));
        // The ellipsis is one column but three bytes: width counts what byte-counting tools see.
        assertEquals(26, Fit.width(Fit.middle("x".repeat(100), 24)));
    }

    @Test
    void wrapBreaksAtSpacesThenAtSeparators() {
        assertEquals(List.of("one two", "three"), Fit.wrap("one two three", 9));
        assertEquals(List.of("WithHandleData|", "WithThreadInfo"), Fit.wrap("WithHandleData|WithThreadInfo", 16));
        assertEquals(List.of("abcdefgh", "ij"), Fit.wrap("abcdefghij", 8));
    }

    @Test
    void fieldIndentsContinuationLines() {
        StringBuilder out = new StringBuilder();
        Fit.field(out, "Command", 11, "a ".repeat(60).trim());
        String[] lines = out.toString().split("\n");
        assertEquals(2, lines.length);
        assertEquals("Command    a a", lines[0].substring(0, 14));
        assertEquals("           a", lines[1].substring(0, 12));
        assertEquals(Fit.WIDTH, lines[0].length());
    }
}
