package org.leakscope.symbols.pdb;

import org.leakscope.model.InputFormatException;

/**
 * Procedure names with argument types as mozilla's dump_syms writes them (symbolic through pdb-addr2line's type
 * formatter): every procedure, global or local, C or C++, is its own name and its argument types, no return
 * type, no {@code static}: {@code main(int, char**)}, {@code strcmp()}, {@code _initterm(void (**)(), void (**)())};
 * anonymous namespaces spelled {@code (anonymous namespace)}. Missing or damaged type records leave the plain name.
 */
final class MozillaTypedNames implements ProcedureNames {
    private final TypeNames types;
    private final TypeStream ipi;

    MozillaTypedNames(TypeNames types, TypeStream ipi) {
        this.types = types;
        this.ipi = ipi;
    }

    @Override
    public synchronized String name(Procedure p) {
        String plain = TypedProcedureNames.MOZILLA.name(p);
        try {
            long type = p.idForm() ? TypeRecordNames.procedureOfItem(ipi, p.typeIndex()) : p.typeIndex();
            if (type == 0 || !types.isProcedure(type)) {
                return plain;
            }
            return plain + "(" + types.arguments(type, TypeNames.Style.MOZILLA) + ")";
        } catch (TypeNames.Unnamable | InputFormatException e) {
            return plain;
        }
    }
}
