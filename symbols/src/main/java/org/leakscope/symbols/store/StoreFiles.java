package org.leakscope.symbols.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Paths inside one store folder. Every component is a checked {@link SafeNames} name, so {@code ..} and
 * absolute paths cannot occur; what remains is a link inside the store that points out of it, or a FIFO or a
 * device under a store name, and those are refused here: a file is used only when it is a regular file whose
 * real path lies inside the store's real path.
 */
final class StoreFiles {
    private StoreFiles() {
    }

    /** {@code root/parts...}, or null when a part is not a safe name or this file system cannot hold it. */
    static Path inside(Path root, String... parts) {
        Path p = root;
        for (String part : parts) {
            if (part == null || !part.equals(SafeNames.fileName(part))) {
                return null;
            }
            try {
                p = p.resolve(part);
            } catch (InvalidPathException e) {
                return null;
            }
        }
        return p;
    }

    /** True when {@code p} is a regular file (after links) whose real path lies inside {@code root}'s. */
    static boolean regularInside(Path root, Path p) {
        if (p == null) {
            return false;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return false; // a folder, a FIFO (which would block the read), a device
            }
            return p.toRealPath().startsWith(root.toRealPath());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
