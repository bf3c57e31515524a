package org.leakscope.demangle;

import java.util.List;

/**
 * The parsed form of an MSVC decorated name and how each part prints. The spelling (spaces, {@code `vftable'},
 * {@code (void)}) is llvm-undname's, so that names compare equal with what LLVM's tools and most debuggers show.
 * A type prints in two halves around the declarator, as C declarations do: {@code int (*)[3]} is the pre part
 * {@code int (*} and the post part {@code )[3]}.
 */
final class MsvcNodes {
    static final int CONST = 1;
    static final int VOLATILE = 2;
    static final int RESTRICT = 4;
    static final int UNALIGNED = 8;
    /** {@code __ptr64}: parsed, never printed (llvm-undname prints none either). */
    static final int PTR64 = 16;

    static final int FC_PUBLIC = 1;
    static final int FC_PROTECTED = 2;
    static final int FC_PRIVATE = 4;
    static final int FC_GLOBAL = 8;
    static final int FC_STATIC = 16;
    static final int FC_VIRTUAL = 32;
    static final int FC_FAR = 64;
    static final int FC_EXTERN_C = 128;
    static final int FC_NO_PARAMETER_LIST = 256;
    static final int FC_VIRTUAL_THIS_ADJUST = 512;
    static final int FC_VIRTUAL_THIS_ADJUST_EX = 1024;
    static final int FC_STATIC_THIS_ADJUST = 2048;

    private MsvcNodes() {
    }

    abstract static class Node {
        abstract void output(MsvcOutput out, int flags);
    }

    /** A space unless the text so far ends in punctuation (C's isalnum, ASCII only, or '>'). */
    static void spaceIfNecessary(MsvcOutput out) {
        if (out.isEmpty()) {
            return;
        }
        char c = out.last();
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '>') {
            out.append(' ');
        }
    }

    /** msvc-demangler-rs' space: after a letter, {@code *}, {@code &}, {@code >} or {@code )}. */
    static void mozillaSpace(MsvcOutput out) {
        if (out.isEmpty()) {
            return;
        }
        char c = out.last();
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*' || c == '&' || c == '>' || c == ')') {
            out.append(' ');
        }
    }

    static void qualifiers(MsvcOutput out, int quals, boolean spaceBefore, boolean spaceAfter) {
        int before = out.length();
        boolean space = spaceBefore;
        space = qualifier(out, quals, CONST, "const", space);
        space = qualifier(out, quals, VOLATILE, "volatile", space);
        qualifier(out, quals, RESTRICT, "__restrict", space);
        if (spaceAfter && out.length() > before) {
            out.append(' ');
        }
    }

    private static boolean qualifier(MsvcOutput out, int quals, int mask, String text, boolean space) {
        if ((quals & mask) == 0) {
            return space;
        }
        if (space) {
            out.append(' ');
        }
        out.append(text);
        return true;
    }

    static void callingConvention(MsvcOutput out, String convention) {
        spaceIfNecessary(out);
        if (convention != null) {
            out.append(convention);
        }
    }

    static void list(MsvcOutput out, int flags, List<? extends Node> nodes, String separator) {
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            nodes.get(i).output(out, flags);
        }
    }

    // ---- types ----

    abstract static class Type extends Node {
        int quals;

        abstract void pre(MsvcOutput out, int flags);

        abstract void post(MsvcOutput out, int flags);

        @Override
        void output(MsvcOutput out, int flags) {
            pre(out, flags);
            post(out, flags);
        }
    }

    static final class Primitive extends Type {
        final String name;

        Primitive(String name) {
            this.name = name;
        }

        @Override
        void pre(MsvcOutput out, int flags) {
            out.append((flags & MsvcOutput.MOZILLA_SPELLING) == 0 ? name : stdintName(name));
            qualifiers(out, quals, true, false);
        }

        /** msvc-demangler-rs' names of the sized integers. */
        private static String stdintName(String name) {
            return switch (name) {
                case "__int64" -> "int64_t";
                case "unsigned __int64" -> "uint64_t";
                case "__int128" -> "int128_t";
                case "unsigned __int128" -> "uint128_t";
                default -> name;
            };
        }

        @Override
        void post(MsvcOutput out, int flags) {
        }
    }

    static class FunctionSignature extends Type {
        int functionClass;
        String convention;
        Type returnType;
        /** Null: none were mangled ({@code X}), printed as {@code void}. */
        List<Type> params;
        boolean variadic;
        /** 0, or 1 for {@code &}, 2 for {@code &&}. */
        int refQualifier;
        boolean noexcept;
        /** A function type used as a type ({@code $$A6}, e.g. a template argument): its return type is kept. */
        boolean isType;

        void preSignature(MsvcOutput out, int flags) {
            if ((flags & MsvcOutput.NO_ACCESS) == 0) {
                if ((functionClass & FC_PUBLIC) != 0) {
                    out.append("public: ");
                }
                if ((functionClass & FC_PROTECTED) != 0) {
                    out.append("protected: ");
                }
                if ((functionClass & FC_PRIVATE) != 0) {
                    out.append("private: ");
                }
            }
            if ((flags & MsvcOutput.NO_MEMBER_TYPE) == 0) {
                if ((functionClass & FC_GLOBAL) == 0 && (functionClass & FC_STATIC) != 0) {
                    out.append("static ");
                }
                if ((functionClass & FC_VIRTUAL) != 0) {
                    out.append("virtual ");
                }
                if ((functionClass & FC_EXTERN_C) != 0) {
                    out.append("extern \"C\" ");
                }
            }
            if ((flags & MsvcOutput.NO_RETURN_TYPE) == 0 && returnType != null) {
                returnType.pre(out, flags);
                out.append(' ');
            }
        }

        @Override
        void pre(MsvcOutput out, int flags) {
            if (isType) {
                flags &= ~MsvcOutput.NO_RETURN_TYPE;
            }
            preSignature(out, flags);
            if ((flags & MsvcOutput.NO_CALLING_CONVENTION) == 0) {
                callingConvention(out, convention);
            }
        }

        @Override
        void post(MsvcOutput out, int flags) {
            if (isType) {
                flags &= ~MsvcOutput.NO_RETURN_TYPE;
            }
            if ((functionClass & FC_NO_PARAMETER_LIST) == 0) {
                out.append('(');
                if (params != null) {
                    list(out, flags, params, ", ");
                } else if ((flags & MsvcOutput.NO_VOID_PARAMETER) == 0) {
                    out.append("void");
                }
                if (variadic) {
                    if (out.last() != '(') {
                        out.append(", ");
                    }
                    out.append("...");
                }
                out.append(')');
            }
            if ((quals & CONST) != 0) {
                out.append(" const");
            }
            if ((quals & VOLATILE) != 0) {
                out.append(" volatile");
            }
            if ((quals & RESTRICT) != 0) {
                out.append(" __restrict");
            }
            if ((quals & UNALIGNED) != 0) {
                out.append(" __unaligned");
            }
            if (noexcept) {
                out.append(" noexcept");
            }
            if (refQualifier == 1) {
                out.append(" &");
            } else if (refQualifier == 2) {
                out.append(" &&");
            }
            if (((flags & MsvcOutput.NO_RETURN_TYPE) == 0 || (flags & MsvcOutput.MOZILLA_SPELLING) != 0)
                    && returnType != null) {
                // msvc-demangler-rs leaves out the return type's first half only: a function returning a
                // function pointer ends in ")(its parameters)"
                returnType.post(out, flags);
            }
        }
    }

    /** A thunk that adjusts {@code this} before calling the named function. */
    static final class ThunkSignature extends FunctionSignature {
        long staticOffset;
        long vbptrOffset;
        long vbOffsetOffset;
        long vtordispOffset;

        @Override
        void pre(MsvcOutput out, int flags) {
            out.append("[thunk]: ");
            super.pre(out, flags);
        }

        @Override
        void post(MsvcOutput out, int flags) {
            if ((functionClass & FC_STATIC_THIS_ADJUST) != 0) {
                out.append("`adjustor{").append(Integer.toUnsignedString((int) staticOffset)).append("}'");
            } else if ((functionClass & FC_VIRTUAL_THIS_ADJUST) != 0) {
                String fixed = Integer.toUnsignedString((int) staticOffset);
                if ((functionClass & FC_VIRTUAL_THIS_ADJUST_EX) != 0) {
                    out.append("`vtordispex{").append(Integer.toString((int) vbptrOffset)).append(", ")
                            .append(Integer.toString((int) vbOffsetOffset)).append(", ")
                            .append(Integer.toString((int) vtordispOffset)).append(", ").append(fixed).append("}'");
                } else {
                    out.append("`vtordisp{").append(Integer.toString((int) vtordispOffset)).append(", ").append(fixed)
                            .append("}'");
                }
            }
            super.post(out, flags);
        }
    }

    static final int POINTER = 0;
    static final int REFERENCE = 1;
    static final int RVALUE_REFERENCE = 2;

    static final class Pointer extends Type {
        int affinity;
        Type pointee;
        /** The class of a pointer to member, else null. */
        QualifiedName classParent;

        @Override
        void pre(MsvcOutput out, int flags) {
            if (pointee instanceof FunctionSignature sig) {
                // the calling convention goes inside the parentheses; a function pointer's return type is part
                // of its type, so it is printed even when the function's own is not
                sig.preSignature(out, flags & ~MsvcOutput.NO_RETURN_TYPE);
            } else {
                pointee.pre(out, flags);
            }
            boolean hug = (flags & MsvcOutput.MOZILLA_SPELLING) != 0;
            if (!hug) {
                spaceIfNecessary(out);
            } else if (pointee instanceof Array || pointee instanceof FunctionSignature) {
                mozillaSpace(out);
            }
            if ((quals & UNALIGNED) != 0) {
                out.append("__unaligned ");
            }
            if (pointee instanceof Array) {
                out.append('(');
            } else if (pointee instanceof FunctionSignature sig) {
                out.append('(');
                if ((flags & MsvcOutput.NO_CALLING_CONVENTION) == 0) {
                    callingConvention(out, sig.convention);
                    out.append(' ');
                }
            }
            if (classParent != null) {
                classParent.output(out, flags);
                out.append("::");
            }
            out.append(affinity == POINTER ? "*" : affinity == REFERENCE ? "&" : "&&");
            qualifiers(out, quals, hug, false);
        }

        @Override
        void post(MsvcOutput out, int flags) {
            if (pointee instanceof Array || pointee instanceof FunctionSignature) {
                out.append(')');
            }
            pointee.post(out, pointee instanceof FunctionSignature ? flags & ~MsvcOutput.NO_RETURN_TYPE : flags);
        }
    }

    static final class Tag extends Type {
        final String keyword;
        final QualifiedName name;

        Tag(String keyword, QualifiedName name) {
            this.keyword = keyword;
            this.name = name;
        }

        @Override
        void pre(MsvcOutput out, int flags) {
            if ((flags & MsvcOutput.NO_TAG) == 0) {
                out.append(keyword).append(' ');
            }
            name.output(out, flags);
            qualifiers(out, quals, true, false);
        }

        @Override
        void post(MsvcOutput out, int flags) {
        }
    }

    static final class Array extends Type {
        final List<Long> dimensions;
        Type element;

        Array(List<Long> dimensions) {
            this.dimensions = dimensions;
        }

        @Override
        void pre(MsvcOutput out, int flags) {
            element.pre(out, flags);
            qualifiers(out, quals, true, false);
        }

        @Override
        void post(MsvcOutput out, int flags) {
            out.append('[');
            for (int i = 0; i < dimensions.size(); i++) {
                if (i > 0) {
                    out.append("][");
                }
                if (dimensions.get(i) != 0) {
                    out.append(Long.toUnsignedString(dimensions.get(i)));
                }
            }
            out.append(']');
            element.post(out, flags);
        }
    }

    /** {@code ?name@}: a type spelled as a name. */
    static final class Custom extends Type {
        final Identifier identifier;

        Custom(Identifier identifier) {
            this.identifier = identifier;
        }

        @Override
        void pre(MsvcOutput out, int flags) {
            identifier.output(out, flags);
        }

        @Override
        void post(MsvcOutput out, int flags) {
        }
    }

    // ---- names ----

    abstract static class Identifier extends Node {
        List<Node> templateParams;

        void templateParams(MsvcOutput out, int flags) {
            if (templateParams != null) {
                out.append('<');
                list(out, flags, templateParams, ", ");
                if ((flags & MsvcOutput.MOZILLA_SPELLING) != 0 && out.last() == '>') {
                    out.append(' ');
                }
                out.append('>');
            }
        }
    }

    /** A name printed as it is, with template arguments when it has them. */
    static final class Named extends Identifier {
        final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        void output(MsvcOutput out, int flags) {
            if ((flags & MsvcOutput.MOZILLA_SPELLING) != 0 && name.startsWith("`")) {
                // msvc-demangler-rs spells out `scalar deleting destructor', `default constructor closure'
                out.append(name.replace(" dtor", " destructor").replace(" ctor", " constructor"));
            } else {
                out.append(name);
            }
            templateParams(out, flags);
        }
    }

    static final class LocalStaticGuard extends Identifier {
        final boolean thread;
        long scopeIndex;

        LocalStaticGuard(boolean thread) {
            this.thread = thread;
        }

        @Override
        void output(MsvcOutput out, int flags) {
            out.append(thread ? "`local static thread guard'" : "`local static guard'");
            if ((int) scopeIndex != 0) { // a 32-bit field in LLVM
                out.append('{').append(Integer.toUnsignedString((int) scopeIndex)).append('}');
            }
        }
    }

    static final class ConversionOperator extends Identifier {
        Type target;

        @Override
        void output(MsvcOutput out, int flags) {
            if (templateParams != null && (flags & MsvcOutput.MOZILLA_SPELLING) != 0) {
                out.append("operatorcast"); // msvc-demangler-rs' name for a conversion operator template
                templateParams(out, flags);
                return;
            }
            out.append("operator");
            templateParams(out, flags);
            out.append(' ');
            if (target == null) {
                throw MsvcDemangler.Refused.INSTANCE;
            }
            target.output(out, flags);
        }
    }

    static final class Structor extends Identifier {
        final boolean destructor;
        Identifier type;

        Structor(boolean destructor) {
            this.destructor = destructor;
        }

        @Override
        void output(MsvcOutput out, int flags) {
            if (templateParams != null && (flags & MsvcOutput.MOZILLA_SPELLING) != 0) {
                out.append(destructor ? "dtor" : "ctor"); // msvc-demangler-rs' names for structor templates
                templateParams(out, flags);
                return;
            }
            if (destructor) {
                out.append('~');
            }
            if (type == null) {
                throw MsvcDemangler.Refused.INSTANCE;
            }
            type.output(out, flags);
            templateParams(out, flags);
        }
    }

    static final class LiteralOperator extends Identifier {
        final String suffix;

        LiteralOperator(String suffix) {
            this.suffix = suffix;
        }

        @Override
        void output(MsvcOutput out, int flags) {
            out.append("operator \"\"").append(suffix);
            templateParams(out, flags);
        }
    }

    /** {@code `dynamic initializer for 'x''} and {@code `dynamic atexit destructor for 'x''}. */
    static final class DynamicStructor extends Identifier {
        final boolean destructor;
        Variable variable;
        QualifiedName name;

        DynamicStructor(boolean destructor) {
            this.destructor = destructor;
        }

        @Override
        void output(MsvcOutput out, int flags) {
            out.append(destructor ? "`dynamic atexit destructor for " : "`dynamic initializer for ");
            if (variable != null) {
                out.append('`');
                variable.output(out, flags);
            } else {
                out.append('\'');
                name.output(out, flags);
            }
            out.append("''");
        }
    }

    static final class VcallThunk extends Identifier {
        long offset;

        @Override
        void output(MsvcOutput out, int flags) {
            out.append("`vcall'{").append(Long.toUnsignedString(offset)).append(", {flat}}");
        }
    }

    static final class RttiBaseClassDescriptor extends Identifier {
        long nvOffset;
        long vbptrOffset;
        long vbTableOffset;
        long attributes;

        @Override
        void output(MsvcOutput out, int flags) {
            out.append("`RTTI Base Class Descriptor at (").append(Integer.toUnsignedString((int) nvOffset))
                    .append(", ").append(Integer.toString((int) vbptrOffset)).append(", ")
                    .append(Integer.toUnsignedString((int) vbTableOffset)).append(", ")
                    .append(Integer.toUnsignedString((int) attributes)).append(")'");
        }
    }

    /**
     * {@code `void __cdecl f(void)'::`2'}: a block of a function. llvm-undname always prints the function in its
     * full form here; the short form prints it short as well, so that a name reads the same throughout.
     */
    static final class LocalScope extends Identifier {
        final Symbol function;
        final long number;

        LocalScope(Symbol function, long number) {
            this.function = function;
            this.number = number;
        }

        @Override
        void output(MsvcOutput out, int flags) {
            out.append('`');
            function.output(out, flags);
            out.append("'::`").append(Long.toUnsignedString(number)).append('\'');
        }
    }

    static final class QualifiedName extends Node {
        final List<Identifier> components;

        QualifiedName(List<Identifier> components) {
            this.components = components;
        }

        Identifier last() {
            return components.get(components.size() - 1);
        }

        @Override
        void output(MsvcOutput out, int flags) {
            list(out, flags, components, "::");
        }
    }

    // ---- template arguments ----

    static final class IntegerLiteral extends Node {
        final long value;
        final boolean negative;

        IntegerLiteral(long value, boolean negative) {
            this.value = value;
            this.negative = negative;
        }

        @Override
        void output(MsvcOutput out, int flags) {
            if (negative) {
                out.append('-');
            }
            out.append(Long.toUnsignedString(value));
        }
    }

    /** A template argument that names a symbol ({@code &f}) or a member pointer's offsets ({@code {f, 8}}). */
    static final class SymbolReference extends Node {
        Symbol symbol;
        final long[] offsets = new long[3];
        int offsetCount;
        boolean pointer;

        @Override
        void output(MsvcOutput out, int flags) {
            if (offsetCount > 0) {
                out.append('{');
            } else if (pointer) {
                out.append('&');
            }
            if (symbol != null) {
                symbol.output(out, flags);
                if (offsetCount > 0) {
                    out.append(", ");
                }
            }
            for (int i = 0; i < offsetCount; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                out.append(Long.toString(offsets[i]));
            }
            if (offsetCount > 0) {
                out.append('}');
            }
        }
    }

    // ---- symbols ----

    abstract static class Symbol extends Node {
        QualifiedName name;

        @Override
        void output(MsvcOutput out, int flags) {
            name.output(out, flags);
        }
    }

    /** A symbol printed as its name alone: MD5-hashed names, local static guards. */
    static final class NameOnly extends Symbol {
        NameOnly(QualifiedName name) {
            this.name = name;
        }
    }

    static final class Function extends Symbol {
        final FunctionSignature signature;

        Function(FunctionSignature signature) {
            this.signature = signature;
        }

        @Override
        void output(MsvcOutput out, int flags) {
            signature.pre(out, flags);
            spaceIfNecessary(out);
            name.output(out, flags);
            signature.post(out, flags);
        }
    }

    static final int SC_NONE = 0;
    static final int SC_PRIVATE_STATIC = 1;
    static final int SC_PROTECTED_STATIC = 2;
    static final int SC_PUBLIC_STATIC = 3;
    static final int SC_GLOBAL = 4;
    static final int SC_FUNCTION_LOCAL_STATIC = 5;

    static final class Variable extends Symbol {
        int storage = SC_NONE;
        Type type;
        /** RTTI type descriptors and names: the type is what they describe, so it is always printed. */
        boolean describesType;

        @Override
        void output(MsvcOutput out, int flags) {
            String access = storage == SC_PRIVATE_STATIC ? "private"
                    : storage == SC_PUBLIC_STATIC ? "public" : storage == SC_PROTECTED_STATIC ? "protected" : null;
            if ((flags & MsvcOutput.NO_ACCESS) == 0 && access != null) {
                out.append(access).append(": ");
            }
            if ((flags & MsvcOutput.NO_MEMBER_TYPE) == 0 && access != null) {
                out.append("static ");
            }
            boolean typed = ((flags & MsvcOutput.NO_VARIABLE_TYPE) == 0 || describesType) && type != null;
            if (typed) {
                type.pre(out, flags);
            }
            spaceIfNecessary(out);
            name.output(out, flags);
            if (typed) {
                type.post(out, flags);
            }
        }
    }

    /** {@code const Foo::`vftable'{for `Bar'}} and its kin. */
    static final class SpecialTable extends Symbol {
        int quals;
        List<QualifiedName> targets;

        @Override
        void output(MsvcOutput out, int flags) {
            qualifiers(out, quals, false, true);
            name.output(out, flags);
            if (targets != null) {
                out.append("{for `");
                list(out, flags, targets, "'s `");
                out.append("'}");
            }
        }
    }

    /** {@code ??_C@_…}: what is known of a string literal's text. */
    static final class StringLiteral extends Symbol {
        String prefix;
        String decoded;
        boolean truncated;

        @Override
        void output(MsvcOutput out, int flags) {
            out.append(prefix).append(decoded).append('"');
            if (truncated) {
                out.append("...");
            }
        }
    }
}
