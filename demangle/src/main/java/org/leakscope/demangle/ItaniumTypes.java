package org.leakscope.demangle;

import java.util.List;
import org.leakscope.demangle.ItaniumNode.TemplateParam;

/** Declarator parts of a type (qualifiers, pointers, references, arrays, functions) printed in two halves. */
final class ItaniumTypes {
    private ItaniumTypes() {
    }

    /** The order c++filt prints cv qualifiers in, whatever order the name has them in. */
    private static final String[] QUALIFIERS = {" const", " volatile", " restrict"};

    /** cv qualifiers on a type: {@code char const}. */
    static final class Qualified extends ItaniumNode {
        final ItaniumNode child;
        final String qualifiers;

        Qualified(ItaniumNode child, String qualifiers) {
            super(child);
            this.child = child;
            this.qualifiers = qualifiers;
        }

        /** {@code KT_} with T_ = {@code int const} prints {@code int const}: a qualifier is not repeated. */
        @Override
        void printLeft(ItaniumOutput out) {
            child.printLeft(out);
            String present = child.resolve(out) instanceof Qualified q ? q.qualifiers : "";
            for (String q : QUALIFIERS) {
                if (qualifiers.contains(q) && !present.contains(q)) {
                    out.append(q);
                }
            }
        }

        @Override
        void printRight(ItaniumOutput out) {
            child.printRight(out);
        }

        @Override
        boolean hasRight(ItaniumOutput out) {
            return child.hasRight(out);
        }

        @Override
        boolean isArray(ItaniumOutput out) {
            return child.isArray(out);
        }

        @Override
        boolean isFunction(ItaniumOutput out) {
            return child.isFunction(out);
        }
    }

    /** A vendor qualifier {@code U3foo}: {@code int foo}. */
    static final class VendorQualified extends ItaniumNode {
        final ItaniumNode child;
        final ItaniumNode qualifier;

        VendorQualified(ItaniumNode child, ItaniumNode qualifier) {
            super(child, qualifier);
            this.child = child;
            this.qualifier = qualifier;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            child.print(out);
            out.append(' ');
            qualifier.print(out);
        }
    }

    /** {@code *}, {@code &}, {@code &&}, {@code  _Complex}, {@code  _Imaginary} after the type they modify. */
    static final class Pointer extends ItaniumNode {
        final ItaniumNode pointee;
        final String symbol;

        Pointer(ItaniumNode pointee, String symbol) {
            super(pointee);
            this.pointee = pointee;
            this.symbol = symbol;
        }

        /** A reference to a reference collapses ({@code & &&} is {@code &}), also through a pack's element. */
        private Object[] collapsed(ItaniumOutput out) {
            ItaniumNode target = pointee;
            String sym = symbol;
            if (!sym.equals("&") && !sym.equals("&&")) {
                return new Object[] {target, sym};
            }
            for (int guard = 0; guard < ItaniumDemangler.MAX_DEPTH; guard++) {
                ItaniumNode t = target.resolve(out);
                if (t instanceof Pointer p && (p.symbol.equals("&") || p.symbol.equals("&&"))) {
                    if (p.symbol.equals("&")) {
                        sym = "&";
                    }
                    target = p.pointee;
                    continue;
                }
                break;
            }
            return new Object[] {target, sym};
        }

        /**
         * GNU quirk kept for equal output: a reference to a template parameter remembers the templates in scope
         * the first time it is printed, and a substitution that prints it again elsewhere resolves it there.
         */
        private ItaniumOutput.Templates enterScope(ItaniumOutput out) {
            ItaniumOutput.Templates current = out.templates;
            if (symbol.startsWith("&") && pointee instanceof TemplateParam p && !out.lambdaParams) {
                ItaniumOutput.Templates saved = out.savedScopes.get(p);
                if (saved == null) {
                    out.savedScopes.put(p, current);
                } else {
                    out.templates = saved;
                }
            }
            return current;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            ItaniumOutput.Templates scope = enterScope(out);
            try {
                printLeftInScope(out);
            } finally {
                out.templates = scope;
            }
        }

        @Override
        void printRight(ItaniumOutput out) {
            ItaniumOutput.Templates scope = enterScope(out);
            try {
                printRightInScope(out);
            } finally {
                out.templates = scope;
            }
        }

        private void printLeftInScope(ItaniumOutput out) {
            Object[] c = collapsed(out);
            ItaniumNode target = (ItaniumNode) c[0];
            target.printLeft(out);
            if (target.isArray(out)) {
                out.append(' ');
            }
            if (target.isArray(out) || target.isFunction(out)) {
                out.append('(');
            }
            out.append((String) c[1]);
        }

        private void printRightInScope(ItaniumOutput out) {
            ItaniumNode target = (ItaniumNode) collapsed(out)[0];
            if (target.isArray(out) || target.isFunction(out)) {
                out.append(')');
            }
            target.printRight(out);
        }

        @Override
        boolean hasRight(ItaniumOutput out) {
            ItaniumOutput.Templates current = out.templates;
            if (symbol.startsWith("&") && pointee instanceof TemplateParam p && out.savedScopes.containsKey(p)) {
                out.templates = out.savedScopes.get(p);
            }
            try {
                return pointee.hasRight(out);
            } finally {
                out.templates = current;
            }
        }
    }

    static final class MemberPointer extends ItaniumNode {
        final ItaniumNode owner;
        final ItaniumNode member;

        MemberPointer(ItaniumNode owner, ItaniumNode member) {
            super(owner, member);
            this.owner = owner;
            this.member = member;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            member.printLeft(out);
            if (member.isArray(out) || member.isFunction(out)) {
                out.append('(');
            } else {
                out.append(' ');
            }
            owner.print(out);
            out.append("::*");
        }

        @Override
        void printRight(ItaniumOutput out) {
            if (member.isArray(out) || member.isFunction(out)) {
                out.append(')');
            }
            member.printRight(out);
        }

        @Override
        boolean hasRight(ItaniumOutput out) {
            return member.hasRight(out);
        }
    }

    static final class Array extends ItaniumNode {
        final ItaniumNode element;
        final ItaniumNode dimension;

        Array(ItaniumNode element, ItaniumNode dimension) {
            super(element, dimension);
            this.element = element;
            this.dimension = dimension;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            element.printLeft(out);
        }

        @Override
        void printRight(ItaniumOutput out) {
            if (out.last() != ']') {
                out.append(' ');
            }
            out.append('[');
            if (dimension != null) {
                dimension.print(out);
            }
            out.append(']');
            element.printRight(out);
        }

        @Override
        boolean hasRight(ItaniumOutput out) {
            return true;
        }

        @Override
        boolean isArray(ItaniumOutput out) {
            return true;
        }
    }

    static final class FunctionType extends ItaniumNode {
        final ItaniumNode ret;
        final List<ItaniumNode> params;
        final String qualifiers;

        FunctionType(ItaniumNode ret, List<ItaniumNode> params, String qualifiers) {
            super(kidsOf(ret, null, params));
            this.ret = ret;
            this.params = params;
            this.qualifiers = qualifiers;
        }

        FunctionType withQualifiers(String more) {
            return new FunctionType(ret, params, more + qualifiers);
        }

        /** As GNU: a space after a plain return type; inside a declarator, only where no {@code (} or {@code *} is. */
        @Override
        void printLeft(ItaniumOutput out) {
            ret.printLeft(out);
            if (!ret.hasRight(out) || (out.last() != '(' && out.last() != '*')) {
                out.append(' ');
            }
        }

        @Override
        void printRight(ItaniumOutput out) {
            out.append('(');
            printList(out, params);
            out.append(')');
            ret.printRight(out);
            out.append(qualifiers);
        }

        @Override
        boolean hasRight(ItaniumOutput out) {
            return true;
        }

        @Override
        boolean isFunction(ItaniumOutput out) {
            return true;
        }
    }

    /** {@code Dv4_i}: {@code int __vector(4)}. */
    static final class Vector extends ItaniumNode {
        final ItaniumNode element;
        final ItaniumNode dimension;

        Vector(ItaniumNode element, ItaniumNode dimension) {
            super(element, dimension);
            this.element = element;
            this.dimension = dimension;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            element.print(out);
            out.append(" __vector(");
            dimension.print(out);
            out.append(')');
        }
    }
}
