package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Frame;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.Module;

/**
 * A raw return address in a module has one code whichever way it is asked: as a Frame (a whole read, a stack read
 * again) or through its module's operator (the indexed reader's frame lines). Allocator modules set the top bit.
 */
class KeyCodesTest {
    @Test
    void aFrameAndItsModulesOperatorAgree() {
        List<Module> modules = List.of(new Module(0x77000000L, 0x180000, "C:\\Windows\\SysWOW64\\ntdll.dll", null, null,
                null), new Module(0x400000, 0x11D000, "C:\\bench\\app.exe", null, null, null),
                new Module(0x7FF6_1000_0000L, 0x9000, "plugin.DLL", null, null, null));
        for (KeyKind kind : List.of(KeyKind.MODULE_OFFSET, KeyKind.FRAMES)) {
            for (AllocatorFolding folding : List.of(AllocatorFolding.defaults(), AllocatorFolding.none())) {
                KeyCodes codes = new KeyCodes(kind, folding);
                for (Module m : modules) {
                    for (long offset : new long[] {0, 1, 0x3EC66, m.size() - 1}) {
                        Frame f = Frame.unresolved(m.base() + offset).withModule(m.name(), offset);
                        assertEquals(codes.code(f), codes.module(m).applyAsLong(offset), kind + " " + m.name());
                    }
                }
                long ntdll = codes.module(modules.get(0)).applyAsLong(0x3EC66);
                long app = codes.module(modules.get(1)).applyAsLong(0x3EC66);
                assertEquals(folding.isEmpty() ? 0 : FrameCodes.ALLOCATOR, ntdll & FrameCodes.ALLOCATOR);
                assertEquals(0, app & FrameCodes.ALLOCATOR);
                assertNotEquals(ntdll & ~FrameCodes.ALLOCATOR, app, "the module is part of the code");
            }
        }
    }
}
