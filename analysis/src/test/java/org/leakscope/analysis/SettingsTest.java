package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Frame;
import org.leakscope.model.Limits;

/** The plain values a front end passes, and the reader options, folding and symbols built from them. */
class SettingsTest {
    private static final Frame APP_ALLOC = new Frame(0x1000, "app.exe", 0x10L, "AppAlloc", 4L, null, null);

    @Test
    void defaultsAreTheReadersDefaults() {
        Settings s = Settings.defaults();
        assertEquals("windows-1252", s.umdh().ansiCharset().name());
        assertEquals("windows-1252", s.log().debugView().ansiCharset().name());
        assertEquals(0, s.umdh().compareRadix());
        assertFalse(s.umdh().strict());
        assertFalse(s.log().debugView().strict());
        assertNull(s.log().processId());
        assertNull(s.log().processName());
        assertEquals(Limits.DEFAULT, s.inputs().limits());
        assertFalse(s.folding().isEmpty());
        assertFalse(s.folding().isAllocator(APP_ALLOC));
    }

    @Test
    void foldGlobsAddToTheDefaultsAndNoFoldKeepsEveryFrame() {
        Settings fold = new Settings(List.of(), List.of("App*"), false, null, false, null, null, null, Limits.DEFAULT);
        assertTrue(fold.folding().isAllocator(APP_ALLOC));
        Settings none = new Settings(List.of(), List.of(), true, null, false, null, null, null, Limits.DEFAULT);
        assertTrue(none.folding().isEmpty());
    }

    @Test
    void encodingStrictnessRadixAndProcessReachBothReaders() {
        Settings s = new Settings(List.of(), List.of(), false, Charset.forName("GBK"), true, null, null, null,
                Limits.DEFAULT).withCompareRadix(10).withProcess(42L, "notepad.exe");
        assertEquals("GBK", s.umdh().ansiCharset().name());
        assertEquals("GBK", s.log().debugView().ansiCharset().name());
        assertTrue(s.umdh().strict());
        assertTrue(s.log().debugView().strict());
        assertEquals(10, s.umdh().compareRadix());
        assertEquals(42L, s.log().processId());
        assertEquals("notepad.exe", s.log().processName());
    }
}
