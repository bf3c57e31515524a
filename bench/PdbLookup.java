import java.nio.file.Path;
import java.util.SplittableRandom;
import org.leakscope.symbols.pdb.PdbSymbols;

/**
 * Open a PDB and resolve N random addresses through PdbSymbols: what a stack of frames costs. Run with the
 * shipped jar on the class path (single-file source launch): java -cp bin/leakscope.jar bench/PdbLookup.java PDB N
 */
public class PdbLookup {
    public static void main(String[] args) throws Exception {
        Path pdb = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        long t0 = System.nanoTime();
        try (PdbSymbols s = PdbSymbols.open(pdb)) {
            String id = s.debugId();
            long t1 = System.nanoTime();
            // the address range: up to the end of the last function (one pass, not timed as lookups)
            long end = 0;
            for (var f : s.toSymbolData().functions()) {
                end = Math.max(end, f.address() + f.size());
            }
            long t2 = System.nanoTime();
            s.lookup(0x1000); // the first lookup builds the index: timed on its own
            long t3 = System.nanoTime();
            SplittableRandom r = new SplittableRandom(42);
            long hits = 0;
            long t4 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (s.lookup(r.nextLong(end)).isPresent()) {
                    hits++;
                }
            }
            long t5 = System.nanoTime();
            System.out.printf("open %.2f ms (debug id %s)%n", (t1 - t0) / 1e6, id);
            System.out.printf("first lookup (index build) %.2f ms%n", (t3 - t2) / 1e6);
            System.out.printf("%d lookups in [0, 0x%x): %.1f ns each, %d named%n", n, end, (t5 - t4) / (double) n, hits);
        }
    }
}
