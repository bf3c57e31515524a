package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;

/**
 * A file names a module's functions only when it is the build the module was loaded from: ELF libraries and
 * PE images gcc and mingw-w64 build here with chosen build ids, and Breakpad {@code .sym} files, against
 * modules recorded as a minidump (debug id, code id), a log or a UMDH snapshot (path and size only) records
 * them. A file of another build leaves the frame as module+offset with a warning naming both ids.
 */
class SymbolStoreIdentityTest {
    private static final String BUILD_A = "0123456789abcdef0011223344556677deadbeef";
    /** Breakpad's debug id of build A (dump_syms prints it): the first 16 bytes as a GUID, then age 0. */
    private static final String DEBUG_A = "67452301AB89EFCD00112233445566770";
    private static final String BUILD_B = "fedcba98765432100011223344556677cafef00d";
    private static final long BASE = 0x7f00_1234_0000L;

    @TempDir
    Path tmp;

    private static Frame at(Module m, long offset) {
        return Frame.unresolved(m.base() + offset).withModule(m.name(), offset);
    }

    private static List<String> messages(SymbolStore store) {
        return store.problems().stream().map(Problem::message).toList();
    }

    /** libplant.so built twice, in a/ with build id A and in b/ with build id B; returns {a, b}. */
    private Path[] twoBuilds() throws IOException {
        Path a = ElfSymbolFileTest.library(Files.createDirectories(tmp.resolve("a")), "libplant.so",
                "--build-id=0x" + BUILD_A);
        Path b = ElfSymbolFileTest.library(Files.createDirectories(tmp.resolve("b")), "libplant.so",
                "--build-id=0x" + BUILD_B);
        return new Path[] {a, b};
    }

    /** Where plant_a starts in the library, by nm. */
    private static long plantA(Path so) {
        String nm = Tools.run(List.of("nm", "-D", "--defined-only", so.toString()));
        for (String line : nm.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals("plant_a")) {
                return Long.parseLong(f[0], 16);
            }
        }
        throw new AssertionError("nm lists no plant_a: " + nm);
    }

    @Test
    void anElfFileOfAnotherBuildIdIsRefusedAndTheMatchingOneUsed() throws IOException {
        Path[] builds = twoBuilds();
        Tools.require("nm", "binutils");
        long fn = plantA(builds[0]);
        // as a Breakpad or lldb minidump records it: the debug id and, in the code id, the whole build id
        Module dumped = new Module(BASE, 0x1000, "/crashed/machine/libplant.so", "libplant.so", DEBUG_A, null, BUILD_A);
        try (SymbolStore other = new SymbolStore(List.of(builds[1].getParent()))) {
            assertEquals("libplant.so+0x" + Long.toHexString(fn + 4), other.symbolize(at(dumped, fn + 4), dumped)
                    .describe());
            assertEquals(List.of("ignoring " + builds[1] + ": its build id " + BUILD_B + " differs from the loaded"
                    + " module libplant.so (build id " + BUILD_A + ")"), messages(other));
        }
        try (SymbolStore both = new SymbolStore(List.of(builds[1].getParent(), builds[0].getParent()))) {
            assertEquals("libplant.so!plant_a+0x4", both.symbolize(at(dumped, fn + 4), dumped).describe());
            assertEquals(1, both.problems().size()); // b/ was looked at and refused, a/ was used
        }
    }

    @Test
    void onlyADebugIdOnTheDumpsSideIsComparedAsOne() throws IOException {
        Path[] builds = twoBuilds();
        Tools.require("nm", "binutils");
        long fn = plantA(builds[0]);
        // old Breakpad wrote an RSDS record for ELF modules: the debug id alone
        Module old = new Module(BASE, 0x1000, "/crashed/machine/libplant.so", "libplant.so", DEBUG_A, null);
        try (SymbolStore other = new SymbolStore(List.of(builds[1].getParent()))) {
            assertEquals("libplant.so+0x" + Long.toHexString(fn), other.symbolize(at(old, fn), old).describe());
            assertEquals(List.of("ignoring " + builds[1] + ": its build id " + BUILD_B
                    + " (debug id 98BADCFE5476103200112233445566770) differs from the loaded module libplant.so"
                    + " (debug id " + DEBUG_A + ")"), messages(other));
        }
        try (SymbolStore same = new SymbolStore(List.of(builds[0].getParent()))) {
            assertEquals("libplant.so!plant_a", same.symbolize(at(old, fn), old).describe());
            assertEquals(List.of(), same.problems());
        }
        // the first 16 bytes agree, the rest of the build id does not: another build all the same
        String tail = BUILD_A.substring(0, 32) + "deadbeee";
        Module differentTail = new Module(BASE, 0x1000, "/x/libplant.so", "libplant.so", DEBUG_A, null, tail);
        try (SymbolStore store = new SymbolStore(List.of(builds[0].getParent()))) {
            assertEquals("libplant.so+0x" + Long.toHexString(fn), store.symbolize(at(differentTail, fn),
                    differentTail).describe());
            assertEquals(List.of("ignoring " + builds[0] + ": its build id " + BUILD_A + " differs from the loaded"
                    + " module libplant.so (build id " + tail + ")"), messages(store));
        }
    }

    @Test
    void withoutIdsInTheInputTheLoadedSizeDecides() throws IOException {
        Path so = twoBuilds()[0];
        Tools.require("nm", "binutils");
        long fn = plantA(so);
        long[] span = ElfSymbolFileTest.loadSpan(so);
        long size = span[1] - span[0];
        // libresmon's module lines and snapshot tables: the path and the span of the PT_LOAD segments
        Module logged = new Module(BASE, size, so.toString(), null, null, null);
        Module paged = new Module(BASE, (span[1] + 0xfff & ~0xfffL) - (span[0] & ~0xfffL), so.toString(), null, null,
                null);
        Module bigger = new Module(BASE, size + 0x2000, so.toString(), null, null, null);
        try (SymbolStore store = new SymbolStore(List.of())) {
            assertEquals("libplant.so!plant_a+0x1", store.symbolize(at(logged, fn + 1), logged).describe());
            assertEquals("libplant.so!plant_a+0x1", store.symbolize(at(paged, fn + 1), paged).describe());
            assertEquals(List.of(), store.problems());
            assertEquals("libplant.so+0x" + Long.toHexString(fn + 1), store.symbolize(at(bigger, fn + 1), bigger)
                    .describe());
            assertEquals(List.of("ignoring " + so + ": its loaded size (the span of its PT_LOAD segments) " + size
                    + " differs from the loaded module libplant.so (" + (size + 0x2000) + " bytes; the input records"
                    + " no id for it)"), messages(store));
        }
        Module unsized = new Module(BASE, 0, so.toString(), null, null, null);
        try (SymbolStore store = new SymbolStore(List.of())) {
            assertEquals("libplant.so+0x" + Long.toHexString(fn), store.symbolize(at(unsized, fn), unsized).describe());
            assertEquals(List.of("ignoring " + so + ": nothing tells whether it is the build of the loaded module"
                    + " libplant.so (the input records no id for it; nor its size)"), messages(store));
        }
    }

    @Test
    void aPeImageOfAnotherDebugIdIsRefusedAndTheMatchingOneUsed() throws Exception {
        Path a = PeSymbolFileMingwTest.compile(Files.createDirectories(tmp.resolve("a")), "planted.exe",
                PeSymbolFileMingwTest.SOURCE, "-Wl,--build-id=0x5eed0000000040008000000000000000");
        Path b = PeSymbolFileMingwTest.compile(Files.createDirectories(tmp.resolve("b")), "planted.exe",
                PeSymbolFileMingwTest.SOURCE, "-Wl,--build-id=0x5eed0000000040008000000000000099");
        long base = PeSymbolFileMingwTest.header(a, "ImageBase");
        long rva = PeSymbolFileMingwTest.nm(a).stream().filter(s -> s[1].equals("leak_small"))
                .mapToLong(s -> (Long) s[0]).findFirst().orElseThrow() - base;
        // a minidump's module: the CodeView GUID and age, and the code id
        Module dumped = new Module(BASE, 0x3a000, "C:\\build\\planted.exe", "planted.pdb",
                "5EED0000000040008000000000000000" + "1", null, "5F0000003a000");
        try (SymbolStore store = new SymbolStore(List.of(b.getParent()))) {
            assertEquals("planted.exe+0x" + Long.toHexString(rva + 2), store.symbolize(at(dumped, rva + 2), dumped)
                    .describe());
            assertEquals(List.of("ignoring " + b + ": its debug id 5EED00000000400080000000000000991 differs from the"
                    + " loaded module planted.exe (debug id 5EED00000000400080000000000000001)"), messages(store));
        }
        try (SymbolStore store = new SymbolStore(List.of(b.getParent(), a.getParent()))) {
            assertEquals("planted.exe!leak_small+0x2", store.symbolize(at(dumped, rva + 2), dumped).describe());
        }
    }

    @Test
    void withoutACodeViewRecordTheTimestampAndSizeDecide() throws Exception {
        Path exe = PeSymbolFileMingwTest.compile(tmp, "planted.exe", PeSymbolFileMingwTest.SOURCE);
        long base = PeSymbolFileMingwTest.header(exe, "ImageBase");
        long size = PeSymbolFileMingwTest.header(exe, "SizeOfImage");
        long stamp = PeSymbolFileMingwTest.timeDateStamp(exe);
        long rva = PeSymbolFileMingwTest.nm(exe).stream().filter(s -> s[1].equals("leak_small"))
                .mapToLong(s -> (Long) s[0]).findFirst().orElseThrow() - base;
        String code = String.format("%08X%x", stamp, size);
        String earlier = String.format("%08X%x", stamp - 3600, size);
        // a minidump of a build without a CodeView record (mingw's default): the code id alone; a debug id the
        // file cannot answer does not stop the code id from deciding
        Module same = new Module(BASE, size, "C:\\x\\planted.exe", "planted.exe", "0123456789ABCDEF0123456789ABCDEF1",
                null, code);
        Module rebuilt = new Module(BASE, size, "C:\\x\\planted.exe", null, null, null, earlier);
        try (SymbolStore store = new SymbolStore(List.of(tmp))) {
            assertEquals("planted.exe!leak_small", store.symbolize(at(same, rva), same).describe());
            assertEquals(List.of(), store.problems());
            assertEquals("planted.exe+0x" + Long.toHexString(rva), store.symbolize(at(rebuilt, rva), rebuilt)
                    .describe());
            assertEquals(List.of("ignoring " + exe + ": its code id " + code + " differs from the loaded module"
                    + " planted.exe (code id " + earlier + ")"), messages(store));
        }
    }

    /** A one-function Breakpad file: MODULE line, optional INFO CODE_ID, FUNC at 0x1000. */
    private static Path sym(Path root, String debugFile, String dirId, String moduleId, String codeId)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(debugFile).resolve(dirId));
        Path p = dir.resolve(debugFile.replace(".pdb", "") + ".sym");
        Files.writeString(p, "MODULE windows x86_64 " + moduleId + " " + debugFile + "\n"
                + (codeId == null ? "" : "INFO CODE_ID " + codeId + " leaky.exe\n")
                + "FUNC 1000 40 0 Cache::Insert\n");
        return p;
    }

    @Test
    void aSymFileWhoseModuleLineNamesAnotherIdIsRefused() throws IOException {
        String id = "6B2E0D9C1F1A4A5C9E2D7F0A3B4C5D6E1";
        String other = "6B2E0D9C1F1A4A5C9E2D7F0A3B4C5D6E2";
        Module dumped = new Module(0x400000, 0x20000, "C:\\leaky.exe", "leaky.pdb", id, null);
        Path misfiled = sym(tmp.resolve("wrong"), "leaky.pdb", id, other, null);
        Path right = sym(tmp.resolve("right"), "leaky.pdb", id, id, null);
        try (SymbolStore store = new SymbolStore(List.of(misfiled.getParent().getParent().getParent()))) {
            assertEquals("leaky.exe+0x1010", store.symbolize(at(dumped, 0x1010), dumped).describe());
            assertEquals(List.of("ignoring " + misfiled + ": its debug id " + other + " differs from the loaded"
                    + " module leaky.exe (debug id " + id + ")"), messages(store));
        }
        try (SymbolStore store = new SymbolStore(List.of(right.getParent().getParent().getParent()))) {
            assertEquals("leaky.exe!Cache::Insert+0x10", store.symbolize(at(dumped, 0x1010), dumped).describe());
        }
    }

    @Test
    void aSymFileFoundByNameMustGiveTheModulesSize() throws IOException {
        String id = "6B2E0D9C1F1A4A5C9E2D7F0A3B4C5D6E1";
        Path withCode = sym(tmp.resolve("code"), "leaky.pdb", id, id, "5E8A1B2C20000");
        Path without = sym(tmp.resolve("bare"), "leaky.pdb", id, id, null);
        // UMDH's module table: base, size and path
        Module umdh = new Module(0x400000, 0x20000, "C:\\src\\leaky\\Release\\leaky.exe", null, null, null);
        Module bigger = new Module(0x400000, 0x21000, "C:\\src\\leaky\\Release\\leaky.exe", null, null, null);
        try (SymbolStore store = new SymbolStore(List.of(tmp.resolve("code")))) {
            assertEquals("leaky.exe!Cache::Insert+0x10", store.symbolize(at(umdh, 0x1010), umdh).describe());
            assertEquals("leaky.exe+0x1010", store.symbolize(at(bigger, 0x1010), bigger).describe());
            assertEquals(List.of("ignoring " + withCode + ": its SizeOfImage (from its INFO CODE_ID) 131072 differs"
                    + " from the loaded module leaky.exe (135168 bytes; the input records no id for it)"),
                    messages(store));
        }
        try (SymbolStore store = new SymbolStore(List.of(tmp.resolve("bare")))) {
            assertEquals("leaky.exe+0x1010", store.symbolize(at(umdh, 0x1010), umdh).describe());
            assertEquals(List.of("ignoring " + without + ": nothing tells whether it is the build of the loaded"
                    + " module leaky.exe (the input records no id for it; the file has no size to compare)"),
                    messages(store));
        }
    }
}
