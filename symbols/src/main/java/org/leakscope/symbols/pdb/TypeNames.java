package org.leakscope.symbols.pdb;

/**
 * Spells type records as text, in the two ways Breakpad's DIA-based dump_syms prints a function's argument
 * types, and mozilla's:
 * <ul>
 * <li>{@link Style#DECLARATION}: DIA's own, from the type records, for functions no public symbol names (static
 *     functions): {@code const char *}, {@code struct _XCPT_ACTION *}; a function type prints as nothing, so a
 *     function pointer is {@code " *"} ({@code static  * _onexit_nolock( *)} in bp_dump_syms_regtest64.sym);</li>
 * <li>{@link Style#UNDECORATED}: what MSVC's undecorator prints from a public's decorated name with the flags
 *     dump_syms passes: {@code google_breakpad::C const &}, no {@code class}/{@code struct} keyword, function
 *     pointers as {@code void (*)(int)}.</li>
 * <li>{@link Style#MOZILLA}: pdb-addr2line's, for mozilla's dump_syms: the undecorator's, but {@code char*},
 *     {@code void (**)()}, {@code unsigned long long}, and {@code <NoType>} for a trailing T_NOTYPE argument.</li>
 * </ul>
 * Bounded: nesting deeper than {@link #MAX_DEPTH} (a pointer to itself, a cycle through modifiers) or text
 * longer than {@link #MAX_LENGTH} is {@link Unnamable}, as is any damage found on the way; callers fall back to
 * the plain name. Not thread-safe: one name at a time.
 */
final class TypeNames {
    /** Real argument types nest a dozen levels at most. */
    static final int MAX_DEPTH = 64;
    /** Longer than any real name (template-heavy names reach a few thousand characters). */
    static final int MAX_LENGTH = 16384;
    /** An argument list longer than this is damage, not a function (C allows 127, C++ compilers 256+). */
    static final long MAX_ARGUMENTS = 4096;
    /** The longest name read from a record. */
    static final int MAX_NAME = 65536;

    /** How to spell a type: see the class comment. */
    enum Style {
        DECLARATION, UNDECORATED, MOZILLA
    }

    /** A type that cannot be spelled: damaged, cyclic, too deep or too long. Never escapes the naming. */
    static final class Unnamable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unnamable(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Type records visited for one name: a function type among its own arguments would otherwise fan out
     * exponentially within the depth limit.
     */
    static final int MAX_WORK = 100_000;

    private final TypeStream tpi;
    private int work;

    TypeNames(TypeStream tpi) {
        this.tpi = tpi;
    }

    /** The text of type {@code index}. */
    String type(long index, Style style) {
        work = 0;
        return type(index, style, 0);
    }

    /**
     * The argument list of procedure type {@code index} (LF_PROCEDURE or LF_MFUNCTION), without parentheses:
     * {@code int, char const *}; a trailing T_NOTYPE argument is C's {@code ...}.
     */
    String arguments(long procedure, Style style) {
        work = 0;
        return arguments(procedure, style, 0);
    }

    /** The return type of procedure type {@code index}. */
    String returnType(long procedure, Style style) {
        work = 0;
        return returnType(procedure, style, 0);
    }

    private String returnType(long procedure, Style style, int depth) {
        int kind = kind(procedure);
        if (kind != TypeLeaf.LF_PROCEDURE && kind != TypeLeaf.LF_MFUNCTION) {
            throw new Unnamable("type 0x" + Long.toHexString(procedure) + " is not a procedure");
        }
        return type(record(procedure).u32(), style, depth + 1);
    }

    /** True when {@code index} names a procedure type (LF_PROCEDURE or LF_MFUNCTION). */
    boolean isProcedure(long index) {
        int kind = index < TypeStream.FIRST_INDEX ? -1 : tpi.kind(index);
        return kind == TypeLeaf.LF_PROCEDURE || kind == TypeLeaf.LF_MFUNCTION;
    }

    private String arguments(long procedure, Style style, int depth) {
        int kind = kind(procedure);
        MsfStream.Cursor c = record(procedure);
        long argList;
        if (kind == TypeLeaf.LF_PROCEDURE) {
            c.skip(4 + 1 + 1 + 2); // return type, calling convention, attributes, parameter count
            argList = c.u32();
        } else if (kind == TypeLeaf.LF_MFUNCTION) {
            c.skip(4 + 4 + 4 + 1 + 1 + 2); // return, class and this types, convention, attributes, count
            argList = c.u32();
        } else {
            throw new Unnamable("type 0x" + Long.toHexString(procedure) + " is not a procedure");
        }
        if (kind(argList) != TypeLeaf.LF_ARGLIST) {
            throw new Unnamable("argument list 0x" + Long.toHexString(argList) + " is not an LF_ARGLIST");
        }
        MsfStream.Cursor a = record(argList);
        long count = a.u32();
        if (count > MAX_ARGUMENTS || count * 4 > a.remaining()) {
            throw new Unnamable("argument count " + count + " in " + a.remaining() + " bytes");
        }
        StringBuilder out = new StringBuilder();
        for (long i = 0; i < count; i++) {
            long arg = a.u32();
            if (i > 0) {
                out.append(", ");
            }
            out.append(arg == 0 && i == count - 1 ? (style == Style.MOZILLA ? "<NoType>" : "...")
                    : type(arg, style, depth + 1));
            checkLength(out.length());
        }
        return out.toString();
    }

    private String type(long index, Style style, int depth) {
        if (depth > MAX_DEPTH) {
            throw new Unnamable("types nested deeper than " + MAX_DEPTH);
        }
        if (++work > MAX_WORK) {
            throw new Unnamable("more than " + MAX_WORK + " type records for one name");
        }
        if (index < TypeStream.FIRST_INDEX) {
            String simple = SimpleTypes.name(index);
            if (simple == null) {
                throw new Unnamable("simple type 0x" + Long.toHexString(index));
            }
            return style == Style.MOZILLA ? mozillaSimple(simple) : simple;
        }
        int kind = kind(index);
        MsfStream.Cursor c = record(index);
        String out;
        switch (kind) {
            case TypeLeaf.LF_MODIFIER:
                out = modified(c, style, depth);
                break;
            case TypeLeaf.LF_POINTER:
                out = pointer(c, style, depth);
                break;
            case TypeLeaf.LF_PROCEDURE:
            case TypeLeaf.LF_MFUNCTION:
                out = style == Style.DECLARATION ? ""
                        : returnType(index, style, depth) + " (" + arguments(index, style, depth) + ")";
                break;
            case TypeLeaf.LF_CLASS:
            case TypeLeaf.LF_STRUCTURE:
            case TypeLeaf.LF_INTERFACE:
                c.skip(2 + 2 + 4 + 4 + 4); // count, properties, field list, derived list, vtable shape
                TypeLeaf.numeric(c);
                out = tag(kind == TypeLeaf.LF_CLASS ? "class " : "struct ", style) + c.cstring(MAX_NAME);
                break;
            case TypeLeaf.LF_UNION:
                c.skip(2 + 2 + 4); // count, properties, field list
                TypeLeaf.numeric(c);
                out = tag("union ", style) + c.cstring(MAX_NAME);
                break;
            case TypeLeaf.LF_ENUM:
                c.skip(2 + 2 + 4 + 4); // count, properties, underlying type, field list
                out = tag("enum ", style) + c.cstring(MAX_NAME);
                break;
            case TypeLeaf.LF_ARRAY:
                long element = c.u32();
                c.skip(4); // index type
                long bytes = TypeLeaf.numeric(c);
                long each = size(element, depth + 1);
                out = type(element, style, depth + 1) + " [" + (each > 0 ? Long.toString(bytes / each) : "") + "]";
                break;
            default:
                throw new Unnamable("type 0x" + Long.toHexString(index) + " of leaf kind 0x"
                        + Integer.toHexString(kind));
        }
        checkLength(out.length());
        return out;
    }

    private String modified(MsfStream.Cursor c, Style style, int depth) {
        long inner = c.u32();
        int attributes = c.u16();
        String base = type(inner, style, depth + 1);
        String cv = ((attributes & 1) != 0 ? "const " : "") + ((attributes & 2) != 0 ? "volatile " : "");
        if (cv.isEmpty()) {
            return base;
        }
        // DIA writes "const char", the undecorator "char const"; both put it after a pointer: "char * const"
        if (style == Style.DECLARATION && !isPointer(inner)) {
            return cv + base;
        }
        return base + " " + cv.strip();
    }

    /** pdb-addr2line's spelling of a simple type: {@code unsigned long long}, {@code char*}. */
    private static String mozillaSimple(String simple) {
        String s = simple.endsWith(" *") ? simple.substring(0, simple.length() - 2) : simple;
        s = switch (s) {
            case "__int64" -> "long long";
            case "unsigned __int64" -> "unsigned long long";
            default -> s;
        };
        return simple.endsWith(" *") ? s + "*" : s;
    }

    private String pointer(MsfStream.Cursor c, Style style, int depth) {
        long referent = c.u32();
        long attributes = c.u32();
        int mode = (int) (attributes >> 5) & 0x7;
        String symbol = mode == 1 ? "&" : mode == 4 ? "&&" : "*";
        if (mode == 2 || mode == 3) { // pointer to data member, to member function: the class follows
            symbol = type(c.u32(), Style.UNDECORATED, depth + 1) + "::*";
        }
        String cv = ((attributes & 0x400) != 0 ? " const" : "") + ((attributes & 0x200) != 0 ? " volatile" : "");
        if (style != Style.DECLARATION && isProcedure(referent)) {
            return returnType(referent, style, depth + 1) + " (" + symbol + cv + ")("
                    + arguments(referent, style, depth + 1) + ")";
        }
        String pointee = type(referent, style, depth + 1);
        if (style == Style.MOZILLA) {
            int inner = isPointer(referent) ? pointee.indexOf(" (*") : -1;
            if (inner >= 0 && pointee.indexOf(')', inner) > 0) {
                // a pointer to a function pointer: "void (**)()", the stars together
                int close = pointee.indexOf(')', inner);
                return pointee.substring(0, close) + symbol + cv + pointee.substring(close);
            }
            return pointee + symbol + cv;
        }
        return pointee + " " + symbol + cv;
    }

    /** The size in bytes of a value of type {@code index}, or -1 when the records do not say. */
    private long size(long index, int depth) {
        if (depth > MAX_DEPTH || ++work > MAX_WORK) {
            throw new Unnamable("types nested deeper than " + MAX_DEPTH);
        }
        if (index < TypeStream.FIRST_INDEX) {
            int mode = (int) (index >> 8) & 0x7;
            return mode == 4 || mode == 5 ? 4 : mode == 6 ? 8 : mode != 0 ? -1 : SimpleTypes.size((int) index);
        }
        int kind = kind(index);
        MsfStream.Cursor c = record(index);
        switch (kind) {
            case TypeLeaf.LF_MODIFIER:
                return size(c.u32(), depth + 1);
            case TypeLeaf.LF_POINTER:
                c.skip(4);
                return c.u32() >> 13 & 0x3F;
            case TypeLeaf.LF_ENUM:
                c.skip(4);
                return size(c.u32(), depth + 1);
            case TypeLeaf.LF_CLASS:
            case TypeLeaf.LF_STRUCTURE:
            case TypeLeaf.LF_INTERFACE:
                c.skip(2 + 2 + 4 + 4 + 4);
                return TypeLeaf.numeric(c);
            case TypeLeaf.LF_UNION:
                c.skip(2 + 2 + 4);
                return TypeLeaf.numeric(c);
            case TypeLeaf.LF_ARRAY:
                c.skip(8);
                return TypeLeaf.numeric(c);
            default:
                return -1;
        }
    }

    private boolean isPointer(long index) {
        if (index < TypeStream.FIRST_INDEX) {
            return (index >> 8 & 0x7) != 0;
        }
        return tpi.kind(index) == TypeLeaf.LF_POINTER;
    }

    private static String tag(String keyword, Style style) {
        return style == Style.DECLARATION ? keyword : "";
    }

    private int kind(long index) {
        int kind = tpi.kind(index);
        if (kind < 0) {
            throw new Unnamable("no type record 0x" + Long.toHexString(index));
        }
        return kind;
    }

    private MsfStream.Cursor record(long index) {
        MsfStream.Cursor c = tpi.record(index);
        if (c == null) {
            throw new Unnamable("no type record 0x" + Long.toHexString(index));
        }
        return c;
    }

    private static void checkLength(int length) {
        if (length > MAX_LENGTH) {
            throw new Unnamable("a type name longer than " + MAX_LENGTH);
        }
    }
}
