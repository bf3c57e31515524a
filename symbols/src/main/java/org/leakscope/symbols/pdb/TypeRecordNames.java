package org.leakscope.symbols.pdb;

import java.util.function.UnaryOperator;
import org.leakscope.model.InputFormatException;

/**
 * Procedure names with argument types, spelled as Breakpad's DIA-based dump_syms spells them (its reference
 * files bp_dump_syms_regtest*.sym):
 * <ul>
 * <li>a C function (a public symbol has its C-decorated name: {@code _free}, {@code _Sleep@4}) is that public
 *     undecorated ({@link CFunctionNames}): {@code free};</li>
 * <li>another global function is named as the undecorator names its public symbol: qualified name and argument
 *     types, no return type, no {@code this} qualifiers: {@code google_breakpad::C::h(google_breakpad::C const &)};
 *     </li>
 * <li>a static function (S_LPROC32) has no public symbol; DIA names it from its type records:
 *     {@code static} and the return type first, DIA's own spelling of types:
 *     {@code static void parse_cmdline(char *, char * *, char *, int *, int *)}; a funclet without a type reads
 *     {@code static  __tmainCRTStartup$filt$0()} (the empty return type keeps its space).</li>
 * </ul>
 * An empty argument list is {@code ()}. A procedure whose type records are missing or damaged keeps its plain
 * name. The _ID forms (S_GPROC32_ID) go through the IPI stream's LF_FUNC_ID/LF_MFUNC_ID to the procedure type.
 */
final class TypeRecordNames implements ProcedureNames {
    static final int S_LPROC32 = 0x110f;
    static final int S_LPROC32_ID = 0x1146;
    static final int S_LPROC32_DPC = 0x1155;
    static final int S_LPROC32_DPC_ID = 0x1156;

    private final TypeNames types;
    private final TypeStream ipi;
    private final UnaryOperator<String> cFunction;

    /**
     * @param tpi       the TPI stream
     * @param ipi       the IPI stream, or null when the PDB has none
     * @param cFunction a global procedure's name as a C function ({@link CFunctionNames}), or null when it is none
     */
    TypeRecordNames(TypeStream tpi, TypeStream ipi, UnaryOperator<String> cFunction) {
        this.types = new TypeNames(tpi);
        this.ipi = ipi;
        this.cFunction = cFunction;
    }

    @Override
    public synchronized String name(Procedure p) {
        try {
            return typed(p);
        } catch (TypeNames.Unnamable | InputFormatException e) {
            return p.name();
        }
    }

    private String typed(Procedure p) {
        long type = p.idForm() ? procedureOfItem(ipi, p.typeIndex()) : p.typeIndex();
        boolean local = p.kind() == S_LPROC32 || p.kind() == S_LPROC32_ID || p.kind() == S_LPROC32_DPC
                || p.kind() == S_LPROC32_DPC_ID;
        if (local) {
            if (type == 0) {
                return "static  " + p.name() + "()";
            }
            return "static " + types.returnType(type, TypeNames.Style.DECLARATION) + " " + p.name() + "("
                    + types.arguments(type, TypeNames.Style.DECLARATION) + ")";
        }
        String c = cFunction.apply(p.name());
        if (c != null) {
            return c;
        }
        if (type == 0 || !types.isProcedure(type)) {
            return p.name();
        }
        return p.name() + "(" + types.arguments(type, TypeNames.Style.UNDECORATED) + ")";
    }

    /** The procedure type an LF_FUNC_ID or LF_MFUNC_ID item of {@code ipi} (null: none) names. */
    static long procedureOfItem(TypeStream ipi, long item) {
        if (ipi == null) {
            throw new TypeNames.Unnamable("no IPI stream");
        }
        int kind = ipi.kind(item);
        if (kind != TypeLeaf.LF_FUNC_ID && kind != TypeLeaf.LF_MFUNC_ID) {
            throw new TypeNames.Unnamable("item 0x" + Long.toHexString(item) + " is not a function id");
        }
        MsfStream.Cursor c = ipi.record(item);
        c.skip(4); // scope id, or parent class type
        return c.u32();
    }
}
