package org.leakscope.stackwalk;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.leakscope.minidump.DumpModule;
import org.leakscope.minidump.MemoryRange;
import org.leakscope.minidump.VirtualMemory;
import org.leakscope.model.Hex;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Module;
import org.leakscope.model.Problem;
import org.leakscope.symbols.LoadedImage;
import org.leakscope.symbols.PeImageInfo;
import org.leakscope.symbols.X64Unwind;

/**
 * What a dump captured of its modules' images, read from its memory (MemoryList and Memory64List): the x64
 * unwind data of an image a full-memory (or image-including) Windows minidump holds, for modules no symbol or
 * program file covers, and the code bytes before a return address for the stack scan's call check.
 *
 * <p>The image at a module's base belongs to that module by definition, but a module list and the memory can
 * disagree (a module unloaded and another mapped there before the dump was written): an image whose SizeOfImage
 * or TimeDateStamp differs from the module list's is not used, with a warning in {@link #problems}. Reads are
 * bounded by the module's size and stop at the first page the dump left out.
 */
final class CapturedImages implements AutoCloseable {
    private final String dumpName;
    private final VirtualMemory memory;
    private final Map<Long, DumpModule> byBase = new HashMap<>();
    private final Map<Module, Optional<X64Unwind>> unwind = new HashMap<>();
    private final List<Problem> problems;

    CapturedImages(String dumpName, VirtualMemory memory, List<DumpModule> modules, List<Problem> problems) {
        this.dumpName = dumpName;
        this.memory = memory;
        this.problems = problems;
        for (DumpModule m : modules) {
            byBase.putIfAbsent(m.base(), m);
        }
    }

    /** The STACK CFI rules at {@code rva} from the module's x64 unwind data in the dump's memory, or empty. */
    Optional<String> x64RulesAt(Module module, long rva) {
        return unwind.computeIfAbsent(module, this::openUnwind).flatMap(u -> u.stackCfiRulesAt(rva));
    }

    private Optional<X64Unwind> openUnwind(Module module) {
        LoadedImage image = image(module);
        if (image.read(0, 2).length < 2) {
            return Optional.empty(); // the common case: the dump holds no image of this module
        }
        X64Unwind u = null;
        try {
            u = X64Unwind.open(image, module.size());
            DumpModule listed = byBase.get(module.base());
            String mismatch = u.sizeOfImage() != module.size()
                    ? "SizeOfImage " + Hex.of(u.sizeOfImage()) + ", the module list " + Hex.of(module.size())
                    : listed != null && listed.timestamp() != null
                            && u.timeDateStamp() != listed.timestamp().getEpochSecond()
                                    ? "TimeDateStamp " + Hex.of(u.timeDateStamp()) + ", the module list "
                                            + Hex.of(listed.timestamp().getEpochSecond())
                                    : null;
            if (mismatch != null) {
                problems.add(new Problem(dumpName, null, null, image.source() + ": the image in memory is not the"
                        + " listed module's (" + mismatch + "): its unwind data is not used"));
                u.close();
                return Optional.empty();
            }
            if (u.machine() != PeImageInfo.MACHINE_AMD64) {
                u.close();
                return Optional.empty();
            }
            return Optional.of(u);
        } catch (InputFormatException e) {
            problems.add(Problem.of(e));
        } catch (IOException e) {
            problems.add(new Problem(dumpName, null, null, image.source() + ": cannot read: " + e.getMessage()));
        }
        return Optional.empty();
    }

    /** The module's image as the dump captured it, by RVA, never past the module's size. */
    private LoadedImage image(Module module) {
        long base = module.base();
        long size = module.size();
        String source = dumpName + ": " + module.name() + " at " + Hex.of(base) + " (positions are RVAs)";
        return new LoadedImage() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public byte[] read(long rva, int length) {
                if (rva < 0 || rva >= size || length <= 0) {
                    return new byte[0];
                }
                return captured(base + rva, (int) Math.min(length, Math.min(size - rva, VirtualMemory.MAX_READ)));
            }

            @Override
            public long nextCaptured(long rva) {
                long next = nextCapturedAddress(base + Math.max(0, rva));
                return next == -1 || Long.compareUnsigned(next, base + size) >= 0 ? -1 : next - base;
            }
        };
    }

    /** The lowest address at or after {@code address} inside a captured range, or -1. */
    private long nextCapturedAddress(long address) {
        List<MemoryRange> ranges = memory.ranges(); // sorted by start
        int lo = 0;
        int hi = ranges.size();
        while (lo < hi) { // the first range that ends after the address
            int mid = (lo + hi) >>> 1;
            MemoryRange r = ranges.get(mid);
            if (Long.compareUnsigned(r.start() + r.size(), address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo; i < ranges.size(); i++) {
            MemoryRange r = ranges.get(i);
            if (r.size() > 0 && Long.compareUnsigned(r.start() + r.size(), address) > 0) {
                return Long.compareUnsigned(r.start(), address) > 0 ? r.start() : address;
            }
        }
        return -1;
    }

    /** The bytes from {@code address} on, up to {@code length}, until the first one the dump did not capture. */
    private byte[] captured(long address, int length) {
        List<VirtualMemory.Piece> pieces = memory.read(address, length);
        int n = 0;
        for (VirtualMemory.Piece p : pieces) {
            if (p.isGap()) {
                break;
            }
            n += p.bytes().length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (VirtualMemory.Piece p : pieces) {
            if (p.isGap()) {
                break;
            }
            System.arraycopy(p.bytes(), 0, out, at, p.bytes().length);
            at += p.bytes().length;
        }
        return out;
    }

    /**
     * Up to {@code n} bytes that end right before {@code address}, as far back as the dump captured them without a
     * gap (none when it did not capture the byte before).
     */
    byte[] before(long address, int n) {
        if (nextCapturedAddress(address - 1) != address - 1) {
            return new byte[0]; // the usual case outside full-memory dumps: found without reading anything
        }
        List<VirtualMemory.Piece> pieces = memory.read(address - n, n);
        int from = pieces.size();
        int len = 0;
        while (from > 0 && !pieces.get(from - 1).isGap()) {
            from--;
            len += pieces.get(from).bytes().length;
        }
        byte[] out = new byte[len];
        int at = 0;
        for (int i = from; i < pieces.size(); i++) {
            System.arraycopy(pieces.get(i).bytes(), 0, out, at, pieces.get(i).bytes().length);
            at += pieces.get(i).bytes().length;
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        for (Optional<X64Unwind> u : unwind.values()) {
            if (u.isPresent()) {
                u.get().close();
            }
        }
    }
}
