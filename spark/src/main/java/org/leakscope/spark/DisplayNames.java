package org.leakscope.spark;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The name a record gives its file. A local file is named as {@code triage} names it, below the argument it was
 * found under as given ({@code dumps/a/1.dmp} for the argument {@code dumps/}; absolute only for absolute
 * arguments), so the same folder gives the same report either way; a file of another file system keeps its URI
 * ({@code s3a://bucket/dumps/1.dmp}).
 */
final class DisplayNames implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A local argument: as given (normalized, as TriageInputs keeps it) and as an absolute path. */
    private record Root(String given, String absolute) implements Serializable {
    }

    private final List<Root> roots;

    private DisplayNames(List<Root> roots) {
        this.roots = List.copyOf(roots);
    }

    /** From the job's arguments; globs and other file systems' URIs name their files by absolute path or URI. */
    static DisplayNames of(List<String> arguments) {
        List<Root> roots = new ArrayList<>();
        for (String a : arguments) {
            String local = localPath(a);
            if (local != null && local.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
                Path p = Path.of(local);
                roots.add(new Root(p.normalize().toString(), p.toAbsolutePath().normalize().toString()));
            }
        }
        return new DisplayNames(roots);
    }

    /** The path of a local argument ({@code dumps/}, {@code /srv/x}, {@code file:/srv/x}), null for another scheme. */
    private static String localPath(String argument) {
        if (argument.startsWith("file:")) {
            return URI.create(argument).getPath();
        }
        int colon = argument.indexOf(':');
        int slash = argument.indexOf('/');
        boolean scheme = colon > 1 && (slash < 0 || colon < slash); // "s3a://", not "C:" nor "a/b:c"
        return scheme ? null : argument;
    }

    /** The name of the file Spark listed as {@code uri}. */
    String of(URI uri) {
        if (!"file".equals(uri.getScheme())) {
            return uri.toString();
        }
        Path abs = Path.of(uri.getPath()).normalize();
        for (Root r : roots) {
            Path root = Path.of(r.absolute());
            if (abs.startsWith(root)) {
                return Path.of(r.given()).resolve(root.relativize(abs)).toString();
            }
        }
        return abs.toString();
    }
}
