package org.leakscope.minidump;

import io.kaitai.struct.KaitaiStream;
import io.kaitai.struct.KaitaiStruct;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every field of a parsed stream as a tree of maps, lists, numbers, strings and byte arrays, for
 * {@code dumpscan --raw}: debugging the parser means seeing exactly what the .ksy read. Walks the generated
 * classes reflectively so a field added to the .ksy shows up here with no code change.
 */
final class RawFields {
    private static final Map<StreamKind, Function<KaitaiStream, KaitaiStruct>> PARSERS = Map.ofEntries(
            Map.entry(StreamKind.THREAD_LIST, MinidumpFile.ThreadList::new),
            Map.entry(StreamKind.MODULE_LIST, MinidumpFile.ModuleList::new),
            Map.entry(StreamKind.MEMORY_LIST, MinidumpFile.MemoryList::new),
            Map.entry(StreamKind.MEMORY64_LIST, MinidumpFile.Memory64List::new),
            Map.entry(StreamKind.EXCEPTION, MinidumpFile.ExceptionStream::new),
            Map.entry(StreamKind.SYSTEM_INFO, MinidumpFile.SystemInfo::new),
            Map.entry(StreamKind.MISC_INFO, MinidumpFile.MiscInfo::new),
            Map.entry(StreamKind.HANDLE_DATA, MinidumpFile.HandleData::new),
            Map.entry(StreamKind.UNLOADED_MODULE_LIST, MinidumpFile.UnloadedModuleList::new),
            Map.entry(StreamKind.MEMORY_INFO_LIST, MinidumpFile.MemoryInfoList::new),
            Map.entry(StreamKind.THREAD_INFO_LIST, MinidumpFile.ThreadInfoList::new),
            Map.entry(StreamKind.THREAD_NAMES, MinidumpFile.ThreadNameList::new),
            Map.entry(StreamKind.BREAKPAD_INFO, MinidumpFile.BreakpadInfo::new),
            Map.entry(StreamKind.BREAKPAD_ASSERTION_INFO, MinidumpFile.AssertionInfo::new),
            Map.entry(StreamKind.CRASHPAD_INFO, MinidumpFile.CrashpadInfo::new),
            Map.entry(StreamKind.LINUX_DSO_DEBUG, MinidumpFile.LinuxDsoDebug::new));

    private RawFields() {
    }

    /** True when the kind has a structure in the .ksy (others are shown as text or bytes). */
    static boolean isStructured(StreamKind kind) {
        return PARSERS.containsKey(kind);
    }

    static Map<String, Object> of(Minidump dump, StreamEntry entry) {
        KaitaiStruct s = dump.parseStream(entry, PARSERS.get(entry.kind()));
        return walk(s);
    }

    static Map<String, Object> walk(KaitaiStruct s) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Method> getters = new ArrayList<>();
        for (Method m : s.getClass().getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 0 && !m.getName().startsWith("_")) {
                getters.add(m);
            }
        }
        // Declaration order is not guaranteed by reflection; field order in the class is.
        List<String> order = new ArrayList<>();
        for (var f : s.getClass().getDeclaredFields()) {
            order.add(f.getName());
        }
        getters.sort(Comparator.comparingInt(m -> {
            int i = order.indexOf(m.getName());
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        for (Method m : getters) {
            try {
                m.setAccessible(true);
                Object v = m.invoke(s);
                if (v != null) {
                    out.put(m.getName(), value(v));
                }
            } catch (ReflectiveOperationException e) {
                out.put(m.getName(), "<unreadable: " + e.getCause() + ">");
            }
        }
        return out;
    }

    private static Object value(Object v) {
        if (v instanceof KaitaiStruct k) {
            return walk(k);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(value(o));
            }
            return out;
        }
        return v;
    }
}
