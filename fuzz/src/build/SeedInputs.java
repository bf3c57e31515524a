import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies each fuzz target's seeds into the folder Jazzer's regression mode replays, so corpus files are used at
 * build time and never committed. Run by the fuzz module's build as a single-file program (no compile step).
 *
 * <p>Each {@code src/test/seeds/<TestClass>.<method>.txt} lists globs, one a line: {@code corpus:<glob>} relative to
 * the shared corpus, {@code repo:<glob>} relative to the repository root; {@code #} starts a comment. Matches go
 * to {@code target/test-classes/org/leakscope/fuzz/<TestClass>Inputs/<method>/}. A glob that matches nothing is an
 * error (a typo would otherwise silently drop seeds); an absent corpus fails under CI=true and is skipped otherwise.
 *
 * <p>Arguments: seeds folder, corpus folder, repository root, test-classes folder.
 */
public final class SeedInputs {
    public static void main(String[] args) throws IOException {
        Path seeds = Path.of(args[0]);
        Path corpus = Path.of(args[1]).normalize();
        Path repo = Path.of(args[2]).normalize();
        Path out = Path.of(args[3]).resolve("org/leakscope/fuzz");
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean haveCorpus = Files.isDirectory(corpus);
        if (!haveCorpus) {
            if (ci) {
                fail("the shared corpus " + corpus + " is absent and CI=true");
            }
            System.out.println("[seeds] skipping corpus seeds: " + corpus + " is absent");
        }
        if (!Files.isDirectory(seeds)) {
            return;
        }
        List<Path> lists;
        try (Stream<Path> s = Files.list(seeds)) {
            lists = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        for (Path list : lists) {
            String name = list.getFileName().toString();
            name = name.substring(0, name.length() - ".txt".length());
            int dot = name.lastIndexOf('.');
            if (dot <= 0) {
                fail(list + ": the name must be <TestClass>.<method>.txt");
            }
            Path dest = out.resolve(name.substring(0, dot) + "Inputs").resolve(name.substring(dot + 1));
            Files.createDirectories(dest);
            int copied = 0;
            int lineNo = 0;
            for (String line : Files.readAllLines(list)) {
                lineNo++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                Path base;
                String glob;
                if (line.startsWith("corpus:")) {
                    if (!haveCorpus) {
                        continue;
                    }
                    base = corpus;
                    glob = line.substring("corpus:".length());
                } else if (line.startsWith("repo:")) {
                    base = repo;
                    glob = line.substring("repo:".length());
                } else {
                    fail(list + ":" + lineNo + ": expected corpus:<glob> or repo:<glob>, found \"" + line + "\"");
                    return;
                }
                int n = copyMatches(base, glob, dest);
                if (n == 0) {
                    fail(list + ":" + lineNo + ": \"" + glob + "\" matches no file under " + base);
                }
                copied += n;
            }
            System.out.println("[seeds] " + name + ": " + copied + " files -> " + out.relativize(dest));
        }
    }

    private static int copyMatches(Path base, String glob, Path dest) throws IOException {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<Path> hits;
        try (Stream<Path> s = Files.walk(base)) {
            hits = s.filter(Files::isRegularFile).filter(p -> m.matches(base.relativize(p))).sorted().toList();
        }
        for (Path p : hits) {
            // Flattened names keep files of the same name from different folders apart.
            String flat = base.relativize(p).toString().replace('/', '_');
            Files.copy(p, dest.resolve(flat), StandardCopyOption.REPLACE_EXISTING);
        }
        return hits.size();
    }

    private static void fail(String message) {
        System.err.println("[seeds] error: " + message);
        System.exit(1);
    }
}
