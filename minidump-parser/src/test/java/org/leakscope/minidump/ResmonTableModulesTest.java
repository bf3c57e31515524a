package org.leakscope.minidump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.TableImageBuilder.Entry;
import org.leakscope.minidump.TableImageBuilder.ModuleChunk;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;

/**
 * The table's module list (version 1.1), on generated images: identities in Breakpad's spelling, unloaded
 * modules, frames as module+offset; and a 1.0 image, whose reserved bytes are never taken for a module list
 * (the version says which). The C writer's own module list is checked on its sample in ResmonTableTest.
 */
class ResmonTableModulesTest {
    static final long EXE = 0x0000555555554000L;
    static final long LIBC = 0x00007FFFF7800000L;
    static final long APP = 0x0000000140000000L;
    static final long PLUGIN = EXE + 0x100000;

    @TempDir
    Path tmp;

    /**
     * An ELF program and libc with build ids, a PE with a CodeView record, and a plugin unloaded with another
     * loaded at its address since; a heap block in the program (called from libc) and one in the new plugin.
     */
    static TableImageBuilder image(int minor) {
        TableImageBuilder b = new TableImageBuilder();
        b.versionMinor = minor;
        b.at536 = TableImageBuilder.MODULE_CHUNK_VA;
        ModuleChunk c = new ModuleChunk(TableImageBuilder.MODULE_CHUNK_VA);
        long[] s = c.strings("/opt/app/leaker", "/lib/x86_64-linux-gnu/libc.so.6", "C:\\app\\app.exe",
                "C:\\build\\app.pdb", "/opt/app/old.so", "/opt/app/new.so");
        c.entries.add(new Entry(EXE, 0x20000, s[0]).id(1, TableImageBuilder.bytes(0x10, 20)));
        c.entries.add(new Entry(LIBC, 0x200000, s[1]).id(1, TableImageBuilder.bytes(0x40, 20)));
        Entry pe = new Entry(APP, 0x9000, s[2]).id(2, TableImageBuilder.bytes(0x70, 16));
        pe.age = 3;
        pe.timestamp = 0x5EED1234L;
        pe.debugFileOffset = s[3];
        c.entries.add(pe);
        Entry old = new Entry(PLUGIN, 0x4000, s[4]);
        old.loadTimeNs = 100;
        old.unloadTimeNs = 500;
        c.entries.add(old);
        Entry now = new Entry(PLUGIN, 0x8000, s[5]);
        now.loadTimeNs = 600;
        c.entries.add(now);
        c.consistent().addTo(b);
        b.heap(0x1000, 100, EXE + 0xD234, LIBC + 0x29D90);
        b.heap(0x2000, 50, PLUGIN + 0x10);
        return b;
    }

    private TrackingTable read(TableImageBuilder b) throws IOException {
        return ResmonTableTest.readImage(b.write(tmp.resolve("gen.rmt")));
    }

    @Test
    void aVersion11ImageHasItsModulesWithTheirIdentities() throws IOException {
        TrackingTable t = read(image(1));
        assertEquals(List.of(), t.problems());
        assertEquals(1, t.versionMinor());
        assertEquals(5, t.modules().size());
        TableModule exe = t.modules().get(0);
        assertEquals("/opt/app/leaker", exe.path());
        assertEquals(EXE, exe.base());
        assertEquals(0x20000, exe.size());
        assertEquals("leaker", exe.debugFile());
        // Breakpad's fold of a build id: its first 16 bytes as a GUID (three little-endian fields), then age 0
        assertEquals("131211101514171618191A1B1C1D1E1F0", exe.debugId());
        assertEquals("101112131415161718191a1b1c1d1e1f20212223", exe.codeId());
        assertEquals(0, exe.loadTimeNs());
        TableModule pe = t.modules().get(2);
        assertEquals("737271707574777678797A7B7C7D7E7F3", pe.debugId());
        assertEquals("app.pdb", pe.debugFile());
        assertEquals("5EED12349000", pe.codeId());
        assertEquals(new Module(APP, 0x9000, "C:\\app\\app.exe", "app.pdb", "737271707574777678797A7B7C7D7E7F3", null,
                "5EED12349000"), pe.module(), "the module symbol lookups get has the code id too");
        assertTrue(t.modules().get(3).unloaded());
        assertEquals(500, t.modules().get(3).unloadTimeNs());
        assertFalse(t.modules().get(4).unloaded());
        assertEquals(600, t.modules().get(4).loadTimeNs());
    }

    @Test
    void framesResolveThroughTheLoadedModuleFirst() throws IOException {
        TrackingTable t = read(image(1));
        assertEquals(List.of("app.exe", "leaker", "new.so", "libc.so.6"),
                t.moduleMap().modules().stream().map(Module::name).toList(), "old.so is hidden by new.so");
        List<List<String>> stacks = t.snapshot().aggregates().stream()
                .map(a -> a.backtrace().frames().stream().map(Frame::describe).toList()).toList();
        assertEquals(List.of(List.of("leaker+0xd234", "libc.so.6+0x29d90"), List.of("new.so+0x10")), stacks);
        assertEquals(4, t.snapshot().modules().modules().size());
    }

    @Test
    void aVersion10ImageReadsWithoutModulesWhateverItsReservedBytesHold() throws IOException {
        // the same bytes, a valid module chunk included, under a 1.0 header: offset 536 is reserved there
        TrackingTable t = read(image(0));
        assertEquals(0, t.versionMinor());
        assertEquals(List.of(), t.problems());
        assertEquals(List.of(), t.modules());
        assertEquals(2, t.liveRecords());
        assertTrue(t.moduleMap().modules().isEmpty());
        Frame f = t.snapshot().aggregates().get(0).backtrace().frames().get(0);
        assertNull(f.module(), "no module list: frames stay addresses");
        assertEquals(EXE + 0xD234, f.address());
    }

    @Test
    void aVersion11TableWithoutModulesHasAnEmptyList() throws IOException {
        TableImageBuilder b = new TableImageBuilder();
        b.heap(0x1000, 10, EXE + 0x10);
        TrackingTable t = read(b);
        assertEquals(List.of(), t.problems());
        assertEquals(List.of(), t.modules());
        assertEquals(1, t.liveRecords());
    }

    @Test
    void chunksAreFollowedThroughTheirLinks() throws IOException {
        TableImageBuilder b = new TableImageBuilder();
        b.at536 = TableImageBuilder.MODULE_CHUNK_VA;
        ModuleChunk first = new ModuleChunk(TableImageBuilder.MODULE_CHUNK_VA);
        first.entries.add(new Entry(EXE, 0x1000, first.strings("/a")[0]));
        first.consistent().nextVa = TableImageBuilder.MODULE_CHUNK_VA + 0x10000;
        first.addTo(b);
        ModuleChunk second = new ModuleChunk(TableImageBuilder.MODULE_CHUNK_VA + 0x10000);
        second.entries.add(new Entry(LIBC, 0x1000, second.strings("/b")[0]));
        second.consistent().addTo(b);
        TrackingTable t = read(b);
        assertEquals(List.of(), t.problems());
        assertEquals(List.of("/a", "/b"), t.modules().stream().map(TableModule::path).toList());
    }
}
