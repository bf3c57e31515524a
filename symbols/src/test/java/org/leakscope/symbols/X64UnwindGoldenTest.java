package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * STACK CFI from an x64 PE's .pdata/.xdata against the .sym mozilla's dump_syms wrote from the same exe,
 * compared as the rules in effect at every address either side covers ({@link EffectiveCfi}); and the PE
 * identity (code id, debug id, PDB name, CPU) against the MODULE and INFO CODE_ID lines of the reference files.
 */
class X64UnwindGoldenTest {
    private static final String EXE = "pdb/moz_dump_syms_regtest64.exe";

    @Test
    void stackCfiAgreesWithMozillaDumpSymsAtEveryAddress() throws Exception {
        List<SymbolData.StackCfi> ours;
        try (X64Unwind u = X64Unwind.open(Required.corpusFile(EXE))) {
            ours = u.stackCfi();
            assertEquals(List.of(), u.problems());
            assertEquals(195, u.functions());
        }
        SymbolData want = SymText.read(Required.corpusFile("pdb/moz_dump_syms_regtest64.sym"));
        TreeMap<Long, Map<String, String>> a = EffectiveCfi.of(ours);
        TreeMap<Long, Map<String, String>> b = EffectiveCfi.of(want.stackCfi());
        int asIs = mismatches(a, b, false);
        TreeMap<Long, Map<String, String>> saturated = new TreeMap<>();
        a.forEach((k, v) -> saturated.put(k, saturate(v)));
        int mismatches = mismatches(saturated, b, true);
        System.out.println("STACK CFI vs moz_dump_syms_regtest64.sym: " + b.size() + " addresses, " + ours.size()
                + " records (reference " + want.stackCfi().size() + "); " + mismatches + " mismatches, " + asIs
                + " addresses where a register saved above the CFA is written .cfa -N - ^ (reference: .cfa 0 - ^)");
        assertEquals(b.size(), a.size(), "addresses covered");
        assertEquals(0, mismatches);
        // the reference's symbolic-cfi subtracted unsigned and saturated at 0 (fixed since: signed math); the
        // rule is right with the sign, so the difference is expected on exactly these addresses
        assertEquals(EXPECTED_SATURATED_ADDRESSES, asIs);
        assertEquals(EXPECTED_SATURATED_RECORDS, ours.stream().filter(r -> r.rules().contains(".cfa -")).count());
        // one concrete record, as the reference spells it: a frame register function
        assertTrue(ours.contains(new SymbolData.StackCfi(0x5e68, 0x2ecL, ".cfa: $rbp 64 + $rbp: .cfa 16 - ^"
                + " $r12: .cfa 24 - ^ $r13: .cfa 32 - ^ $r14: .cfa 40 - ^ $r15: .cfa 48 - ^ $rbx: $rbp 64 + ^"
                + " $rsi: $rbp 72 + ^ $rdi: $rbp 80 + ^ .ra: .cfa 8 - ^")), ours.toString());
    }

    /**
     * With a record at each prolog step, the rules past every prolog are still the reference's, and inside a
     * prolog they are the ones in effect there (0x1180: push rdi at +6, then sub rsp 32 and mov [rsp+48], rbx at
     * +10, per llvm-readobj).
     */
    @Test
    void prologStepsAgreeWithTheReferencePastTheProlog() throws Exception {
        List<SymbolData.StackCfi> steps;
        TreeMap<Long, Long> prologEnd = new TreeMap<>();
        try (X64Unwind u = X64Unwind.open(Required.corpusFile(EXE))) {
            steps = u.stackCfi(true);
            for (int i = 0; i < u.functions(); i++) {
                X64RuntimeFunction f = u.function(i);
                prologEnd.put(f.begin(), f.begin() + u.at(f.begin()).orElseThrow().chain().get(0).prologSize());
            }
        }
        TreeMap<Long, Map<String, String>> a = EffectiveCfi.of(steps);
        TreeMap<Long, Map<String, String>> b = EffectiveCfi.of(SymText.read(
                Required.corpusFile("pdb/moz_dump_syms_regtest64.sym")).stackCfi());
        assertEquals(b.keySet(), a.keySet());
        int inProlog = 0;
        int mismatches = 0;
        for (Map.Entry<Long, Map<String, String>> e : b.entrySet()) {
            if (e.getKey() < prologEnd.floorEntry(e.getKey()).getValue()) {
                inProlog++;
            } else if (!saturate(a.get(e.getKey())).equals(e.getValue())) {
                mismatches++;
            }
        }
        System.out.println("STACK CFI with prolog steps: " + steps.size() + " records; " + inProlog + " prolog"
                + " addresses; " + mismatches + " mismatches with the reference after the prologs");
        assertEquals(0, mismatches);
        Map<String, String> entry = Map.of(".cfa", "$rsp 8 +", ".ra", ".cfa 8 - ^");
        assertEquals(entry, a.get(0x1180L));
        assertEquals(entry, a.get(0x1185L));
        assertEquals(Map.of(".cfa", "$rsp 16 +", "$rdi", ".cfa 16 - ^", ".ra", ".cfa 8 - ^"), a.get(0x1186L));
        assertEquals(Map.of(".cfa", "$rsp 48 +", "$rdi", ".cfa 16 - ^", "$rbx", ".cfa 0 - ^", ".ra", ".cfa 8 - ^"),
                a.get(0x118aL));
        assertTrue(steps.contains(new SymbolData.StackCfi(0x1186, null, ".cfa: $rsp 16 + $rdi: .cfa 16 - ^")));
    }

    /**
     * Breakpad's own dump_syms (through DIA) writes the same CFA and return address but no callee-saved register
     * rules: counted and printed, not asserted (the issue asks to note it).
     */
    @Test
    void breakpadsReferenceOmitsTheCalleeSavedRegisters() throws Exception {
        List<SymbolData.StackCfi> ours;
        try (X64Unwind u = X64Unwind.open(Required.corpusFile(EXE))) {
            ours = u.stackCfi();
        }
        TreeMap<Long, Map<String, String>> a = EffectiveCfi.of(ours);
        TreeMap<Long, Map<String, String>> b = EffectiveCfi.of(SymText.read(
                Required.corpusFile("pdb/bp_dump_syms_regtest64.sym")).stackCfi());
        int cfaAndRa = 0;
        int whole = 0;
        int calleeSavedInBreakpad = 0;
        int shown = 0;
        for (Map.Entry<Long, Map<String, String>> e : b.entrySet()) {
            Map<String, String> ourRules = a.get(e.getKey());
            Map<String, String> theirs = e.getValue();
            if (ourRules == null) {
                continue;
            }
            if (ourRules.equals(theirs)) {
                whole++;
            }
            if (ourRules.get(".cfa").equals(theirs.get(".cfa")) && ourRules.get(".ra").equals(theirs.get(".ra"))) {
                cfaAndRa++;
            } else if (shown++ < 5) {
                System.out.println("  at " + Long.toHexString(e.getKey()) + ": ours " + ourRules + ", Breakpad's "
                        + theirs);
            }
            if (theirs.keySet().stream().anyMatch(k -> k.startsWith("$"))) {
                calleeSavedInBreakpad++;
            }
        }
        System.out.println("STACK CFI vs bp_dump_syms_regtest64.sym: " + b.size() + " addresses (ours " + a.size()
                + "); .cfa and .ra equal at " + cfaAndRa + ", all rules equal at " + whole + "; addresses where"
                + " Breakpad has a callee-saved register rule: " + calleeSavedInBreakpad);
    }

    /**
     * Addresses whose effective rules contain a callee-saved register stored above the CFA: the reference file
     * was written by a symbolic-cfi that computed {@code stackSize - offset} unsigned and saturated at 0. The
     * correct rule is {@code .cfa -N - ^} (the save is in the caller's home space), which current symbolic-cfi
     * writes too. Measured on this exe (and checked by hand against llvm-readobj's listing for 0x11bc: PUSH rdi,
     * ALLOC 48, SAVE_NONVOL rbx at 0x48, so rbx is 8 bytes above the CFA).
     */
    private static final int EXPECTED_SATURATED_ADDRESSES = 26_082;
    private static final int EXPECTED_SATURATED_RECORDS = 61;

    /** The reference's spelling: {@code .cfa -N - ^} (N > 0) of a callee-saved register as {@code .cfa 0 - ^}. */
    private static Map<String, String> saturate(Map<String, String> rules) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        rules.forEach((k, v) -> out.put(k, k.startsWith("$") && v.matches("\\.cfa -\\d+ - \\^") ? ".cfa 0 - ^" : v));
        return out;
    }

    private static int mismatches(TreeMap<Long, Map<String, String>> a, TreeMap<Long, Map<String, String>> b,
            boolean show) {
        int n = 0;
        TreeMap<Long, Boolean> all = new TreeMap<>();
        a.keySet().forEach(k -> all.put(k, true));
        b.keySet().forEach(k -> all.put(k, true));
        for (Long k : all.keySet()) {
            if (!java.util.Objects.equals(a.get(k), b.get(k))) {
                if (show && n < 10) {
                    System.out.println("  at " + Long.toHexString(k) + ": ours " + a.get(k) + ", reference "
                            + b.get(k));
                }
                n++;
            }
        }
        return n;
    }

    @Test
    void identityOfTheX64ExeMatchesTheReferenceModuleAndCodeIdLines() throws Exception {
        Path exe = Required.corpusFile(EXE);
        PeImageInfo info = PeImageInfo.read(exe);
        SymbolData want = SymText.read(Required.corpusFile("pdb/moz_dump_syms_regtest64.sym"));
        assertEquals("x86_64", info.cpu());
        assertEquals(PeImageInfo.MACHINE_AMD64, info.machine());
        assertEquals("589DFD111a000", info.codeId());
        assertEquals("CODE_ID " + info.symCodeId() + " dump_syms_regtest64.exe", want.info().get(0));
        assertEquals(0x589DFD11L, info.timeDateStamp());
        assertEquals(0x1A000L, info.sizeOfImage());
        assertEquals(want.module().debugId(), info.debugId());
        assertEquals("72E103A85CB249078B76B2E7C06257B13", info.debugId());
        assertEquals(want.module().debugFile(), info.pdbName());
        assertEquals("RSDS", info.codeView().format());
        assertEquals("72E103A85CB249078B76B2E7C06257B1", info.codeView().signature());
        assertEquals(3, info.codeView().age());
        assertTrue(info.codeView().pdbPath().endsWith("\\dump_syms_regtest64.pdb"), info.codeView().pdbPath());
        assertEquals(List.of(), info.problems());
    }

    @Test
    void identityOfThe32BitDllMatchesTheReferenceModuleAndCodeIdLines() throws Exception {
        PeImageInfo info = PeImageInfo.read(Required.corpusFile("pdb/moz_basic32-min.dll"));
        SymbolData want = SymText.read(Required.corpusFile("pdb/moz_basic32-min.sym"));
        assertEquals("x86", info.cpu());
        assertEquals(want.module().cpu(), info.cpu());
        assertEquals("5DDC1E9B6c000", info.codeId());
        assertEquals("CODE_ID " + info.symCodeId() + " basic32-min.dll", want.info().get(0));
        assertEquals("878E82E5E282481B88FCBBA2CFF8C7F12", info.debugId());
        assertEquals("basic32-min.pdb", info.pdbName());
        try (X64Unwind u = X64Unwind.open(Required.corpusFile("pdb/moz_basic32-min.dll"))) {
            assertEquals(0, u.functions(), "an x86 image has no x64 unwind data");
        }
    }
}
