package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dumpscan on resmon tables: the C writer's sample images (their module lists naming frames module+offset, a
 * symbol store naming functions by the recorded ids), a dump without a table, damaged images; leakdiff of two
 * runs loaded at other bases.
 */
class DumpscanResmonTest {
    private static final String SAMPLE = CliRun.testdata("resmontable/sample.rmt").toString();
    /** The same run, the program and libc loaded at other bases (ASLR). */
    private static final String SAMPLE_ASLR = CliRun.testdata("resmontable/sample-aslr.rmt").toString();
    /** The sample program's build id (10 11 .. 23) in Breakpad's fold, as the table image records it. */
    private static final String SAMPLE_DEBUG_ID = "131211101514171618191A1B1C1D1E1F0";

    @TempDir
    Path tmp;

    @Test
    void tableImageAsText() {
        CliRun r = CliRun.of("dumpscan", SAMPLE);
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().contains("resmon table of sample_leaker (pid 4242, 64-bit), written at a clean exit"), r.out());
        assertTrue(r.out().contains("totals: 10 allocations (1,061,464 bytes), 2 frees (8,192 bytes), live 1,053,272"
                + " bytes"), r.out());
        assertTrue(r.out().contains("  modules: 3 listed by the tracker (1 unloaded since)\n"), r.out());
        // frames module+offset through the table's own module list (the program is not on this machine)
        assertTrue(r.out().matches("(?s).*  1  1,048,576  heap block +calloc +sample_leaker\\+0xf4ab +sample_leaker\\+0x1c010\n.*"),
                r.out());
        assertTrue(r.out().matches("(?s).*  6 +600  heap block +malloc +sample_leaker\\+0xd234 .*"), r.out());
        assertTrue(r.out().contains("524,288  -  1,048,576            1"), r.out());
        assertTrue(r.out().contains("\n  live: 2 threads, 2 sync objects, 1 handles\n"), r.out());
        for (String line : r.out().split("\n")) { // a 120-column terminal, counted in bytes as mawk does
            assertTrue(line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 120, line);
        }
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
        assertEquals("sample_leaker", top.get("frames").get(0).get("module").asText());
        assertEquals("0xf4ab", top.get("frames").get(0).get("moduleOffset").asText());
        assertEquals("[\"calloc\"]", top.get("subtypes").toString());
        assertEquals("table", t.get("modulesFrom").asText());
        JsonNode exe = t.get("modules").get(0);
        assertEquals("0x0000555555554000", exe.get("base").asText());
        assertEquals(0x20000, exe.get("size").asLong());
        assertEquals("sample_leaker", exe.get("name").asText());
        assertEquals("/opt/sample/sample_leaker", exe.get("path").asText());
        assertEquals(SAMPLE_DEBUG_ID, exe.get("debugId").asText());
        assertEquals("101112131415161718191a1b1c1d1e1f20212223", exe.get("codeId").asText());
        assertTrue(exe.get("loadTimeNs").isNull() && exe.get("unloadTimeNs").isNull(), exe.toString());
        JsonNode plugin = t.get("modules").get(2);
        assertEquals("plugin.so", plugin.get("name").asText());
        assertTrue(plugin.get("unloadTimeNs").asLong() > 0, plugin.toString());
        assertEquals(3, t.get("modules").size());
    }

    @Test
    void functionsNamedFromASymbolStoreByTheRecordedId() throws Exception {
        Path sym = tmp.resolve("store/sample_leaker/" + SAMPLE_DEBUG_ID + "/sample_leaker.sym");
        Files.createDirectories(sym.getParent());
        Files.writeString(sym, "MODULE Linux x86_64 " + SAMPLE_DEBUG_ID + " sample_leaker\n"
                + "FUNC d200 100 0 leak_small\nFUNC f400 100 0 leak_huge\nFUNC 1c000 100 0 worker_loop\n");
        // the same functions under another build's id must not be used
        Path other = tmp.resolve("store/sample_leaker/00000000000000000000000000000000A/sample_leaker.sym");
        Files.createDirectories(other.getParent());
        Files.writeString(other, "MODULE Linux x86_64 00000000000000000000000000000000A sample_leaker\n"
                + "FUNC d200 100 0 wrong_build\n");
        CliRun r = CliRun.of("dumpscan", SAMPLE, "--symbols-path", tmp.resolve("store").toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*  1  1,048,576  heap block +calloc +sample_leaker!leak_huge\\+0xab"
                + " +sample_leaker!worker_loop\\+0x10\n.*"), r.out());
        assertTrue(r.out().contains("sample_leaker!leak_small+0x34"), r.out());
        assertTrue(!r.out().contains("wrong_build"), r.out());
    }

    /**
     * C++ names for the sample's stacks: its call sites are the first frames outside the allocator and the
     * language runtime (docs/attribution.md), the folded frames after "via"; a user method named push_back stays.
     */
    @Test
    void tableStacksAreFoldedAsEveryCommandFoldsThem() throws Exception {
        Path sym = tmp.resolve("store/sample_leaker/" + SAMPLE_DEBUG_ID + "/sample_leaker.sym");
        Files.createDirectories(sym.getParent());
        Files.writeString(sym, "MODULE Linux x86_64 " + SAMPLE_DEBUG_ID + " sample_leaker\n"
                + "FUNC d200 100 0 std::vector<int, std::allocator<int> >::push_back(int const&)\n"
                + "FUNC e300 100 0 MyQueue::push_back(int)\nFUNC f400 100 0 operator new(unsigned long)\n"
                + "FUNC 1c000 100 0 Session::grow()\n");
        String store = tmp.resolve("store").toString();
        CliRun r = CliRun.of("dumpscan", SAMPLE, "--symbols-path", store);
        assertEquals(ExitCode.OK, r.exit(), r.err());
        // both allocations at sample_leaker+0x1c010 leaked from Session::grow(): one call site, two stacks; 120
        // columns hold the via part as its short name
        assertTrue(r.out().contains("  live resources: 13 from 5 call sites (6 stacks)\n"), r.out());
        assertTrue(r.out().matches("(?s).*  7  1,049,176  heap block +calloc,malloc +Session::grow\\(\\)\\+0x10 via"
                + " operator new\\(…\\) +libc.so.6\\+0x29d90\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*  1  +4,096  heap block +malloc +sample_leaker!MyQueue::push_back\\(int\\)"
                + "\\+0x45 +Session:…ow\\(\\)\\+0x10\n.*"), r.out());

        JsonNode table = new ObjectMapper().readTree(CliRun.of("dumpscan", SAMPLE, "--symbols-path", store, "--json")
                .out()).get("inputs").get(0).get("tables").get(0);
        List<String> named = new java.util.ArrayList<>();
        table.get("sites").forEach(x -> named.add(x.get("count") + " " + x.get("callSite").get("text").asText()
                + " folded " + x.get("foldedFrames")));
        assertEquals(List.of("1 sample_leaker!Session::grow()+0x10 folded 1",
                "1 sample_leaker!MyQueue::push_back(int)+0x45 folded 0", "6 sample_leaker!Session::grow()+0x10 folded 1",
                "2 sample_leaker+0x10000 folded 0", "2 sample_leaker+0x11000 folded 0", "1 sample_leaker+0x12000 folded 0"),
                named);
        assertEquals("operator new(unsigned long)", table.get("sites").get(0).get("frames").get(0).get("function")
                .asText());
        JsonNode grow = table.get("callSites").get(0);
        assertEquals(7, grow.get("count").asLong());
        assertEquals(1_049_176, grow.get("bytes").asLong());
        assertEquals(2, grow.get("stacks").asInt());
        assertEquals("Session::grow()", grow.get("callSite").get("function").asText());
        assertEquals("operator new(unsigned long)", grow.get("folded").get(0).get("function").asText());
        assertEquals("libc.so.6+0x29d90", grow.get("calledFrom").get("text").asText());
        assertEquals(5, table.get("callSites").size());

        CliRun unfolded = CliRun.of("dumpscan", SAMPLE, "--symbols-path", store, "--no-fold");
        assertTrue(unfolded.out().contains("  live resources: 13 from 6 call sites (6 stacks)\n"), unfolded.out());
        assertTrue(unfolded.out().contains("sample_leaker!operator new(…)+0xab"), unfolded.out());
        assertFalse(unfolded.out().contains(" via "), unfolded.out());
        CliRun extended = CliRun.of("dumpscan", SAMPLE, "--symbols-path", store, "--fold", "MyQueue::*");
        assertTrue(extended.out().matches("(?s).*  8  1,053,272  heap block +calloc,malloc +Session::grow\\(\\)\\+0x10 via"
                + " operator new\\(…\\) .*"), extended.out());
        CliRun notTables = CliRun.of("dumpscan", CliRun.testdata("minidump/sample.dmp").toString(), "--no-fold");
        assertEquals(ExitCode.BAD_INPUT, notTables.exit());
        assertTrue(notTables.err().contains("--fold and --no-fold apply to resmon tables"), notTables.err());
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
        CliRun dumps = CliRun.of("leakdiff", dumpWithTableStream(Files.readAllBytes(Path.of(SAMPLE)), null, "old.dmp")
                .toString(), dumpWithTableStream(b, null, "new.dmp").toString(), "-d");
        assertEquals(ExitCode.OK, dumps.exit(), dumps.err());
        assertTrue(dumps.out().contains("1 stacks changed, 1 shown, 5 unchanged"), dumps.out());
        assertTrue(dumps.out().contains("+ 1048576 (2097152 - 1048576)      1 allocs"), dumps.out());
        CliRun moved = CliRun.of("leakdiff", SAMPLE, SAMPLE_ASLR, "--json");
        assertEquals(ExitCode.OK, moved.exit(), moved.err());
        JsonNode m = new ObjectMapper().readTree(moved.out());
        assertEquals(0, m.get("stacksChanged").asInt(), "the program and libc moved by different amounts: "
                + moved.out());
        assertEquals(6, m.get("stacksUnchanged").asInt());
        CliRun mixed = CliRun.of("leakdiff", SAMPLE, CliRun.testdata("umdh/leaky_1.log").toString());
        assertEquals(ExitCode.BAD_INPUT, mixed.exit());
        assertTrue(mixed.err().contains("can only be compared with each other"), mixed.err());
    }

    /**
     * A minimal minidump as a launcher writes one: the header and a user stream holding the sample table image;
     * with a module path, also a module list of that one module where the sample program is.
     */
    private Path dumpWithTableStream(String modulePath) throws Exception {
        return dumpWithTableStream(Files.readAllBytes(Path.of(SAMPLE)), modulePath,
                modulePath == null ? "stream.dmp" : "modules.dmp");
    }

    private Path dumpWithTableStream(byte[] image, String modulePath, String fileName) throws Exception {
        byte[] name = modulePath == null ? new byte[0] : modulePath.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        int streams = modulePath == null ? 1 : 2;
        int moduleList = 32 + 12 * streams;
        int nameAt = moduleList + 4 + 108;
        int imageAt = modulePath == null ? moduleList : nameAt + 4 + name.length + 2;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(imageAt + image.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("MDMP".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort((short) 0xa793).putShort((short) 0)
                .putInt(streams).putInt(32).putInt(0).putInt(0).putLong(0);
        b.putInt(0x4C4B0001).putInt(image.length).putInt(imageAt);
        if (modulePath != null) {
            b.putInt(4).putInt(4 + 108).putInt(moduleList); // ModuleListStream: one MINIDUMP_MODULE
            b.putInt(1).putLong(0x0000555555554000L).putInt(0x20000).putInt(0).putInt(0).putInt(nameAt);
            b.position(nameAt).putInt(name.length).put(name).putShort((short) 0);
        }
        b.position(imageAt).put(image);
        Path p = tmp.resolve(fileName);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void tableFromAMinidumpUserStream() throws Exception {
        CliRun r = CliRun.of("dumpscan", dumpWithTableStream(null).toString(), "--resmon", "--json");
        assertEquals(ExitCode.OK, r.exit(), r.err());
        JsonNode t = new ObjectMapper().readTree(r.out()).get("inputs").get(0).get("tables");
        assertEquals(1, t.size(), "found in the stream; the dump has no memory to scan");
        assertEquals("user-stream", t.get(0).get("foundIn").asText());
        assertEquals("sample_leaker", t.get(0).get("processName").asText());
        assertEquals(13, t.get(0).get("liveRecords").asLong());
        assertEquals("table", t.get(0).get("modulesFrom").asText(), "the dump lists no modules: the table's own");
        assertEquals("sample_leaker", t.get(0).get("sites").get(0).get("frames").get(0).get("module").asText());
        CliRun text = CliRun.of("dumpscan", dumpWithTableStream(null).toString(), "--resmon");
        assertTrue(text.out().contains("1 resmon table (1 from the user stream)"), text.out());
    }

    @Test
    void aDumpsOwnModuleListComesFirst() throws Exception {
        CliRun r = CliRun.of("dumpscan", dumpWithTableStream("/from/the/dump/dumped_exe").toString(), "--resmon", "--json");
        assertEquals(ExitCode.OK, r.exit(), r.err());
        JsonNode t = new ObjectMapper().readTree(r.out()).get("inputs").get(0).get("tables").get(0);
        assertEquals("dump", t.get("modulesFrom").asText());
        JsonNode frame = t.get("sites").get(0).get("frames").get(0);
        assertEquals("dumped_exe", frame.get("module").asText(), "named as the dump names it");
        assertEquals("0xf4ab", frame.get("moduleOffset").asText());
        assertEquals(3, t.get("modules").size(), "the table's own list is still reported");
    }
}
