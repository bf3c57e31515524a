package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every value Breakpad's minidump_dump prints for minidump2.dmp equals what Leakscope reads. The expected
 * values come from parsing the golden file, never from numbers copied into this test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MinidumpGoldenTest {
    private BreakpadGolden golden;
    private Minidump dump;

    /** Before each test, not once for all: a missing corpus then skips (or, under CI, fails) every test by name. */
    @BeforeEach
    void open() throws Exception {
        if (dump == null) {
            golden = new BreakpadGolden(Corpus.file("breakpad/minidump2.dump.out"));
            dump = Minidump.open(Corpus.file("breakpad/minidump2.dmp"));
        }
    }

    @Test
    void header() {
        var g = golden.all("MDRawHeader").get(0);
        Header h = dump.header();
        assertEquals(g.number("signature"), h.signature());
        assertEquals(g.number("version"), ((long) h.implementationVersion() << 16) | h.version());
        assertEquals(g.number("stream_count"), h.streamCount());
        assertEquals(g.number("stream_directory_rva"), h.directoryOffset());
        assertEquals(g.number("checksum"), h.checksum());
        assertEquals(g.number("time_date_stamp"), h.timestamp().getEpochSecond());
        assertEquals(g.number("flags"), h.flags());
    }

    @Test
    void directory() {
        var g = golden.all("MDRawDirectory");
        assertEquals(g.size(), dump.streams().size());
        for (int i = 0; i < g.size(); i++) {
            StreamEntry e = dump.streams().get(i);
            assertEquals(g.get(i).number("stream_type"), e.type(), "entry " + i);
            assertEquals(g.get(i).number("location.data_size"), e.size(), "entry " + i);
            assertEquals(g.get(i).number("location.rva"), e.offset(), "entry " + i);
        }
    }

    @Test
    void threadsAndContexts() {
        var g = golden.all("MDRawThread");
        var ctx = golden.all("MDRawContextX86");
        List<DumpThread> threads = dump.threads().orElseThrow();
        assertEquals(g.size(), threads.size());
        for (int i = 0; i < g.size(); i++) {
            DumpThread t = threads.get(i);
            var s = g.get(i);
            assertEquals(s.number("thread_id"), t.id());
            assertEquals(s.number("suspend_count"), t.suspendCount());
            assertEquals(s.number("priority_class"), t.priorityClass());
            assertEquals((int) s.number("priority"), t.priority(), "the ULONG read as the signed value it holds");
            assertEquals(s.number("teb"), t.teb());
            assertEquals(s.number("stack.start_of_memory_range"), t.stackStart());
            assertEquals(s.number("stack.memory.data_size"), t.stackSize());
            assertEquals(s.number("stack.memory.rva"), t.stackOffset());
            assertEquals(s.number("thread_context.data_size"), t.contextSize());
            assertEquals(s.number("thread_context.rva"), t.contextOffset());
            // Each thread's context follows it in the golden output.
            assertRegisters(ctx.get(i), dump.context(t).orElseThrow());
        }
    }

    @Test
    void exceptionAndItsContext() {
        var g = golden.all("MDException").get(0);
        ExceptionInfo e = dump.exception().orElseThrow();
        assertEquals(g.number("thread_id"), e.threadId());
        assertEquals(g.number("exception_record.exception_code"), e.code());
        assertEquals(g.number("exception_record.exception_flags"), e.flags());
        assertEquals(g.number("exception_record.exception_address"), e.address());
        assertEquals(g.number("exception_record.number_parameters"), e.parameters().size());
        for (int i = 0; i < e.parameters().size(); i++) {
            assertEquals(g.number(String.format("exception_record.exception_information[%2d]", i)),
                    e.parameters().get(i));
        }
        assertEquals(g.number("thread_context.data_size"), e.contextSize());
        assertEquals(g.number("thread_context.rva"), e.contextOffset());
        var contexts = golden.all("MDRawContextX86");
        assertRegisters(contexts.get(contexts.size() - 1), dump.context(e.contextSize(), e.contextOffset()).orElseThrow());
        assertEquals("EXCEPTION_ACCESS_VIOLATION_WRITE", e.name());
        assertEquals(0x45, e.crashAddress());
    }

    private static void assertRegisters(BreakpadGolden.Section g, CpuContext c) {
        assertEquals("x86", c.cpu());
        assertEquals(g.number("context_flags"), c.flags());
        for (String r : List.of("edi", "esi", "ebx", "edx", "ecx", "eax", "ebp", "eip", "cs", "eflags", "esp", "ss")) {
            assertEquals(g.number(r), c.registers().get(r), r);
        }
        assertEquals(g.number("eip"), c.instructionPointer());
        assertEquals(g.number("esp"), c.stackPointer());
        assertEquals(g.number("ebp"), c.framePointer());
    }

    @Test
    @SuppressWarnings("unchecked")
    void modules() {
        var g = golden.all("MDRawModule");
        List<DumpModule> modules = dump.modules().orElseThrow();
        StreamEntry entry = dump.stream(StreamKind.MODULE_LIST).orElseThrow();
        List<Map<String, Object>> raw = (List<Map<String, Object>>) dump.rawFields(entry).orElseThrow().get("modules");
        assertEquals(g.size(), modules.size());
        for (int i = 0; i < g.size(); i++) {
            var s = g.get(i);
            DumpModule m = modules.get(i);
            Map<String, Object> r = raw.get(i);
            Map<String, Object> v = (Map<String, Object>) r.get("versionInfo");
            Map<String, Object> cv = (Map<String, Object>) r.get("cvRecord");
            Map<String, Object> misc = (Map<String, Object>) r.get("miscRecord");
            String where = "module " + i;
            assertEquals(s.number("base_of_image"), m.base(), where);
            assertEquals(s.number("size_of_image"), m.size(), where);
            assertEquals(s.number("checksum"), m.checksum(), where);
            assertEquals(s.number("time_date_stamp"), m.timestamp() == null ? 0 : m.timestamp().getEpochSecond());
            assertEquals(s.number("module_name_rva"), r.get("ofsName"), where);
            assertEquals(s.number("version_info.signature"), v.get("signature"), where);
            assertEquals(s.number("version_info.struct_version"), v.get("strucVersion"), where);
            assertEquals(s.get("version_info.file_version"),
                    "0x" + Long.toHexString((Long) v.get("fileVersionHi")) + ":0x" + Long.toHexString((Long) v.get("fileVersionLo")));
            assertEquals(s.get("version_info.product_version"),
                    "0x" + Long.toHexString((Long) v.get("productVersionHi")) + ":0x"
                            + Long.toHexString((Long) v.get("productVersionLo")));
            assertEquals(s.number("version_info.file_flags_mask"), v.get("fileFlagsMask"), where);
            assertEquals(s.number("version_info.file_flags"), v.get("fileFlags"), where);
            assertEquals(s.number("version_info.file_os"), v.get("fileOs"), where);
            assertEquals(s.number("version_info.file_type"), v.get("fileType"), where);
            assertEquals(s.number("version_info.file_subtype"), v.get("fileSubtype"), where);
            assertEquals(s.number("cv_record.data_size"), cv.get("lenData"), where);
            assertEquals(s.number("cv_record.rva"), cv.get("ofsData"), where);
            assertEquals(s.number("misc_record.data_size"), misc.get("lenData"), where);
            assertEquals(s.number("misc_record.rva"), misc.get("ofsData"), where);
            assertEquals(BreakpadGolden.string(s.get("(code_file)")), m.module().path(), where);
            assertEquals(BreakpadGolden.string(s.get("(code_identifier)")), m.codeId(), where);
            assertEquals(BreakpadGolden.string(s.get("(debug_identifier)")), m.module().debugId(), where);
            String debugFile = BreakpadGolden.string(s.get("(debug_file)"));
            assertEquals(debugFile.substring(debugFile.lastIndexOf('\\') + 1), m.module().debugFile(), where);
            String version = BreakpadGolden.string(s.get("(version)"));
            assertEquals(version.isEmpty() ? null : version, m.module().version(), where);
        }
    }

    @Test
    void memoryList() {
        var g = golden.all("MDMemoryDescriptor");
        List<MemoryRange> ranges = dump.memoryList().orElseThrow();
        assertEquals(g.size(), ranges.size());
        for (int i = 0; i < g.size(); i++) {
            assertEquals(g.get(i).number("start_of_memory_range"), ranges.get(i).start());
            assertEquals(g.get(i).number("memory.data_size"), ranges.get(i).size());
            assertEquals(g.get(i).number("memory.rva"), ranges.get(i).fileOffset());
        }
    }

    @Test
    void memoryContentsMatchTheGoldenHex() throws Exception {
        // Each "Memory" section in the golden file is followed by the range's bytes as one 0x... hex line.
        List<String> lines = Files.readAllLines(Corpus.file("breakpad/minidump2.dump.out"));
        List<MemoryRange> ranges = dump.memoryList().orElseThrow();
        int seen = 0;
        for (int i = 0; i + 1 < lines.size() && seen < ranges.size(); i++) {
            if (lines.get(i).equals("Memory") && lines.get(i + 1).startsWith("0x")) {
                MemoryRange r = ranges.get(seen++);
                byte[] bytes = dump.memory().readFully(r.start(), (int) r.size());
                assertEquals(lines.get(i + 1).substring(2), hex(bytes), "range " + Long.toHexString(r.start()));
            }
        }
        assertEquals(ranges.size(), seen);
    }

    @Test
    void systemInfo() {
        var g = golden.all("MDRawSystemInfo").get(0);
        SystemInfo s = dump.systemInfo().orElseThrow();
        assertEquals(g.number("processor_architecture"), s.architectureCode());
        assertEquals(g.number("processor_level"), s.processorLevel());
        assertEquals(g.number("processor_revision"), s.processorRevision());
        assertEquals(g.number("number_of_processors"), s.processorCount());
        assertEquals(g.number("product_type"), s.productType());
        assertEquals(g.number("major_version"), s.majorVersion());
        assertEquals(g.number("minor_version"), s.minorVersion());
        assertEquals(g.number("build_number"), s.buildNumber());
        assertEquals(g.number("platform_id"), s.platformId());
        assertEquals(g.number("suite_mask"), s.suiteMask());
        assertEquals(BreakpadGolden.string(g.get("(csd_version)")), s.servicePack());
        assertEquals(BreakpadGolden.string(g.get("(cpu_vendor)")), s.cpuVendor());
        @SuppressWarnings("unchecked")
        Map<String, Object> cpu = (Map<String, Object>) dump.rawFields(dump.stream(StreamKind.SYSTEM_INFO).orElseThrow())
                .orElseThrow().get("cpu");
        assertEquals(g.number("csd_version_rva"),
                dump.rawFields(dump.stream(StreamKind.SYSTEM_INFO).orElseThrow()).orElseThrow().get("ofsCsdVersion"));
        assertEquals(g.number("cpu.x86_cpu_info.version_information"), cpu.get("versionInformation"));
        assertEquals(g.number("cpu.x86_cpu_info.feature_information"), cpu.get("featureInformation"));
        assertEquals(g.number("cpu.x86_cpu_info.amd_extended_cpu_features"), cpu.get("amdExtendedCpuFeatures"));
    }

    @Test
    void miscInfo() {
        var g = golden.all("MDRawMiscInfo").get(0);
        MiscInfo m = dump.miscInfo().orElseThrow();
        assertEquals(g.number("size_of_info"), m.size());
        assertEquals(g.number("flags1"), m.flags1());
        assertEquals(g.number("process_id"), m.processId());
        assertEquals(g.number("process_create_time"), m.processCreateTime().getEpochSecond());
        assertEquals(g.number("process_user_time"), m.processUserTime());
        assertEquals(g.number("process_kernel_time"), m.processKernelTime());
    }

    @Test
    void breakpadInfo() {
        var g = golden.all("MDRawBreakpadInfo").get(0);
        BreakpadInfo b = dump.breakpadInfo().orElseThrow();
        long validity = (b.dumpThreadId() != null ? 1 : 0) | (b.requestingThreadId() != null ? 2 : 0);
        assertEquals(g.number("validity"), validity, "the ids the parser kept are those the validity bits vouch for");
        assertEquals(g.number("dump_thread_id"), b.dumpThreadId());
        assertEquals(g.number("requesting_thread_id"), b.requestingThreadId());
        assertTrue(dump.problems().isEmpty(), dump.problems().toString());
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    static Path corpus(String p) {
        return Corpus.file(p);
    }
}
