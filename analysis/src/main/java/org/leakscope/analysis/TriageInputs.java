package org.leakscope.analysis;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.leakscope.model.InputFormatException;

/**
 * The files a triage run reads: each argument is a file, a folder (walked recursively) or a glob ({@code *},
 * {@code ?}, {@code [..]}, {@code {..}}) matched below its glob-free leading directories. Only the paths are
 * kept here; each file's kind is decided later by its content ({@link #classify}), so a folder of any size costs
 * one path per file.
 */
public final class TriageInputs {
    /** A file's kind, or why it is skipped (not one of the kinds) or unreadable. */
    public record Classified(Path path, InputKind kind, String skipReason, String error) {
        public boolean recognised() {
            return kind != null;
        }
    }

    private TriageInputs() {
    }

    /** Expands the arguments into a sorted, duplicate-free list of regular files. */
    public static List<Path> expand(List<String> arguments) throws IOException {
        Set<Path> files = new TreeSet<>();
        for (String arg : arguments) {
            if (isGlob(arg)) {
                addGlob(arg, files);
                continue;
            }
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p, FileVisitOption.FOLLOW_LINKS)) {
                    walk.filter(Files::isRegularFile).map(Path::normalize).forEach(files::add);
                }
            } else {
                Inputs.check(p); // a missing or unreadable named file is the user's mistake: say so at once
                files.add(p.normalize());
            }
        }
        return new ArrayList<>(files);
    }

    /** What the file is by content; other files are skipped with the reason, unreadable ones carry the error. */
    public static Classified classify(Path path, InputOptions options) {
        try {
            return new Classified(path, Inputs.detect(path, options), null, null);
        } catch (InputFormatException e) {
            return new Classified(path, null, e.getMessage(), null);
        } catch (IOException e) {
            return new Classified(path, null, null, String.valueOf(e.getMessage()));
        }
    }

    static boolean isGlob(String arg) {
        return arg.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static void addGlob(String glob, Set<Path> files) throws IOException {
        String norm = glob.replace('\\', '/');
        int firstMeta = 0;
        while (firstMeta < norm.length() && "*?[{".indexOf(norm.charAt(firstMeta)) < 0) {
            firstMeta++;
        }
        int slash = norm.lastIndexOf('/', firstMeta);
        Path base = slash < 0 ? Path.of(".") : Path.of(slash == 0 ? "/" : norm.substring(0, slash));
        String pattern = slash < 0 ? norm : norm.substring(slash + 1);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(base, FileVisitOption.FOLLOW_LINKS)) {
            walk.filter(Files::isRegularFile)
                    .filter(f -> matcher.matches(base.relativize(f)))
                    .map(Path::normalize)
                    .forEach(files::add);
        }
    }
}
