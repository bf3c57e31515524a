package org.leakscope.symbols;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small PE images for tests, straight from the PE/COFF specification's tables with a ByteBuffer (none
 * of the production parsing code): a DOS header, PE32 or PE32+ headers, sections, a COFF symbol table with
 * its string table, an export directory in its own {@code .edata} section, and a debug directory with one
 * CodeView record in its own {@code .buildid} section (as mingw-w64's {@code --build-id} places it). Layout:
 * headers in the first 0x400 bytes, section data at 0x200-aligned file offsets, the symbol table after the last
 * section.
 *
 * <p>Offsets a malformed test may want to damage are exposed: {@link #PE_AT} and {@link #symbolTableAt()}.
 */
final class PeImageBuilder {
    static final int PE_AT = 0x80;
    static final int MACHINE_AMD64 = 0x8664;
    static final int MACHINE_I386 = 0x14c;
    static final int CODE = 0x6000_0020; // CNT_CODE | MEM_EXECUTE | MEM_READ
    static final int DATA = 0xC000_0040; // CNT_INITIALIZED_DATA | MEM_READ | MEM_WRITE

    private record Section(String name, int rva, int virtualSize, int rawSize, int characteristics) {
    }

    private record Symbol(String name, int value, int section, int type, int storageClass, byte[][] aux) {
    }

    private record Export(String name, int rva) {
    }

    private final boolean pe32Plus;
    private final int machine;
    private final long imageBase;
    private final List<Section> sections = new ArrayList<>();
    private final List<Symbol> symbols = new ArrayList<>();
    private final List<Export> exports = new ArrayList<>();
    private final List<String[]> forwarders = new ArrayList<>();
    private boolean symbolTable;
    private int symbolTableAt;
    private byte[] codeView;

    private PeImageBuilder(boolean pe32Plus, int machine, long imageBase) {
        this.pe32Plus = pe32Plus;
        this.machine = machine;
        this.imageBase = imageBase;
    }

    static PeImageBuilder pe32Plus() {
        return pe32Plus(MACHINE_AMD64);
    }

    static PeImageBuilder pe32Plus(int machine) {
        return new PeImageBuilder(true, machine, 0x1_4000_0000L);
    }

    static PeImageBuilder pe32(int machine) {
        return new PeImageBuilder(false, machine, 0x1000_0000L);
    }

    /** A section of {@code size} bytes (virtual and raw) at {@code rva}, filled with 0xCC. */
    PeImageBuilder section(String name, int rva, int size, int characteristics) {
        sections.add(new Section(name, rva, size, size, characteristics));
        return this;
    }

    /** A section whose VirtualSize is 0 (some linkers), so only SizeOfRawData tells its size. */
    PeImageBuilder sectionWithoutVirtualSize(String name, int rva, int size, int characteristics) {
        sections.add(new Section(name, rva, 0, size, characteristics));
        return this;
    }

    /** A function symbol: type 0x20, class 2 (external) or 3 (static), value relative to its section. */
    PeImageBuilder function(String name, int section, int value, boolean external) {
        return symbol(name, value, section, 0x20, external ? 2 : 3);
    }

    /** Any symbol record, with aux records following it. */
    PeImageBuilder symbol(String name, int value, int section, int type, int storageClass, byte[]... aux) {
        symbols.add(new Symbol(name, value, section, type, storageClass, aux));
        symbolTable = true;
        return this;
    }

    /** Writes a COFF symbol table even when it has no records (PointerToSymbolTable set, NumberOfSymbols 0). */
    PeImageBuilder emptySymbolTable() {
        symbolTable = true;
        return this;
    }

    PeImageBuilder export(String name, int rva) {
        exports.add(new Export(name, rva));
        return this;
    }

    /** An export that forwards to another DLL ("NTDLL.RtlAllocateHeap"). */
    PeImageBuilder forwarder(String name, String target) {
        forwarders.add(new String[] {name, target});
        return this;
    }

    /** A CodeView RSDS record: the GUID's 16 bytes as stored, the age, a PDB path. */
    PeImageBuilder rsds(byte[] guid, int age) {
        ByteBuffer b = le(24 + 6).put("RSDS".getBytes(StandardCharsets.US_ASCII)).put(guid).putInt(age);
        b.put("x.pdb\0".getBytes(StandardCharsets.US_ASCII));
        codeView = b.array();
        return this;
    }

    /** A CodeView NB10 record: offset 0, the signature, the age, a PDB path. */
    PeImageBuilder nb10(int signature, int age) {
        ByteBuffer b = le(16 + 6).put("NB10".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(signature).putInt(age);
        b.put("x.pdb\0".getBytes(StandardCharsets.US_ASCII));
        codeView = b.array();
        return this;
    }

    /** The RVA of the .buildid section: the debug directory's one entry, then the CodeView record. */
    int debugDirectoryRva() {
        int top = 0x1000;
        for (Section s : sections) {
            top = Math.max(top, s.rva() + Math.max(s.virtualSize(), s.rawSize()));
        }
        return align(top, 0x1000);
    }

    /** SizeOfImage: the end of the last section in memory, section-aligned (call after {@link #build()}). */
    int imageSize() {
        int top = 0x1000;
        for (Section s : sections) {
            top = Math.max(top, s.rva() + Math.max(s.virtualSize(), s.rawSize()));
        }
        if (codeView != null) {
            top = debugDirectoryRva() + 0x1000; // .buildid, one page
        }
        if (!exports.isEmpty() || !forwarders.isEmpty()) {
            top = align(top, 0x1000) + 0x1000; // .edata, one page in these tests
        }
        return align(top, 0x1000);
    }

    /** File offset of the COFF symbol table in the last {@link #build()} (0 when none). */
    int symbolTableAt() {
        return symbolTableAt;
    }

    /**
     * An aux record that, read as a symbol by mistake, would be a function "AUXTRAP" at value 0 of section 1:
     * a reader that does not skip aux records names the wrong function.
     */
    static byte[] trapAux() {
        ByteBuffer b = le(18);
        b.put("AUXTRAP".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        b.putInt(0).putShort((short) 1).putShort((short) 0x20).put((byte) 2).put((byte) 0);
        return b.array();
    }

    byte[] build() {
        List<Section> all = new ArrayList<>(sections);
        byte[] debug = null;
        int debugRva = debugDirectoryRva();
        if (codeView != null) {
            // IMAGE_DEBUG_DIRECTORY: Characteristics, TimeDateStamp, versions, Type 2 (CODEVIEW), SizeOfData,
            // AddressOfRawData, PointerToRawData (patched below, once the file layout is known)
            ByteBuffer d = le(28 + codeView.length);
            d.putInt(0).putInt(0x5f000000).putInt(0).putInt(2).putInt(codeView.length).putInt(debugRva + 28).putInt(0);
            d.put(codeView);
            debug = d.array();
            all.add(new Section(".buildid", debugRva, debug.length, debug.length, 0x4000_0040));
        }
        byte[] edata = null;
        int edataRva = 0;
        if (!exports.isEmpty() || !forwarders.isEmpty()) {
            int top = 0x1000;
            for (Section s : all) {
                top = Math.max(top, s.rva() + Math.max(s.virtualSize(), s.rawSize()));
            }
            edataRva = (top + 0xfff) & ~0xfff;
            edata = exportData(edataRva);
            all.add(new Section(".edata", edataRva, edata.length, edata.length, 0x4000_0040));
        }
        int optSize = (pe32Plus ? 112 : 96) + 16 * 8;
        int headersEnd = PE_AT + 24 + optSize + all.size() * 40;
        int fileAt = align(Math.max(headersEnd, 0x400), 0x200);
        int[] rawAt = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            rawAt[i] = fileAt;
            fileAt = align(fileAt + all.get(i).rawSize(), 0x200);
        }
        // the symbol table, then the string table (its u4 length counts itself)
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        strings.writeBytes(new byte[4]);
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        int records = 0;
        for (Symbol s : symbols) {
            ByteBuffer b = le(18);
            byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
            if (name.length <= 8) {
                b.put(name);
                b.position(8);
            } else {
                b.putInt(0).putInt(strings.size());
                strings.writeBytes(name);
                strings.write(0);
            }
            b.putInt(s.value()).putShort((short) s.section()).putShort((short) s.type()).put((byte) s.storageClass())
                    .put((byte) s.aux().length);
            table.writeBytes(b.array());
            records++;
            for (byte[] aux : s.aux()) {
                table.writeBytes(aux);
                records++;
            }
        }
        byte[] str = strings.toByteArray();
        ByteBuffer.wrap(str).order(ByteOrder.LITTLE_ENDIAN).putInt(0, str.length);
        symbolTableAt = symbolTable ? fileAt : 0;
        int total = fileAt + (symbolTable ? table.size() + str.length : 0);

        ByteBuffer f = le(total);
        // MS-DOS header: only e_magic and e_lfanew matter
        f.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3c, PE_AT);
        f.position(PE_AT);
        f.put((byte) 'P').put((byte) 'E').put((byte) 0).put((byte) 0);
        f.putShort((short) machine).putShort((short) all.size()).putInt(0x5f000000)
                .putInt(symbolTableAt).putInt(symbolTable ? records : 0).putShort((short) optSize)
                .putShort((short) 0x22);
        int optAt = f.position();
        f.putShort((short) (pe32Plus ? 0x20b : 0x10b)).put((byte) 2).put((byte) 40);
        f.putInt(0).putInt(0).putInt(0).putInt(0x1000).putInt(0x1000); // code/data sizes, entry, BaseOfCode
        if (pe32Plus) {
            f.putLong(imageBase);
        } else {
            f.putInt(0x2000).putInt((int) imageBase); // BaseOfData, ImageBase
        }
        f.putInt(0x1000).putInt(0x200); // alignments
        f.putShort((short) 6).putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 6)
                .putShort((short) 0);
        f.putInt(0).putInt(imageSize()).putInt(0x400).putInt(0).putShort((short) 3).putShort((short) 0);
        for (int i = 0; i < 4; i++) {
            if (pe32Plus) {
                f.putLong(0x100000);
            } else {
                f.putInt(0x100000);
            }
        }
        f.putInt(0).putInt(16);
        if (edata != null) {
            f.putInt(edataRva).putInt(edata.length);
        } else {
            f.putInt(0).putInt(0);
        }
        if (debug != null) {
            f.putInt(optAt + (pe32Plus ? 112 : 96) + 6 * 8, debugRva).putInt(optAt + (pe32Plus ? 112 : 96) + 6 * 8 + 4, 28);
        }
        f.position(optAt + optSize);
        for (int i = 0; i < all.size(); i++) {
            Section s = all.get(i);
            byte[] name = new byte[8];
            byte[] n = s.name().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(n, 0, name, 0, Math.min(8, n.length));
            f.put(name).putInt(s.virtualSize()).putInt(s.rva()).putInt(s.rawSize()).putInt(rawAt[i]).putInt(0)
                    .putInt(0).putShort((short) 0).putShort((short) 0).putInt(s.characteristics());
        }
        for (int i = 0; i < all.size(); i++) {
            if (edata != null && i == all.size() - 1) {
                f.put(rawAt[i], edata);
            } else if (debug != null && all.get(i).rva() == debugRva) {
                f.put(rawAt[i], debug);
                f.putInt(rawAt[i] + 24, rawAt[i] + 28); // PointerToRawData: the record right after the entry
            } else {
                for (int k = 0; k < all.get(i).rawSize(); k++) {
                    f.put(rawAt[i] + k, (byte) 0xcc);
                }
            }
        }
        if (symbolTable) {
            f.put(symbolTableAt, table.toByteArray());
            f.put(symbolTableAt + table.size(), str);
        }
        return f.array();
    }

    /** The .edata section: directory, address table, name pointers, ordinals, then the strings. */
    private byte[] exportData(int rva) {
        List<String> names = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        List<String> forwardTo = new ArrayList<>();
        for (Export e : exports) {
            names.add(e.name());
            targets.add(e.rva());
            forwardTo.add(null);
        }
        for (String[] fw : forwarders) {
            names.add(fw[0]);
            targets.add(0);
            forwardTo.add(fw[1]);
        }
        // the name pointer table is sorted by name (the loader binary-searches it); the ordinals follow the sort
        List<Integer> byName = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            byName.add(i);
        }
        byName.sort((a, b) -> names.get(a).compareTo(names.get(b)));
        int n = names.size();
        int eat = 40;
        int npt = eat + 4 * n;
        int ot = npt + 4 * n;
        int strAt = ot + 2 * n;
        ByteArrayOutputStream strs = new ByteArrayOutputStream();
        int dllName = strAt + strs.size();
        strs.writeBytes("test.dll\0".getBytes(StandardCharsets.US_ASCII));
        int[] nameRva = new int[n];
        int[] forwardRva = new int[n];
        for (int i = 0; i < n; i++) {
            nameRva[i] = rva + strAt + strs.size();
            strs.writeBytes((names.get(i) + "\0").getBytes(StandardCharsets.US_ASCII));
            if (forwardTo.get(i) != null) {
                forwardRva[i] = rva + strAt + strs.size();
                strs.writeBytes((forwardTo.get(i) + "\0").getBytes(StandardCharsets.US_ASCII));
            }
        }
        ByteBuffer b = le(strAt + strs.size());
        b.putInt(0).putInt(0).putInt(0).putInt(rva + dllName).putInt(1).putInt(n).putInt(n).putInt(rva + eat)
                .putInt(rva + npt).putInt(rva + ot);
        for (int i = 0; i < n; i++) {
            b.putInt(eat + 4 * i, forwardTo.get(i) != null ? forwardRva[i] : targets.get(i));
        }
        for (int k = 0; k < n; k++) {
            int i = byName.get(k);
            b.putInt(npt + 4 * k, nameRva[i]);
            b.putShort(ot + 2 * k, (short) i);
        }
        b.put(strAt, strs.toByteArray());
        return b.array();
    }

    private static int align(int v, int a) {
        return (v + a - 1) & -a;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
