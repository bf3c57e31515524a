package org.leakscope.cli.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.analysis.DumpJson;
import org.leakscope.analysis.DumpJson.ThreadJson;
import org.leakscope.analysis.StackFrameJson;
import org.leakscope.model.InlinedCall;

/**
 * The walked-stack text on hand-made report records: inlined calls (which the symbol store fills in from DWARF and
 * INLINE records) each on a line of their own above their frame, innermost first; long frames within 120
 * columns; the waiting mark and the walk's end when it is worth knowing.
 */
class StackTextTest {
    private static StackFrameJson frame(int index, String trust, String text, String file, Integer line,
            List<InlinedCall> inlined) {
        return new StackFrameJson(index, trust, "0x1000", "app", "0x10", null, null, file, line, text, null, inlined,
                null);
    }

    private static ThreadJson thread(String id, boolean crashed, String waiting, String end,
            List<StackFrameJson> frames) {
        return new ThreadJson(id, null, 0, "0x0", 0, null, null, 0, null, null, null, null, null, crashed, false, null,
                null, null, null, waiting, end, frames);
    }

    private static String render(String signature, List<ThreadJson> threads) {
        DumpJson d = new DumpJson("x.dmp", 1L, null, null, null, null, null, null, null, signature, threads, List.of(),
                List.of(), null, null, null, List.of(), List.of());
        StringBuilder out = new StringBuilder();
        StackText.render(out, d);
        return out.toString();
    }

    @Test
    void inlinedCallsGetLinesOfTheirOwnAboveTheirFrame() {
        List<InlinedCall> inlined = List.of(new InlinedCall("wrap_alloc", null, "src/wrap.h", 5),
                new InlinedCall("make_entry", null, "src/entry.c", 12));
        String out = render("app!fill | app!main", List.of(thread("0x10", true, null, "no caller found", List.of(
                frame(0, "context", "app!fill+0x1f", "src/fill.c", 30, inlined),
                frame(1, "cfi", "app!main+0x8", "src/main.c", 7, null)))));
        assertEquals("""
                Crash signature: app!fill | app!main

                Thread 0x10 (crashed), 2 frames
                      wrap_alloc [src/wrap.h : 5]  (inlined)
                      make_entry [src/entry.c : 12]  (inlined)
                  #0  app!fill+0x1f [src/fill.c : 30]  (context)
                  #1  app!main+0x8 [src/main.c : 7]  (cfi)
                """, out);
    }

    @Test
    void crashedThreadFirstWaitingMarkedLongFramesFitAndUnusualEndsShown() {
        String longName = "app!" + "Namespace::".repeat(12) + "f(std::vector<int> const&)+0x4";
        String out = render("", List.of(
                thread("0x20", false, "futex_wait", "the frame limit (1) was reached",
                        List.of(frame(0, "context", "libc.so.6!futex_wait+0x2", null, null, null))),
                thread("0x10", true, null, "no caller found", List.of(frame(0, "context", longName,
                        "/very/long/source/directory/of/the/project/file.cc", 1200, null)))));
        assertTrue(out.startsWith("Crash signature: (every frame is noise)\n\nThread 0x10 (crashed), 1 frame\n"), out);
        assertTrue(out.contains("""
                Thread 0x20 (waiting in futex_wait), 1 frame
                  #0  libc.so.6!futex_wait+0x2  (context)
                  (the walk stopped: the frame limit (1) was reached)
                """), out);
        assertTrue(out.contains("[file.cc : 1200]  (context)\n"), out);
        out.lines().forEach(l -> assertTrue(Fit.columns(l) <= Fit.WIDTH, l));
    }
}
