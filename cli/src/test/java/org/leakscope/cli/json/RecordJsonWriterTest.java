package org.leakscope.cli.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.leakscope.analysis.DumpReports;
import org.leakscope.analysis.Input;
import org.leakscope.analysis.Inputs;
import org.leakscope.analysis.Settings;
import org.leakscope.analysis.StackOptions;
import org.leakscope.testing.Required;

/**
 * The JSON documents are written by {@link RecordJsonWriter}, not by databind, for start-up speed; what users
 * and scripts depend on is that not one byte changed. Checked against databind itself on real dumps.
 */
class RecordJsonWriterTest {
    @Test
    void dumpscanDocumentsAreWhatDatabindWrites() throws Exception {
        List<Path> dumps = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("..", "testdata", "minidump"))) {
            s.filter(p -> p.toString().endsWith(".dmp")).sorted().forEach(dumps::add);
        }
        dumps.add(Required.corpusFile("breakpad/minidump2.dmp"));
        Settings settings = Settings.defaults();
        StackOptions all = new StackOptions(StackOptions.Threads.ALL, 64, true);
        List<Object> docs = new ArrayList<>();
        try (var symbols = settings.openSymbols()) {
            DumpReports reports = new DumpReports(symbols);
            for (Path dump : dumps) {
                try (Input.DumpFile in = Inputs.openDump(dump, settings.inputs())) {
                    docs.add(reports.build(in.dump(), all));
                }
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", DumpscanJson.SCHEMA);
        doc.put("dumps", docs);
        String ours = Json.write(doc);
        assertEquals(Json.writeByDatabind(doc), ours);
        assertTrue(ours.contains("\"frames\"") && ours.contains("\"registers\""), "stacks were walked");
    }

    record Renamed(@JsonProperty("new") long newer, String absent) {
    }

    record WithGetter(int a) {
        public int getTwice() {
            return 2 * a;
        }
    }

    enum Kind { HEAP, HANDLE }

    record Mixed(Renamed renamed, List<Object> list, Map<Long, String> byNumber, Map<Kind, Integer> byEnum,
            Kind kind, long[] longs, byte[] bytes, WithGetter withGetter, Double ratio, Float small) {
    }

    /** The cases the writer handles itself or hands to databind: each must come out as databind writes it. */
    @Test
    void everyKindOfValueIsWrittenAsDatabindWritesIt() throws Exception {
        Map<Long, String> byNumber = new TreeMap<>(Map.of(3L, "three", -1L, "minus one"));
        Map<Kind, Integer> byEnum = new LinkedHashMap<>();
        byEnum.put(Kind.HANDLE, 2);
        Mixed m = new Mixed(new Renamed(7, null), List.of("a\u009bb", 1, 2.5, true, List.of()), byNumber, byEnum,
                Kind.HEAP, new long[] {1, -2}, new byte[] {1, 2, 3}, new WithGetter(21), Double.NaN, 0.1f);
        assertEquals(Json.writeByDatabind(m), Json.write(m));
        assertEquals(Json.writeByDatabind(List.of()), Json.write(List.of()));
        assertEquals(Json.writeByDatabind(Map.of()), Json.write(Map.of()));
    }

    /** The writer's omit-when-empty rules and databind's mix-ins must say the same. */
    @Test
    void theWritersRulesAreTheMixinsRules() {
        Map<Class<?>, Set<String>> fromMixins = new LinkedHashMap<>();
        Json.MIXINS.forEach((type, mixin) -> {
            Set<String> names = new HashSet<>();
            for (Method method : mixin.getDeclaredMethods()) {
                JsonInclude inc = method.getAnnotation(JsonInclude.class);
                if (inc != null && inc.value() == JsonInclude.Include.NON_EMPTY) {
                    names.add(method.getName());
                }
            }
            fromMixins.put(type, names);
        });
        assertEquals(fromMixins, Json.OMIT_WHEN_EMPTY);
    }
}
