package org.leakscope.cli.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.KeyKind;
import org.leakscope.diff.StackChange;
import org.leakscope.model.AddressStack;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.model.ModuleMap;

/**
 * The compare text written as bytes, checked line by line against the same lines made with String.format and
 * {@link UmdhCompareRenderer#frame}: thousands of stacks sharing Frame objects the way a reader shares them, a
 * frame twice in one stack, two frames at one address told apart by name, non-ASCII names, aliases, hex and
 * decimal figures of every width.
 */
class UmdhCompareRendererTest {
    private static final String[] MODULES = {"ntdll.dll", "app.exe", "plugin.dll", "kernel32.dll"};

    @Test
    void everyLineMatchesTheUmdhFormatInHexAndDecimal() throws Exception {
        Random r = new Random(7);
        List<Frame> pool = new ArrayList<>();
        for (int i = 0; i < 6000; i++) { // past the frame table's first sizes
            String module = MODULES[i % MODULES.length];
            long offset = r.nextInt(1 << 24);
            Frame f = new Frame(0x10000000L * (i % MODULES.length) + offset, module, offset, null, null, null, null);
            if (i % 7 == 0) {
                f = f.withSymbol(i % 14 == 0 ? "Größe::wachsen<" + i + ">" : "fn" + i, r.nextInt(4096),
                        i % 21 == 0 ? "C:\\src\\straße" + i + ".cpp" : null, i);
            }
            pool.add(i % 11 == 0 ? Frame.unresolved(r.nextLong()) : f);
        }
        Frame same = pool.get(1);
        pool.add(new Frame(same.address(), same.module(), same.moduleOffset(), "other", 4L, null, null));
        List<StackChange> changes = new ArrayList<>();
        for (int s = 0; s < 3000; s++) {
            List<Frame> frames = new ArrayList<>();
            for (int k = 1 + r.nextInt(40); k > 0; k--) {
                frames.add(pool.get(r.nextInt(pool.size())));
            }
            frames.add(frames.get(0)); // recursion: one Frame twice in a stack
            if (s == 0) {
                frames.add(same);
                frames.add(pool.get(pool.size() - 1));
            }
            List<List<Frame>> aliases = s % 50 == 0 ? List.of(List.of(pool.get(s), pool.get(s + 1))) : List.of();
            long oldBytes = r.nextInt(3) == 0 ? 0 : r.nextLong() >>> r.nextInt(64);
            long newBytes = r.nextLong() >>> r.nextInt(64);
            changes.add(new StackChange(new Backtrace("T" + s, frames, aliases), 0, s % 9 == 0 ? null : "1F" + s,
                    oldBytes, newBytes, r.nextInt(100), r.nextInt(1 << 20), 0, 0, 1));
        }
        Comparison c = new Comparison(KeyKind.MODULE_OFFSET, changes, 100, 50, 10, 5, 40, 8, 0);
        for (boolean decimal : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new UmdhCompareRenderer(decimal, out).render(List.of("old: C:\\logs\\ärger.log"), c, changes);
            assertEquals(expected(decimal, c, changes), out.toString(StandardCharsets.UTF_8));
            // a frame cache that fills up (by count, then by bytes): the frames past it are made each time
            for (FrameTexts small : List.of(new FrameTexts(100, 1 << 20), new FrameTexts(1 << 20, 3000))) {
                ByteArrayOutputStream full = new ByteArrayOutputStream();
                new UmdhCompareRenderer(decimal, full, small).render(List.of("old: C:\\logs\\ärger.log"), c,
                        changes);
                assertEquals(out.toString(StandardCharsets.UTF_8), full.toString(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Stacks of raw addresses ({@link AddressStack}, what a compare of indexed logs shows) print without Frames,
     * byte for byte as their Frames print: module names without image extension, non-ASCII names, upper-case
     * offsets, addresses outside every module (0, past 2^63), and three module tables taking turns (the printer
     * keeps the texts of two).
     */
    @Test
    void rawAddressStacksPrintAsTheirFrames() throws Exception {
        Random r = new Random(11);
        List<ModuleMap> tables = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            tables.add(ModuleMap.of(List.of(
                    new Module(0x7FF800000000L + t * 0x1000, 0x200000, "C:\\Windows\\ntdll.dll", null, null, null),
                    new Module(0x400000, 0x11D000, "C:\\app\\App.EXE", null, null, null),
                    new Module(0x60000000L, 0x180000, "C:\\app\\Größe" + t + ".dll", null, null, null),
                    new Module(0xFFFFF80000000000L, 0x100000, "C:\\drv\\filter.sys", null, null, null),
                    new Module(0x10000, 0x1000, "noext", null, null, null))));
        }
        List<StackChange> raw = new ArrayList<>();
        List<StackChange> framed = new ArrayList<>();
        for (int s = 0; s < 2000; s++) {
            ModuleMap m = tables.get(r.nextInt(3));
            long[] addresses = new long[1 + r.nextInt(30)];
            for (int k = 0; k < addresses.length; k++) {
                int pick = r.nextInt(8);
                addresses[k] = pick == 0 ? r.nextLong() : pick == 1 ? 0 : pick == 2 ? 0x10000 + r.nextInt(0x1000)
                        : m.base(r.nextInt(m.modules().size())) + r.nextInt(0x1000) * (long) (1 + r.nextInt(200));
            }
            AddressStack stack = AddressStack.of(addresses, addresses.length, m);
            raw.add(new StackChange(new Backtrace("T" + s, stack), 0, "A" + s, 1, 2 + s, 1, 2, 0, 0, 1));
            framed.add(new StackChange(new Backtrace("T" + s, List.copyOf(stack)), 0, "A" + s, 1, 2 + s, 1, 2, 0, 0,
                    1));
        }
        Comparison c = new Comparison(KeyKind.MODULE_OFFSET, raw, 100, 50, 10, 5, 40, 8, 0);
        ByteArrayOutputStream fromRaw = new ByteArrayOutputStream();
        List<String> header = List.of("old: C:\\logs\\ärger.log");
        new UmdhCompareRenderer(false, fromRaw).render(header, c, raw);
        ByteArrayOutputStream fromFrames = new ByteArrayOutputStream();
        new UmdhCompareRenderer(false, fromFrames).render(header, c, framed);
        assertEquals(fromFrames.toString(StandardCharsets.UTF_8), fromRaw.toString(StandardCharsets.UTF_8));
        assertEquals(expected(false, c, framed), fromRaw.toString(StandardCharsets.UTF_8));
    }

    private static String expected(boolean decimal, Comparison c, List<StackChange> changes) {
        StringBuilder sb = new StringBuilder("// old: C:\\logs\\ärger.log\n");
        String[] legend = {"", "Each log entry has the following syntax:", "",
            "+ BYTES_DELTA (NEW_BYTES - OLD_BYTES) NEW_COUNT allocs BackTrace TRACEID",
            "+ COUNT_DELTA (NEW_COUNT - OLD_COUNT) BackTrace TRACEID allocations", "    ... stack trace ...", "",
            "where BYTES_DELTA and COUNT_DELTA are the change in requested bytes and in live",
            "allocations for one stack from the old snapshot to the new one; NEW_/OLD_ are",
            "the figures in each snapshot; TRACEID is the trace id in the newest snapshot",
            "holding the stack. All numbers are " + (decimal ? "decimal" : "hexadecimal") + ".", ""};
        for (String l : legend) {
            sb.append(String.format("// %-73s%n", l).replace(System.lineSeparator(), "\n"));
        }
        sb.append('\n');
        for (StackChange s : changes) {
            String id = s.traceId() == null ? "-" : s.traceId();
            long bd = s.bytesDelta();
            long cd = s.countDelta();
            sb.append(bd < 0 ? '-' : '+').append(' ').append(String.format(
                    "%7s (%7s - %7s) %6s allocs\tBackTrace%s\n", num(decimal, Math.abs(bd)),
                    num(decimal, s.newBytes()), num(decimal, s.oldBytes()), num(decimal, s.newCount()), id));
            sb.append(cd < 0 ? '-' : '+').append(' ').append(String.format(
                    "%7s (%7s - %7s)\tBackTrace%s\tallocations\n", num(decimal, Math.abs(cd)),
                    num(decimal, s.newCount()), num(decimal, s.oldCount()), id));
            sb.append('\n');
            for (Frame f : s.backtrace().frames()) {
                sb.append('\t').append(UmdhCompareRenderer.frame(f)).append('\n');
            }
            for (List<Frame> alias : s.backtrace().aliases()) {
                sb.append("\tAlias\n");
                for (Frame f : alias) {
                    sb.append('\t').append(UmdhCompareRenderer.frame(f)).append('\n');
                }
            }
            sb.append('\n');
        }
        return sb.append("Total decrease == ").append(String.format("%6s", num(decimal, 50))).append(" requested + ")
                .append(String.format("%6s", num(decimal, 32))).append(" overhead = ")
                .append(String.format("%6s", num(decimal, 82))).append('\n').toString();
    }

    private static String num(boolean decimal, long v) {
        return decimal ? Long.toString(v) : Long.toHexString(v);
    }
}
