package org.leakscope.symbols.dwarf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a small ELF file with DWARF 5 written by hand, independent of the reader's code: the forms gcc does not
 * emit but clang and others do ({@code strx1/strx2/strx}, {@code addrx/addrx1}, {@code rnglistx},
 * {@code implicit_const}, {@code data16}, {@code ref_sig8}), either byte order, 32- or 64-bit ELF, 32- or 64-bit
 * DWARF (the unit's comp_dir is a {@code strx3}). Its content, in C++ terms:
 *
 * <pre>
 * /src/synth.cpp, code at 0x1000..0x1100
 * namespace ns { void run(); }      // 0x1010..0x1040, linkage name _ZN2ns3runEv
 *   helper() inlined into it at 0x1018..0x1020, called from /src/inc.h line 12
 * split()                           // two ranges: 0x1050..0x1060 and 0x1080..0x1090
 * line rows: 0x0 line 99 to 0x1200 (a sequence of code the linker dropped),
 *            0x1000 line 1, 0x1010 line 10, 0x1018 line 20 (inc.h), 0x1020 line 11, 0x1050 line 30,
 *            0x1080 line 31, end 0x1100
 * </pre>
 * Tests damage the parts through the public fields before {@link #elf()} lays the file out.
 */
final class SyntheticDwarf {
    final boolean bigEndian;
    final boolean elf64;
    final boolean dwarf64;
    byte[] info;
    byte[] abbrev;
    byte[] line;
    byte[] str;
    byte[] lineStr;
    byte[] strOffsets;
    byte[] addr;
    byte[] rnglists;
    /** Offsets inside {@link #info} tests patch: the inlined subroutine's abstract_origin (4 bytes). */
    int originAt;
    /** The helper subprogram's DIE offset, and the run subprogram's. */
    int helperDie;
    int runDie;
    /** Where the line program's opcodes start, and where it ends. */
    int programAt;

    SyntheticDwarf(boolean bigEndian, boolean elf64, boolean dwarf64) {
        this.bigEndian = bigEndian;
        this.elf64 = elf64;
        this.dwarf64 = dwarf64;
        build();
    }

    /** A little writer in the chosen byte order. */
    final class Out {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Out u8(int v) {
            b.write(v);
            return this;
        }

        Out n(long v, int size) {
            for (int i = 0; i < size; i++) {
                int shift = bigEndian ? (size - 1 - i) * 8 : i * 8;
                b.write((int) (v >>> shift));
            }
            return this;
        }

        Out u16(long v) {
            return n(v, 2);
        }

        Out u32(long v) {
            return n(v, 4);
        }

        Out u64(long v) {
            return n(v, 8);
        }

        Out off(long v) {
            return n(v, dwarf64 ? 8 : 4);
        }

        Out uleb(long v) {
            do {
                int x = (int) (v & 0x7f);
                v >>>= 7;
                b.write(v != 0 ? x | 0x80 : x);
            } while (v != 0);
            return this;
        }

        Out sleb(long v) {
            while (true) {
                int x = (int) (v & 0x7f);
                v >>= 7;
                boolean done = (v == 0 && (x & 0x40) == 0) || (v == -1 && (x & 0x40) != 0);
                b.write(done ? x : x | 0x80);
                if (done) {
                    return this;
                }
            }
        }

        Out str(String s) {
            b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
            return this;
        }

        Out raw(byte[] bytes) {
            b.writeBytes(bytes);
            return this;
        }

        int size() {
            return b.size();
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }

    /** A unit: its initial length field (32- or 64-bit DWARF) and then {@code body}. */
    private byte[] unit(byte[] body) {
        Out o = new Out();
        if (dwarf64) {
            o.u32(0xffffffffL).u64(body.length);
        } else {
            o.u32(body.length);
        }
        return o.raw(body).bytes();
    }

    private int lengthField() {
        return dwarf64 ? 12 : 4;
    }

    private void build() {
        // strings: 0 synth.cpp, 1 /src, 2 ns, 3 run, 4 _ZN2ns3runEv, 5 helper, 6 split
        String[] names = {"synth.cpp", "/src", "ns", "run", "_ZN2ns3runEv", "helper", "split"};
        Out s = new Out();
        List<Integer> stringOffsets = new ArrayList<>();
        for (String n : names) {
            stringOffsets.add(s.size());
            s.str(n);
        }
        str = s.bytes();
        Out so = new Out().u16(5).u16(0);
        for (int o : stringOffsets) {
            so.off(o);
        }
        strOffsets = unit(so.bytes());
        int strOffsetsBase = lengthField() + 4;
        addr = unit(new Out().u16(5).u8(8).u8(0).u64(0x1000).u64(0x1010).bytes());
        int addrBase = lengthField() + 4;
        // range lists: 0 -> [0x1018, 0x1020) as an offset pair from the unit's base 0x1000;
        //              1 -> start_length 0x1050+0x10, then base_address 0x1080 and offset pair 0..0x10
        Out lists = new Out();
        int list0 = 0;
        lists.u8(4).uleb(0x18).uleb(0x20).u8(0);
        int list1 = lists.size();
        lists.u8(7).u64(0x1050).uleb(0x10).u8(5).u64(0x1080).u8(4).uleb(0).uleb(0x10).u8(0);
        int offsetSize = dwarf64 ? 8 : 4;
        Out rl = new Out().u16(5).u8(8).u8(0).u32(2);
        rl.off(2L * offsetSize + list0).off(2L * offsetSize + list1).raw(lists.bytes());
        rnglists = unit(rl.bytes());
        int rnglistsBase = lengthField() + 8;

        Out ab = new Out();
        // 1 compile_unit
        ab.uleb(1).uleb(0x11).u8(1);
        ab.uleb(0x03).uleb(Forms.STRX1).uleb(0x1b).uleb(Forms.STRX3).uleb(0x10).uleb(Forms.SEC_OFFSET);
        ab.uleb(0x72).uleb(Forms.SEC_OFFSET).uleb(0x73).uleb(Forms.SEC_OFFSET).uleb(0x74).uleb(Forms.SEC_OFFSET);
        ab.uleb(0x11).uleb(Forms.ADDRX).uleb(0x12).uleb(Forms.DATA4);
        ab.uleb(0x2137).uleb(Forms.DATA16).uleb(0x49).uleb(Forms.REF_SIG8).uleb(0).uleb(0);
        // 2 namespace
        ab.uleb(2).uleb(0x39).u8(1).uleb(0x03).uleb(Forms.STRX2).uleb(0).uleb(0);
        // 3 subprogram with code
        ab.uleb(3).uleb(0x2e).u8(1).uleb(0x03).uleb(Forms.STRX).uleb(0x6e).uleb(Forms.STRX1);
        ab.uleb(0x11).uleb(Forms.ADDRX1).uleb(0x12).uleb(Forms.DATA2).uleb(0x3b).uleb(Forms.IMPLICIT_CONST).sleb(7);
        ab.uleb(0).uleb(0);
        // 4 abstract subprogram
        ab.uleb(4).uleb(0x2e).u8(0).uleb(0x03).uleb(Forms.STRX1).uleb(0x20).uleb(Forms.IMPLICIT_CONST).sleb(1);
        ab.uleb(0).uleb(0);
        // 5 inlined_subroutine
        ab.uleb(5).uleb(0x1d).u8(0).uleb(0x31).uleb(Forms.REF4).uleb(0x55).uleb(Forms.RNGLISTX);
        ab.uleb(0x58).uleb(Forms.DATA1).uleb(0x59).uleb(Forms.UDATA).uleb(0).uleb(0);
        // 6 subprogram with a range list
        ab.uleb(6).uleb(0x2e).u8(0).uleb(0x03).uleb(Forms.STRX1).uleb(0x55).uleb(Forms.RNGLISTX);
        ab.uleb(0).uleb(0);
        ab.uleb(0);
        abbrev = ab.bytes();

        int header = lengthField() + 2 + 1 + 1 + offsetSize; // version, unit type, address size, abbrev offset
        Out d = new Out();
        d.uleb(1).u8(0).n(1, 3).off(0).off(strOffsetsBase).off(addrBase).off(rnglistsBase).uleb(0).u32(0x100);
        d.raw(new byte[16]).u64(0x1234_5678_9abc_def0L); // data16 and ref_sig8: skipped by their sizes
        d.uleb(2).u16(2);
        runDie = header + d.size();
        d.uleb(3).uleb(3).u8(4).u8(1).u16(0x30);
        int inlinedDie = header + d.size();
        d.uleb(5);
        originAt = header + d.size();
        d.u32(0); // patched below: helper's offset
        d.uleb(0).u8(1).uleb(12);
        d.u8(0); // end of run's children
        d.u8(0); // end of ns's children
        helperDie = header + d.size();
        d.uleb(4).u8(5);
        d.uleb(6).u8(6).uleb(1);
        d.u8(0); // end of the unit's children
        byte[] body = d.bytes();
        Out h = new Out().u16(5).u8(1).u8(8).off(0);
        byte[] unit = unit(new Out().raw(h.bytes()).raw(body).bytes());
        info = unit;
        patch(info, originAt, helperDie, 4);
        assert inlinedDie > 0;

        lineStr = new Out().str("/src").bytes();
        Out lp = new Out();
        // min instruction length, max ops, default is_stmt, line base, line range, opcode base
        lp.u8(1).u8(1).u8(1).u8(-5 & 0xff).u8(14).u8(13);
        for (int len : new int[] {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1}) {
            lp.u8(len);
        }
        lp.u8(1).uleb(1).uleb(Forms.LINE_STRP).uleb(1).off(0); // directories: /src
        lp.u8(3).uleb(1).uleb(Forms.STRING).uleb(2).uleb(Forms.UDATA).uleb(5).uleb(Forms.DATA16);
        lp.uleb(2).str("synth.cpp").uleb(0).raw(new byte[16]).str("inc.h").uleb(0).raw(new byte[16]);
        byte[] hdr = lp.bytes();
        Out prog = new Out();
        // a sequence of dropped code: relocated to address 0, running over the real code's addresses
        prog.u8(0).uleb(9).u8(2).u64(0).u8(3).sleb(98).u8(1).u8(2).uleb(0x1200).u8(0).uleb(1).u8(1);
        prog.u8(0).uleb(9).u8(2).u64(0x1000); // DW_LNE_set_address
        prog.u8(4).uleb(0).u8(1); // file 0 (synth.cpp), copy: 0x1000 line 1
        prog.u8(2).uleb(0x10).u8(3).sleb(9).u8(1); // 0x1010 line 10
        prog.u8(2).uleb(8).u8(4).uleb(1).u8(3).sleb(10).u8(1); // 0x1018 inc.h line 20
        prog.u8(2).uleb(8).u8(4).uleb(0).u8(3).sleb(-9).u8(1); // 0x1020 line 11
        prog.u8(0).uleb(2).u8(4).uleb(3); // DW_LNE_set_discriminator
        prog.u8(2).uleb(0x30).u8(3).sleb(19).u8(1); // 0x1050 line 30
        prog.u8(2).uleb(0x30).u8(3).sleb(1).u8(1); // 0x1080 line 31
        prog.u8(2).uleb(0x80).u8(0).uleb(1).u8(1); // 0x1100 end_sequence
        byte[] program = prog.bytes();
        Out lh = new Out().u16(5).u8(8).u8(0).off(hdr.length).raw(hdr);
        programAt = lengthField() + lh.size();
        line = unit(new Out().raw(lh.bytes()).raw(program).bytes());
    }

    void patch(byte[] b, int at, long v, int size) {
        for (int i = 0; i < size; i++) {
            int shift = bigEndian ? (size - 1 - i) * 8 : i * 8;
            b[at + i] = (byte) (v >>> shift);
        }
    }

    /** The ELF file: header, a .text section at 0x1000, the debug sections, names, section headers. */
    byte[] elf() {
        Map<String, byte[]> sections = new LinkedHashMap<>();
        sections.put(".text", new byte[0x100]);
        sections.put(".debug_info", info);
        sections.put(".debug_abbrev", abbrev);
        sections.put(".debug_line", line);
        sections.put(".debug_str", str);
        sections.put(".debug_line_str", lineStr);
        sections.put(".debug_str_offsets", strOffsets);
        sections.put(".debug_addr", addr);
        sections.put(".debug_rnglists", rnglists);
        Out names = new Out().u8(0);
        Map<String, Integer> nameAt = new LinkedHashMap<>();
        for (String n : sections.keySet()) {
            nameAt.put(n, names.size());
            names.str(n);
        }
        nameAt.put(".shstrtab", names.size());
        names.str(".shstrtab");
        sections.put(".shstrtab", names.bytes());
        int ehsize = elf64 ? 64 : 52;
        Out body = new Out();
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : sections.entrySet()) {
            offsets.put(e.getKey(), ehsize + body.size());
            body.raw(e.getValue());
        }
        while ((ehsize + body.size()) % 8 != 0) {
            body.u8(0);
        }
        long shoff = ehsize + body.size();
        int shnum = sections.size() + 1;
        Out f = new Out();
        f.u8(0x7f).u8('E').u8('L').u8('F').u8(elf64 ? 2 : 1).u8(bigEndian ? 2 : 1).u8(1).u8(0).raw(new byte[8]);
        f.u16(2).u16(elf64 ? 62 : 3).u32(1);
        if (elf64) {
            f.u64(0x1000).u64(0).u64(shoff);
        } else {
            f.u32(0x1000).u32(0).u32(shoff);
        }
        f.u32(0).u16(ehsize).u16(elf64 ? 56 : 32).u16(0).u16(elf64 ? 64 : 40).u16(shnum).u16(shnum - 1);
        f.raw(body.bytes());
        f.raw(new byte[elf64 ? 64 : 40]); // the null section
        for (Map.Entry<String, byte[]> e : sections.entrySet()) {
            boolean text = e.getKey().equals(".text");
            long type = e.getKey().equals(".shstrtab") ? 3 : 1;
            long flags = text ? 0x6 : 0;
            long address = text ? 0x1000 : 0;
            if (elf64) {
                f.u32(nameAt.get(e.getKey())).u32(type).u64(flags).u64(address).u64(offsets.get(e.getKey()))
                        .u64(e.getValue().length).u32(0).u32(0).u64(1).u64(0);
            } else {
                f.u32(nameAt.get(e.getKey())).u32(type).u32(flags).u32(address).u32(offsets.get(e.getKey()))
                        .u32(e.getValue().length).u32(0).u32(0).u32(1).u32(0);
            }
        }
        return f.bytes();
    }
}
