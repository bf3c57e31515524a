package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.minidump.DumpThread;
import org.leakscope.minidump.Minidump;
import org.leakscope.minidump.StreamEntry;
import org.leakscope.minidump.StreamKind;
import org.leakscope.model.Hex;
import org.leakscope.model.InputFormatException;

/**
 * Every field of every stream as the file holds it ({@code dumpscan --raw}): a tree of maps and lists in file
 * order, numbers unconverted, a stream's undecoded payload as a byte array.
 */
public final class RawStreams {
    private RawStreams() {
    }

    /** The dump's header and streams; a stream that cannot be decoded has an {@code error} entry instead. */
    public static Map<String, Object> of(Minidump dump) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", dump.source());
        Map<String, Object> header = new LinkedHashMap<>();
        var h = dump.header();
        header.put("signature", "MDMP");
        header.put("version", (long) h.version());
        header.put("implementation_version", (long) h.implementationVersion());
        header.put("stream_count", h.streamCount());
        header.put("stream_directory_rva", h.directoryOffset());
        header.put("checksum", h.checksum());
        header.put("time_date_stamp", h.timestamp().getEpochSecond());
        header.put("flags", h.flags());
        doc.put("header", header);
        List<Map<String, Object>> streams = new ArrayList<>();
        for (StreamEntry e : dump.streams()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("index", (long) e.index());
            s.put("stream_type", e.type());
            s.put("name", e.label());
            s.put("data_size", e.size());
            s.put("rva", e.offset());
            if (e.kind() != StreamKind.UNUSED) {
                try {
                    raw(dump, e, s);
                } catch (InputFormatException ex) {
                    s.put("error", ex.getMessage());
                }
            }
            streams.add(s);
        }
        doc.put("streams", streams);
        return doc;
    }

    private static void raw(Minidump dump, StreamEntry e, Map<String, Object> s) {
        var fields = dump.rawFields(e);
        if (fields.isPresent()) {
            s.put("fields", fields.get());
            if (e.kind() == StreamKind.THREAD_LIST) {
                Map<String, Object> contexts = new LinkedHashMap<>();
                for (DumpThread t : dump.threads().orElse(List.of())) {
                    dump.context(t).ifPresent(c -> {
                        Map<String, Object> regs = new LinkedHashMap<>();
                        regs.put("cpu", c.cpu());
                        regs.put("context_flags", c.flags());
                        regs.put("declared_size", c.declaredSize());
                        regs.putAll(c.registers());
                        contexts.put("thread " + Hex.of(t.id()), regs);
                    });
                }
                s.put("contexts", contexts);
            }
        } else if (isText(e.kind())) {
            dump.text(e.kind()).ifPresent(t -> s.put("text", t));
        } else {
            byte[] bytes = dump.rawStream(e);
            s.put("bytes", bytes);
        }
    }

    private static boolean isText(StreamKind k) {
        return switch (k) {
            case COMMENT_A, COMMENT_W, LINUX_CPU_INFO, LINUX_PROC_STATUS, LINUX_LSB_RELEASE, LINUX_CMD_LINE,
                    LINUX_ENVIRON, LINUX_MAPS -> true;
            default -> false;
        };
    }
}
