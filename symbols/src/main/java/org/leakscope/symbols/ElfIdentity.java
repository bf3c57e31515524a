package org.leakscope.symbols;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.leakscope.model.DebugIds;
import org.leakscope.model.Hex;

/**
 * Which build an ELF file is, by Breakpad's FileID rule (so it compares with the debug id a Breakpad, Crashpad
 * or lldb minidump records): the GNU build-id note, from the {@code .note.gnu.build-id} section or else a
 * PT_NOTE segment; a file without one is identified by the first 4 KiB of its {@code .text} section folded into
 * 16 bytes by XOR, as Breakpad's dump writer identifies it. Also the size a loaded copy is recorded with: the span
 * of its PT_LOAD segments (libresmon's module lines and snapshot tables), or that span rounded out to 4 KiB pages
 * (the mappings a Linux minidump writer sums).
 */
final class ElfIdentity {
    static final int PT_LOAD = 1;
    static final int PT_NOTE = 4;
    static final int SHT_PROGBITS = 1;
    static final int SHT_NOTE = 7;
    private static final int NT_GNU_BUILD_ID = 3;
    private static final int NOTE_HEADER = 12;
    /** Note sections and segments are a few hundred bytes; anything larger is damage and is not read. */
    private static final long MAX_NOTES = 64 * 1024;
    /** Section name tables are a few hundred bytes too. */
    private static final long MAX_NAMES = 1 << 20;
    /** Breakpad hashes this much of .text, in 16-byte strides. */
    private static final int TEXT_HASHED = 4096;
    private static final int GUID = 16;
    private static final long PAGE = 4096;

    /** One program header: {type, file offset, file size, vaddr, memsz}. */
    record Segment(long type, long offset, long fileSize, long vaddr, long memSize) {
    }

    /** One section header: {name offset, type, file offset, size}. */
    record Section(long name, long type, long offset, long size) {
    }

    private final FileChannel ch;
    private final String source;
    private final long fileSize;

    private ElfIdentity(FileChannel ch, String source, long fileSize) {
        this.ch = ch;
        this.source = source;
        this.fileSize = fileSize;
    }

    /** The file's identity; {@code names} is the section-name table's index ({@code e_shstrndx}). */
    static BuildIdentity read(FileChannel ch, String source, long fileSize, List<Segment> segments,
            List<Section> sections, int names) throws IOException {
        return new ElfIdentity(ch, source, fileSize).identity(segments, sections, names);
    }

    private BuildIdentity identity(List<Segment> segments, List<Section> sections, int names) throws IOException {
        byte[] nameTable = names > 0 && names < sections.size() && sections.get(names).size() <= MAX_NAMES
                ? bytes(sections.get(names).offset(), sections.get(names).size(), "the section name table") : null;
        byte[] buildId = null;
        Section noteSection = find(sections, nameTable, SHT_NOTE, ".note.gnu.build-id");
        if (noteSection != null) {
            buildId = buildId(noteSection.offset(), noteSection.size());
        }
        for (int i = 0; i < segments.size() && buildId == null && noteSection == null; i++) {
            Segment s = segments.get(i);
            if (s.type() == PT_NOTE) {
                buildId = buildId(s.offset(), s.fileSize());
            }
        }
        String debugId = null;
        if (buildId != null) {
            debugId = DebugIds.elf(buildId);
        } else {
            Section text = find(sections, nameTable, SHT_PROGBITS, ".text");
            if (text == null) {
                text = find(sections, nameTable, SHT_PROGBITS, "text");
            }
            if (text != null && text.size() > 0) {
                debugId = DebugIds.elf(textHash(text));
            }
        }
        String hex = buildId == null ? null : Hex.bytes(buildId);
        return new BuildIdentity(debugId, hex, hex, loadedSizes(segments), "loaded size (the span of its PT_LOAD"
                + " segments)");
    }

    /** The section of this type and name, or null (or when the names cannot be read). */
    private static Section find(List<Section> sections, byte[] nameTable, long type, String name) {
        if (nameTable == null) {
            return null;
        }
        byte[] want = name.getBytes(StandardCharsets.US_ASCII);
        for (Section s : sections) {
            long at = s.name();
            if (s.type() != type || at < 0 || at + want.length >= nameTable.length) {
                continue;
            }
            if (nameTable[(int) at + want.length] == 0
                    && Arrays.equals(nameTable, (int) at, (int) at + want.length, want, 0, want.length)) {
                return s;
            }
        }
        return null;
    }

    /** The descriptor of the GNU build-id note among the notes at this file range, or null. */
    private byte[] buildId(long offset, long length) throws IOException {
        if (length > MAX_NOTES) {
            return null;
        }
        byte[] notes = bytes(offset, length, "a note section");
        long at = 0;
        while (at + NOTE_HEADER <= notes.length) {
            ElfSymbols.NoteHeader n = FileRange.parse(source, notes, at, offset + at, "an ELF note", "an ELF note",
                    ElfSymbols.NoteHeader::new);
            long name = at + NOTE_HEADER;
            long desc = name + align4(n.lenName());
            long next = desc + align4(n.lenDesc());
            if (next > notes.length) {
                return null; // a note running past its section: damage, no id
            }
            if (n.type() == NT_GNU_BUILD_ID && n.lenName() == 4 && n.lenDesc() > 0
                    && Arrays.equals(notes, (int) name, (int) name + 4, new byte[] {'G', 'N', 'U', 0}, 0, 4)) {
                return Arrays.copyOfRange(notes, (int) desc, (int) (desc + n.lenDesc()));
            }
            at = next;
        }
        return null;
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }

    /**
     * Breakpad's identifier for a file without a build id: the first 4 KiB of {@code .text} XORed together in
     * 16-byte strides. Its writer reads whole strides, so a shorter section's last stride runs on into the bytes
     * after it (zeros past the end of the file).
     */
    private byte[] textHash(Section text) throws IOException {
        long hashed = Math.min(text.size(), TEXT_HASHED);
        long strides = (hashed + GUID - 1) / GUID;
        long available = Math.max(0, Math.min(strides * GUID, fileSize - text.offset()));
        byte[] bytes = Arrays.copyOf(bytes(text.offset(), available, ".text"), (int) (strides * GUID));
        byte[] id = new byte[GUID];
        for (int at = 0; at < bytes.length; at += GUID) {
            for (int i = 0; i < GUID; i++) {
                id[i] ^= bytes[at + i];
            }
        }
        return id;
    }

    /** The span of the PT_LOAD segments, exact and rounded out to pages; empty without any. */
    private static List<Long> loadedSizes(List<Segment> segments) {
        long lo = -1;
        long hi = 0;
        for (Segment s : segments) {
            if (s.type() == PT_LOAD) {
                lo = lo == -1 || Long.compareUnsigned(s.vaddr(), lo) < 0 ? s.vaddr() : lo;
                long end = s.vaddr() + s.memSize();
                hi = Long.compareUnsigned(end, hi) > 0 ? end : hi;
            }
        }
        if (lo == -1 || Long.compareUnsigned(hi, lo) <= 0) {
            return List.of();
        }
        List<Long> sizes = new ArrayList<>(2);
        sizes.add(hi - lo);
        long paged = ((hi + PAGE - 1) & -PAGE) - (lo & -PAGE);
        if (paged != hi - lo) {
            sizes.add(paged);
        }
        return sizes;
    }

    private byte[] bytes(long offset, long length, String what) throws IOException {
        return FileRange.read(ch, source, offset, length, fileSize, what);
    }
}
