package org.leakscope.cli.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.leakscope.analysis.DumpJson;
import org.leakscope.analysis.DumpJson.ThreadJson;
import org.leakscope.analysis.StackFrameJson;
import org.leakscope.model.InlinedCall;

/**
 * dumpscan's walked stacks in text: the crash signature, then each walked thread's frames, the crashing thread first,
 * one line per frame ({@code #3  module!function+0x1f [file : line]  (cfi)}), an inlined call on a line of its own
 * above its frame, marked {@code (inlined)}, the way Breakpad and lldb list them. Every line fits {@link Fit#WIDTH}:
 * the frame gives up its source directory first, then its argument lists.
 */
final class StackText {
    /** Ends of a walk that are how a stack normally ends: not printed. The others (limits, loops) are. */
    private static final List<String> ORDINARY_ENDS = List.of("no caller found",
            "the caller's instruction pointer is below 4 KB: the end of the stack");

    private StackText() {
    }

    static void render(StringBuilder out, DumpJson d) {
        if (d.crashSignature() != null) {
            Fit.field(out, "Crash signature: ", 17, d.crashSignature().isEmpty() ? "(every frame is noise)"
                    : d.crashSignature());
        }
        List<ThreadJson> walked = new ArrayList<>(d.threads().stream().filter(t -> t.frames() != null
                && t.crashed()).toList());
        d.threads().stream().filter(t -> t.frames() != null && !t.crashed()).forEach(walked::add);
        for (ThreadJson t : walked) {
            thread(out, t);
        }
    }

    private static void thread(StringBuilder out, ThreadJson t) {
        out.append('\n');
        StringBuilder title = new StringBuilder("Thread ").append(t.id());
        if (t.name() != null) {
            title.append(" \"").append(t.name()).append('"');
        }
        if (t.crashed()) {
            title.append(" (crashed)");
        }
        if (t.waiting() != null) {
            title.append(" (waiting in ").append(t.waiting()).append(')');
        }
        Fit.field(out, "", 0, title.append(", ").append(t.frames().size())
                .append(t.frames().size() == 1 ? " frame" : " frames").toString());
        int digits = Integer.toString(Math.max(t.frames().size() - 1, 0)).length();
        String blank = " ".repeat(2 + 1 + digits + 2);
        for (StackFrameJson f : t.frames()) {
            if (f.inlined() != null) {
                for (InlinedCall c : f.inlined()) {
                    String name = c.function() == null ? "(unnamed inlined code)" : c.function();
                    line(out, blank, source(name, c.sourceFile(), c.sourceLine()), "(inlined)");
                }
            }
            String number = "  #" + " ".repeat(digits - Integer.toString(f.index()).length()) + f.index() + "  ";
            line(out, number, source(f.text(), f.sourceFile(), f.sourceLine()), "(" + f.trust() + ")");
            if (f.registers() != null) {
                registers(out, blank + "  ", f.registers());
            }
        }
        if (t.stackEnd() != null && !ORDINARY_ENDS.contains(t.stackEnd())) {
            Fit.field(out, "", 2, "(the walk stopped: " + t.stackEnd() + ")");
        }
    }

    /** {@code prefix frame  (mark)}, the frame shortened so the line fits. */
    private static void line(StringBuilder out, String prefix, String frame, String mark) {
        int room = Fit.WIDTH - prefix.length() - 2 - mark.length();
        out.append(prefix).append(Fit.frame(frame, Math.max(room, 1))).append("  ").append(mark).append('\n');
    }

    private static String source(String text, String file, Integer line) {
        return file == null ? text : text + " [" + file + " : " + line + "]";
    }

    /** {@code rip 0x…  rsp 0x…  rbp 0x…}, as many to a line as fit. */
    private static void registers(StringBuilder out, String indent, Map<String, String> registers) {
        StringBuilder line = new StringBuilder();
        for (var r : registers.entrySet()) {
            String pair = r.getKey() + " " + r.getValue();
            if (line.length() > 0 && indent.length() + line.length() + 2 + pair.length() > Fit.WIDTH) {
                out.append(indent).append(line).append('\n');
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : "  ").append(pair);
        }
        if (line.length() > 0) {
            out.append(indent).append(line).append('\n');
        }
    }
}
