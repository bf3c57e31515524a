package org.leakscope.symbols.pdb;

import io.kaitai.struct.ByteBufferKaitaiStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Stream 3, the DBI stream: the machine, the age Breakpad's debug id uses, the module list, section
 * contributions, the section map, and the optional debug header's stream numbers (section headers, OMAP, FPO).
 * The substream sizes in the header are checked to add up inside the stream before any is read; module records
 * are checked against their substream, and every stream number they give is checked against the directory.
 */
public final class DbiStream {
    static final int STREAM = 3;
    static final int HEADER = 64;
    private static final int MODULE_FIXED = 64;
    private static final int CONTRIBUTION = 28;
    private static final long CONTRIBUTIONS_V60 = 0xeffe0000L + 19970605;
    private static final long CONTRIBUTIONS_V2 = 0xeffe0000L + 20140516;
    private static final int NO_STREAM = 0xFFFF;
    private static final int MAX_NAME = 4096;

    /** Indices into the optional debug header, which is an array of u16 stream numbers. */
    public static final int DBG_FPO = 0;
    public static final int DBG_OMAP_TO_SOURCE = 3;
    public static final int DBG_OMAP_FROM_SOURCE = 4;
    public static final int DBG_SECTION_HEADERS = 5;
    public static final int DBG_NEW_FPO = 9;
    public static final int DBG_ORIGINAL_SECTION_HEADERS = 10;

    private final MsfFile msf;
    private final MsfStream stream;
    private final PdbMsf.DbiHeader header;
    private final long modulesAt;
    private final long contributionsAt;
    private final long sectionMapAt;
    private final long fileInfoAt;
    private final long debugHeaderAt;
    private final List<PdbModule> modules;
    private final int[] debugStreams;

    private DbiStream(MsfFile msf) {
        this.msf = msf;
        if (!msf.hasStream(STREAM)) {
            throw org.leakscope.model.InputFormatException.atOffset(msf.source(), 0, "a DBI stream (stream 3)",
                    "none");
        }
        stream = msf.stream(STREAM);
        stream.check(0, HEADER, "the DBI header");
        try {
            header = new PdbMsf.DbiHeader(new ByteBufferKaitaiStream(stream.bytes(0, HEADER)));
        } catch (io.kaitai.struct.KaitaiStream.ValidationFailedError e) {
            throw stream.error(0, "the DBI signature 0xFFFFFFFF", Long.toHexString(stream.u32(0)));
        }
        long[] lens = {header.lenModuleInfo(), header.lenSectionContributions(), header.lenSectionMap(),
            header.lenFileInfo(), header.lenTypeServerMap(), header.lenEc(), header.lenOptionalDebugHeader()};
        long[] fieldAt = {24, 28, 32, 36, 40, 52, 48};
        long at = HEADER;
        long[] starts = new long[lens.length];
        for (int i = 0; i < lens.length; i++) {
            if (lens[i] < 0 || lens[i] > stream.size() - at) {
                throw stream.error(fieldAt[i],
                        "a substream size that fits the " + stream.size() + "-byte DBI stream", Long.toString(lens[i]));
            }
            starts[i] = at;
            at += lens[i];
        }
        modulesAt = starts[0];
        contributionsAt = starts[1];
        sectionMapAt = starts[2];
        fileInfoAt = starts[3];
        debugHeaderAt = starts[6];
        modules = readModules(lens[0]);
        int n = (int) (lens[6] / 2);
        debugStreams = new int[Math.max(n, DBG_ORIGINAL_SECTION_HEADERS + 1)];
        java.util.Arrays.fill(debugStreams, -1);
        for (int i = 0; i < n; i++) {
            int s = stream.u16(debugHeaderAt + 2L * i);
            debugStreams[i] = s == NO_STREAM || !msf.hasStream(s) ? -1 : s;
        }
    }

    /** Reads the DBI stream's header, module list and optional debug header. */
    public static DbiStream read(MsfFile msf) {
        return new DbiStream(msf);
    }

    private List<PdbModule> readModules(long len) {
        List<PdbModule> out = new ArrayList<>();
        MsfStream.Cursor c = stream.cursor(modulesAt, modulesAt + len);
        while (c.remaining() >= MODULE_FIXED) {
            long at = c.position();
            PdbMsf.ModuleInfo m = new PdbMsf.ModuleInfo(new ByteBufferKaitaiStream(c.bytes(MODULE_FIXED)));
            String name = c.cstring(MAX_NAME);
            String object = c.cstring(MAX_NAME);
            c.align(4);
            int s = m.symbolStream();
            int symbolStream = s == NO_STREAM ? -1 : s;
            long symbols = m.lenSymbols();
            long c11 = m.lenC11Lines();
            long c13 = m.lenC13Lines();
            if (symbolStream >= 0) {
                if (!msf.hasStream(symbolStream)) {
                    throw stream.error(at + 34, "module " + out.size() + "'s symbol stream number below "
                            + msf.streamCount(), Integer.toString(symbolStream));
                }
                long size = msf.streamSize(symbolStream);
                if (symbols > size || c11 > size - symbols || c13 > size - symbols - c11) {
                    throw stream.error(at + 36, "module " + out.size() + "'s symbol and line sizes inside its "
                            + size + "-byte stream " + symbolStream, symbols + " + " + c11 + " + " + c13);
                }
            }
            out.add(new PdbModule(out.size(), name, object, symbolStream, symbols, c11, c13));
        }
        return List.copyOf(out);
    }

    /** The DBI stream, for readers of its other substreams. */
    MsfStream stream() {
        return stream;
    }

    /** IMAGE_FILE_MACHINE_* of the binary: 0x14c x86, 0x8664 x86-64. */
    public int machine() {
        return header.machine();
    }

    /** The age the binary's CodeView record holds. */
    public long age() {
        return header.age();
    }

    /** The stream of the global and public symbol records, or -1. */
    public int symbolRecordStream() {
        int s = header.symbolRecordStream();
        return s == NO_STREAM || !msf.hasStream(s) ? -1 : s;
    }

    /** The publics hash stream, or -1. */
    public int publicStream() {
        int s = header.publicStream();
        return s == NO_STREAM || !msf.hasStream(s) ? -1 : s;
    }

    public List<PdbModule> modules() {
        return modules;
    }

    /**
     * A stream number from the optional debug header ({@link #DBG_FPO}, {@link #DBG_NEW_FPO},
     * {@link #DBG_SECTION_HEADERS}, ...), or -1 when absent.
     */
    public int debugStream(int which) {
        return which < 0 || which >= debugStreams.length ? -1 : debugStreams[which];
    }

    /**
     * The section contributions: which module holds which piece of which section. Entries of the V2 layout
     * carry a trailing COFF section number, skipped.
     */
    public List<SectionContribution> sectionContributions() {
        long len = header.lenSectionContributions();
        if (len < 4) {
            return List.of();
        }
        long version = stream.u32(contributionsAt);
        int size = version == CONTRIBUTIONS_V2 ? CONTRIBUTION + 4 : CONTRIBUTION;
        if (version != CONTRIBUTIONS_V60 && version != CONTRIBUTIONS_V2) {
            throw stream.error(contributionsAt, "section contributions version 0x"
                    + Long.toHexString(CONTRIBUTIONS_V60) + " or 0x" + Long.toHexString(CONTRIBUTIONS_V2),
                    "0x" + Long.toHexString(version));
        }
        List<SectionContribution> out = new ArrayList<>();
        for (long at = contributionsAt + 4; at + size <= contributionsAt + len; at += size) {
            PdbMsf.SectionContribution e = new PdbMsf.SectionContribution(
                    new ByteBufferKaitaiStream(stream.bytes(at, CONTRIBUTION)));
            out.add(new SectionContribution(e.section(), e.offset() & 0xFFFF_FFFFL, e.size() & 0xFFFF_FFFFL,
                    e.characteristics(), e.moduleIndex()));
        }
        return out;
    }

    /** How many entries the section map holds (its segment descriptors are not needed for RVAs). */
    public int sectionMapCount() {
        return header.lenSectionMap() >= 4 ? stream.u16(sectionMapAt) : 0;
    }

    /** Where the file info substream starts, and how long it is. */
    long fileInfoAt() {
        return fileInfoAt;
    }

    long fileInfoLength() {
        return header.lenFileInfo();
    }

    /**
     * A piece of a section a module contributed.
     *
     * @param section         1-based section number
     * @param offset          offset in the section
     * @param size            bytes
     * @param characteristics the section's IMAGE_SCN_* flags
     * @param module          the contributing module's index
     */
    public record SectionContribution(int section, long offset, long size, long characteristics, int module) {
    }
}
