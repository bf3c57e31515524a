package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dumpscan on resmon tables: the C writer's sample image, a dump without a table, damaged images. */
class DumpscanResmonTest {
    private static final String SAMPLE = CliRun.testdata("resmontable/sample.rmt").toString();

    @TempDir
    Path tmp;

    @Test
    void tableImageAsText() {
        CliRun r = CliRun.of("dumpscan", SAMPLE);
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().contains("resmon table of sample_leaker (pid 4242, 64-bit), written at a clean exit"), r.out());
        assertTrue(r.out().contains("totals: 10 allocations (1,061,464 bytes), 2 frees (8,192 bytes), live 1,053,272"
                + " bytes"), r.out());
        assertTrue(r.out().matches("(?s).*  1  1,048,576  heap block +calloc +0x00005555555634AB .*"), r.out());
        assertTrue(r.out().matches("(?s).*  6 +600  heap block +malloc +0x0000555555561234 .*"), r.out());
        assertTrue(r.out().contains("524,288  -  1,048,576            1"), r.out());
    }

    @Test
    void tableImageAsJson() throws Exception {
        CliRun r = CliRun.of("dumpscan", SAMPLE, "--json");
        assertEquals(ExitCode.OK, r.exit(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("leakscope.dumpscan-resmon/1", doc.get("schema").asText());
        JsonNode t = doc.get("inputs").get(0).get("tables").get(0);
        assertEquals("table-image", doc.get("inputs").get(0).get("kind").asText());
        assertEquals(4242, t.get("processId").asLong());
        assertEquals(13, t.get("liveRecords").asLong());
        assertEquals(1053272, t.get("totals").get("liveBytes").asLong());
        JsonNode top = t.get("sites").get(0);
        assertEquals("heap_block", top.get("kind").asText());
        assertEquals("0x00005555555634ab", top.get("frames").get(0).get("address").asText());
        assertEquals("[\"calloc\"]", top.get("subtypes").toString());
    }

    @Test
    void aDumpWithoutATable() {
        CliRun r = CliRun.of("dumpscan", CliRun.testdata("minidump/sample.dmp").toString(), "--resmon");
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().contains("sample.dmp: 0 resmon tables, "), r.out());
    }

    @Test
    void damagedImageIsAClearError() throws Exception {
        byte[] b = Files.readAllBytes(Path.of(SAMPLE));
        Path p = tmp.resolve("cut.rmt");
        Files.write(p, java.util.Arrays.copyOf(b, 100));
        CliRun r = CliRun.of("dumpscan", p.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exit());
        assertTrue(r.err().contains("cut.rmt: at byte offset 12") && r.err().contains("a range count the file can hold"),
                r.err());
        assertTrue(!r.err().contains("\tat "), r.err());
    }

    /**
     * The sample image against a copy whose 1 MiB calloc block (the only 8-aligned 0x100000 in the file: its
     * record's size field) has grown to 2 MiB: exactly that stack changed, by exactly 1 MiB.
     */
    @Test
    void leakdiffComparesTableImages() throws Exception {
        byte[] b = Files.readAllBytes(Path.of(SAMPLE));
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        List<Integer> at = new java.util.ArrayList<>();
        for (int i = 0; i + 8 <= b.length; i += 8) {
            if (buf.getLong(i) == 1048576) {
                at.add(i);
            }
        }
        assertEquals(1, at.size(), "one 1 MiB size field: " + at);
        buf.putLong(at.get(0), 2 * 1048576);
        Path grown = tmp.resolve("grown.rmt");
        Files.write(grown, b);
        CliRun diff = CliRun.of("leakdiff", SAMPLE, grown.toString(), "-d");
        assertEquals(ExitCode.OK, diff.exit(), diff.err());
        assertTrue(diff.out().contains("1 stacks changed, 1 shown, 5 unchanged"), diff.out());
        assertTrue(diff.out().contains("+ 1048576 (2097152 - 1048576)      1 allocs\tBackTrace5555555634AB"), diff.out());
        assertTrue(diff.out().contains("Total increase == 1048576 requested"), diff.out());
        CliRun json = CliRun.of("leakdiff", SAMPLE, grown.toString(), "--json");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertEquals("table-image", doc.get("inputs").get(0).get("kind").asText());
        assertEquals(4242, doc.get("inputs").get(0).get("processId").asLong());
        assertEquals(1048576, doc.get("stacks").get(0).get("bytes").get("delta").asLong());
        // the same two tables in minidumps' user streams: leakdiff's other way in
        CliRun dumps = CliRun.of("leakdiff", dumpWithTableStream(Files.readAllBytes(Path.of(SAMPLE)), "old.dmp")
                .toString(), dumpWithTableStream(b, "new.dmp").toString(), "-d");
        assertEquals(ExitCode.OK, dumps.exit(), dumps.err());
        assertTrue(dumps.out().contains("1 stacks changed, 1 shown, 5 unchanged"), dumps.out());
        assertTrue(dumps.out().contains("+ 1048576 (2097152 - 1048576)      1 allocs"), dumps.out());
        CliRun mixed = CliRun.of("leakdiff", SAMPLE, CliRun.testdata("umdh/leaky_1.log").toString());
        assertEquals(ExitCode.BAD_INPUT, mixed.exit());
        assertTrue(mixed.err().contains("can only be compared with each other"), mixed.err());
    }

    /** A minimal minidump: the header and one user stream holding the sample table image, as a launcher stores it. */
    private Path dumpWithTableStream() throws Exception {
        return dumpWithTableStream(Files.readAllBytes(Path.of(SAMPLE)), "stream.dmp");
    }

    private Path dumpWithTableStream(byte[] image, String name) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32 + 12 + image.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("MDMP".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort((short) 0xa793).putShort((short) 0)
                .putInt(1).putInt(32).putInt(0).putInt(0).putLong(0);
        b.putInt(0x4C4B0001).putInt(image.length).putInt(44);
        b.put(image);
        Path p = tmp.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void tableFromAMinidumpUserStream() throws Exception {
        CliRun r = CliRun.of("dumpscan", dumpWithTableStream().toString(), "--resmon", "--json");
        assertEquals(ExitCode.OK, r.exit(), r.err());
        JsonNode t = new ObjectMapper().readTree(r.out()).get("inputs").get(0).get("tables");
        assertEquals(1, t.size(), "found in the stream; the dump has no memory to scan");
        assertEquals("user-stream", t.get(0).get("foundIn").asText());
        assertEquals("sample_leaker", t.get(0).get("processName").asText());
        assertEquals(13, t.get(0).get("liveRecords").asLong());
        CliRun text = CliRun.of("dumpscan", dumpWithTableStream().toString(), "--resmon");
        assertTrue(text.out().contains("1 resmon table (1 from the user stream)"), text.out());
    }
}
