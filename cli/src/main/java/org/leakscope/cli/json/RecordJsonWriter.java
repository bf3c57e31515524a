package org.leakscope.cli.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes the JSON documents, which are trees of records, lists, maps and scalars, straight to a Jackson
 * generator, the way jackson-databind would: record components in declaration order, {@code @JsonProperty}
 * names, nulls written, and the components the caller names written only when not empty (databind's
 * {@code NON_EMPTY}, which Json declares for databind with a mix-in).
 *
 * <p>Why not databind itself: it builds a serializer per type by introspecting classes, annotations and
 * mix-ins, which costs a short {@code dumpscan --json} about 200 ms of CPU at start-up, more than the rest of
 * the command. Walking record components costs a few milliseconds. Anything this writer does not know (a
 * class with bean getters, an Optional, a Path) is handed to databind, so output never changes, only speed.
 */
final class RecordJsonWriter {
    /** How one record class is written; null when databind must write it. */
    private record Shape(Method[] accessors, String[] names, boolean[] omitEmpty) {
    }

    private static final Shape DATABIND = new Shape(null, null, null);

    private final Map<Class<?>, Set<String>> omitWhenEmpty;
    private final Fallback fallback;
    private final Map<Class<?>, Shape> shapes = new ConcurrentHashMap<>();

    /** Writes one value databind's way: the writer's escape hatch. */
    interface Fallback {
        void write(JsonGenerator g, Object value) throws IOException;
    }

    RecordJsonWriter(Map<Class<?>, Set<String>> omitWhenEmpty, Fallback fallback) {
        this.omitWhenEmpty = Map.copyOf(omitWhenEmpty);
        this.fallback = fallback;
    }

    void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof Record r) {
            writeRecord(g, r);
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object e : c) {
                write(g, e);
            }
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> m && plainKeys(m)) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Object[] || v instanceof int[] || v instanceof long[] || v instanceof double[]) {
            g.writeStartArray();
            for (int i = 0, n = Array.getLength(v); i < n; i++) {
                write(g, Array.get(v, i));
            }
            g.writeEndArray();
        } else {
            fallback.write(g, v);   // enums, byte[] (base64), beans...: databind's rules, not a guess at them
        }
    }

    /** String and number keys are written as databind writes them; others (enums, records) go to databind. */
    private static boolean plainKeys(Map<?, ?> m) {
        for (Object k : m.keySet()) {
            if (!(k instanceof String || k instanceof Integer || k instanceof Long)) {
                return false;
            }
        }
        return true;
    }

    private void writeRecord(JsonGenerator g, Record r) throws IOException {
        Shape shape = shapes.computeIfAbsent(r.getClass(), this::shapeOf);
        if (shape == DATABIND) {
            fallback.write(g, r);
            return;
        }
        g.writeStartObject();
        for (int i = 0; i < shape.accessors.length; i++) {
            Object value;
            try {
                value = shape.accessors[i].invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("JSON rendering failed at " + shape.names[i], e);
            }
            if (shape.omitEmpty[i] && empty(value)) {
                continue;
            }
            g.writeFieldName(shape.names[i]);
            write(g, value);
        }
        g.writeEndObject();
    }

    private static boolean empty(Object v) {
        return v == null || v instanceof Collection<?> c && c.isEmpty() || v instanceof Map<?, ?> m && m.isEmpty()
                || v instanceof String s && s.isEmpty();
    }

    /**
     * Components in declaration order, as databind 2.15+ writes records. A record with more than its components
     * to say (a public {@code getX()}/{@code isX()} databind would add, a Jackson annotation other than
     * {@code @JsonProperty}) is left to databind.
     */
    private Shape shapeOf(Class<?> type) {
        if (hasJacksonAnnotation(type.getAnnotations())) {
            return DATABIND;
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> accessorNames = new ArrayList<>();
        Method[] accessors = new Method[components.length];
        String[] names = new String[components.length];
        boolean[] omitEmpty = new boolean[components.length];
        Set<String> omit = omitWhenEmpty.getOrDefault(type, Set.of());
        for (int i = 0; i < components.length; i++) {
            Method m = components[i].getAccessor();
            if (!m.trySetAccessible()) {
                return DATABIND;   // a record nested in a class we may not reach
            }
            for (var a : m.getAnnotations()) {
                if (!(a instanceof JsonProperty) && isJackson(a)) {
                    return DATABIND;
                }
            }
            JsonProperty renamed = m.getAnnotation(JsonProperty.class);
            if (renamed == null) {
                renamed = components[i].getAnnotation(JsonProperty.class);
            }
            accessors[i] = m;
            names[i] = renamed != null && !renamed.value().isEmpty() ? renamed.value() : components[i].getName();
            omitEmpty[i] = omit.contains(components[i].getName());
            accessorNames.add(m.getName());
        }
        // A record inherits only from Record and its interfaces: its own methods and their defaults are all
        // databind could add (getMethods() would say the same, at several times the cost on a cold JVM).
        if (addsProperties(type.getDeclaredMethods(), accessorNames)) {
            return DATABIND;
        }
        for (Class<?> i : type.getInterfaces()) {
            if (addsProperties(i.getMethods(), accessorNames)) {
                return DATABIND;
            }
        }
        return new Shape(accessors, names, omitEmpty);
    }

    /** A public instance getter databind would write beside the components, or a Jackson annotation. */
    private static boolean addsProperties(Method[] methods, List<String> accessorNames) {
        for (Method m : methods) {
            if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())
                    || m.getParameterCount() != 0 || accessorNames.contains(m.getName())) {
                continue;
            }
            String n = m.getName();
            if (n.startsWith("get") && n.length() > 3 || n.startsWith("is") && n.length() > 2
                    || hasJacksonAnnotation(m.getAnnotations())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasJacksonAnnotation(java.lang.annotation.Annotation[] annotations) {
        for (var a : annotations) {
            if (isJackson(a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isJackson(java.lang.annotation.Annotation a) {
        return a.annotationType().getName().startsWith("com.fasterxml.jackson.");
    }
}
