package org.leakscope.symbols.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Names and ids from dumps and logs, which anyone can write, reduced to what a store folder can hold. */
class SafeNamesTest {
    @Test
    void aRecordedPathIsReducedToItsFileName() {
        assertEquals("app.pdb", SafeNames.fileName("c:\\src\\out\\app.pdb"));
        assertEquals("x.pdb", SafeNames.fileName("..\\..\\x.pdb"));
        assertEquals("x", SafeNames.fileName("../x"));
        assertEquals("passwd", SafeNames.fileName("/etc/passwd"));
        assertEquals("x.pdb", SafeNames.fileName("\\\\host\\share\\x.pdb"));
        assertEquals("ntdll.pdb", SafeNames.fileName("ntdll.pdb"));
    }

    @Test
    void namesThatAreNotAPlainFileAreRefused() {
        for (String bad : new String[] {"", "..", ".", "C:", "C:x.pdb", "x.pdb\0.sym", "a\nb.pdb", "a\u001bb",
            "nul", "NUL.pdb", "con.sym", "COM1", "lpt9.dll", "x.pdb.", "x.pdb ", "a*b", "a?b", "a|b", "a<b",
            "x".repeat(256), "dir\\", "dir/"}) {
            assertNull(SafeNames.fileName(bad), bad);
        }
        assertNull(SafeNames.fileName(null));
    }

    @Test
    void idsAreHexOfTheRightLength() {
        assertEquals("5A9832E5287241C1838ED98914E9B7FF1", SafeNames.debugId("5a9832e5287241c1838ed98914e9b7ff1"));
        for (String bad : new String[] {"..", "5A9832E5/../x", "12345678", "G".repeat(33), "A".repeat(41), ""}) {
            assertNull(SafeNames.debugId(bad), bad);
        }
        assertEquals("45D35F6C2d000", SafeNames.codeId("45D35F6C2d000"));
        assertNull(SafeNames.codeId("45D35F6C/../2d000"));
        assertNull(SafeNames.codeId(""));
    }
}
