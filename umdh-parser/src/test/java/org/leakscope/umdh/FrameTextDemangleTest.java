package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.leakscope.model.Frame;

/**
 * A mingw-built module's symbols reach UMDH's text mangled (dbghelp undecorates only MSVC's): the frame gets the
 * readable name and keeps the mangled one. Needs the Itanium demangler (module demangle/, issue 13).
 */
class FrameTextDemangleTest {
    @Test
    void mangledNamesInUmdhFramesAreDemangled() {
        Frame f = FrameText.parseSymbolic("winleak!_ZN7Session4openEv+1C");
        assertEquals("Session::open()", f.function());
        assertEquals("_ZN7Session4openEv", f.mangled());
        assertEquals(0x1cL, f.functionOffset());
        Frame plain = FrameText.parseSymbolic("leaky!LeakyCache::Insert+34");
        assertEquals("LeakyCache::Insert", plain.function());
        assertNull(plain.mangled());
    }
}
