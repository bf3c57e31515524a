package org.leakscope.symbols;

/**
 * One entry of a PE image's debug directory (IMAGE_DEBUG_DIRECTORY). Linkers write several: CODEVIEW (the PDB
 * reference), VC_FEATURE, POGO, REPRO, ILTCG, EX_DLLCHARACTERISTICS; only CODEVIEW is decoded.
 *
 * @param type          the entry's type number ({@link #typeName()} spells it)
 * @param timeDateStamp the entry's own time stamp (in reproducible builds a hash, not a time), unsigned
 * @param lenData       SizeOfData
 * @param rvaData       AddressOfRawData, 0 when the data is not mapped
 * @param ofsData       PointerToRawData, the data's file offset
 * @param codeView      the decoded record of a CODEVIEW entry with an RSDS or NB10 signature, else null
 */
public record PeDebugEntry(long type, long timeDateStamp, long lenData, long rvaData, long ofsData,
        PeCodeView codeView) {

    /** IMAGE_DEBUG_TYPE_CODEVIEW. */
    public static final long CODEVIEW = 2;

    /** Microsoft's name of the type without its IMAGE_DEBUG_TYPE_ prefix, or the number for others. */
    public String typeName() {
        return switch ((int) type) {
            case 1 -> "COFF";
            case 2 -> "CODEVIEW";
            case 3 -> "FPO";
            case 4 -> "MISC";
            case 5 -> "EXCEPTION";
            case 6 -> "FIXUP";
            case 9 -> "BORLAND";
            case 11 -> "CLSID";
            case 12 -> "VC_FEATURE";
            case 13 -> "POGO";
            case 14 -> "ILTCG";
            case 15 -> "MPX";
            case 16 -> "REPRO";
            case 20 -> "EX_DLLCHARACTERISTICS";
            default -> Long.toString(type);
        };
    }
}
