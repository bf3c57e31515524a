package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * triage's report on testdata (a dump, a table image, five logs), byte for byte. Regenerate on purpose with
 * {@code mvn -pl cli test -Dtest=TriageGoldenTest -Dleakscope.regenerateGolden=true} and review the diff.
 */
class TriageGoldenTest {
    private static String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("triage", "--threads", "2"));
        a.add(CliRun.testdata("minidump/sample.dmp").toString());
        a.add(CliRun.testdata("resmontable/sample.rmt").toString());
        for (String log : List.of("resmon_kernel_and_x86_clock.log", "resmon_x64_blocks_over_4gib.log",
                "resmon_user_x64_exit_report.log", "resmon_soak_leaking.log", "resmon_cpp_stacks.log")) {
            a.add(CliRun.testdata("dbgview/" + log).toString());
        }
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** The report is stdout; stderr has the run's one summary line, which says how fast (not golden). */
    private static CliRun reportOnly(CliRun run) {
        assertTrue(run.err().matches("triage: 7 files: 7 read, 0 remembered; [0-9.]+ s, [0-9.]+ files/s\\R"),
                run.err());
        return new CliRun(run.exit(), run.out(), "");
    }

    @Test
    void text() throws Exception {
        Golden.check("testdata.triage.txt", reportOnly(CliRun.of(args())));
    }

    @Test
    void json() throws Exception {
        Golden.check("testdata.triage.json", reportOnly(CliRun.of(args("--json"))));
    }
}
