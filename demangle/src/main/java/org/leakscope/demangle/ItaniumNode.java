package org.leakscope.demangle;

import java.util.List;

/**
 * One part of a parsed Itanium name, printed as GNU c++filt prints it. Substitutions make the parts a graph
 * (an {@code S_} is the earlier node itself), so printing is bounded by {@link ItaniumOutput}, and every node
 * knows its height so that printing never recurses deeper than {@link ItaniumDemangler#MAX_DEPTH}.
 *
 * <p>Declarators print in two halves, as in C: the left part ({@code void (*}) before the declared name and the
 * right part ({@code )(int)}) after it; a node {@link #hasRight(out) has a right part} when an array or function
 * type is inside it.
 */
abstract class ItaniumNode {
    private static final ItaniumNode[] NONE = {};

    final ItaniumNode[] kids;
    final int height;

    ItaniumNode(ItaniumNode... kids) {
        this.kids = kids;
        int h = 0;
        for (ItaniumNode k : kids) {
            if (k != null) {
                h = Math.max(h, k.height);
            }
        }
        this.height = h + 1;
        if (height > ItaniumDemangler.MAX_DEPTH) {
            throw new ItaniumParser.Malformed();
        }
    }

    ItaniumNode() {
        this(NONE);
    }

    final void print(ItaniumOutput out) {
        out.enter();
        printLeft(out);
        if (hasRight(out)) {
            printRight(out);
        }
        out.leave();
    }

    abstract void printLeft(ItaniumOutput out);

    void printRight(ItaniumOutput out) {
    }

    boolean hasRight(ItaniumOutput out) {
        return false;
    }

    boolean isArray(ItaniumOutput out) {
        return false;
    }

    boolean isFunction(ItaniumOutput out) {
        return false;
    }

    /** What this node stands for while printing: a template parameter's argument, else itself. */
    ItaniumNode resolve(ItaniumOutput out) {
        return this;
    }


    /** A pack-free leaf or a name: GNU looks no further into it for the pack an expansion repeats. */
    boolean hidesPacks() {
        return false;
    }

    /** The first pack this node refers to through a template parameter, as GNU's expansion looks for it. */
    Pack findPack(ItaniumOutput out) {
        if (hidesPacks()) {
            return null;
        }
        for (ItaniumNode k : kids) {
            if (k != null) {
                Pack p = k.findPack(out);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Prints {@code nodes} separated by ", ". GNU's lists are nested pairs (first, rest): it takes a separator
     * back only when all of the rest printed nothing (empty packs), so {@code (a, , b)} stays as it is.
     */
    static void printList(ItaniumOutput out, List<ItaniumNode> nodes) {
        int[] marks = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            marks[i] = out.length();
            nodes.get(i).print(out);
        }
        for (int i = nodes.size() - 1; i > 0 && out.length() == marks[i]; i--) {
            // and still sees the ' ' as the last character: no "> >" after it
            out.truncate(marks[i] - 2, ' ');
        }
    }

    /** Source names, builtin types and fixed words. */
    static final class Name extends ItaniumNode {
        final String text;

        Name(String text) {
            this.text = text;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append(text);
        }


        @Override
        boolean hidesPacks() {
            return true;
        }
    }

    /** A builtin type; {@code kind} decides how a literal of it prints ({@code 5u}, {@code true}, {@code (char)65}). */
    static final class Builtin extends ItaniumNode {
        final String text;
        final char kind;

        Builtin(String text, char kind) {
            this.text = text;
            this.kind = kind;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append(text);
        }

        @Override
        boolean hidesPacks() {
            return true;
        }
    }

    static final class Nested extends ItaniumNode {
        final ItaniumNode scope;
        final ItaniumNode name;

        Nested(ItaniumNode scope, ItaniumNode name) {
            super(scope, name);
            this.scope = scope;
            this.name = name;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            scope.print(out);
            out.append("::");
            name.print(out);
        }

    }

    static final class Template extends ItaniumNode {
        final ItaniumNode name;
        final TemplateArgs args;

        Template(ItaniumNode name, TemplateArgs args) {
            super(name, args);
            this.name = name;
            this.args = args;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            name.print(out);
            args.print(out);
        }

    }

    static final class TemplateArgs extends ItaniumNode {
        final List<ItaniumNode> args;

        TemplateArgs(List<ItaniumNode> args) {
            super(args.toArray(new ItaniumNode[0]));
            this.args = args;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            if (out.last() == '<') {
                out.append(' ');
            }
            out.append('<');
            printList(out, args);
            if (out.last() == '>') {
                out.append(' ');
            }
            out.append('>');
        }
    }

    /** A template argument pack {@code J…E}: all its elements, or the one a pack expansion is at. */
    static final class Pack extends ItaniumNode {
        final List<ItaniumNode> elements;

        Pack(List<ItaniumNode> elements) {
            super(elements.toArray(new ItaniumNode[0]));
            this.elements = elements;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            printList(out, elements);
        }

        @Override
        Pack findPack(ItaniumOutput out) {
            return null;
        }
    }

    static final class PackExpansion extends ItaniumNode {
        final ItaniumNode pattern;

        PackExpansion(ItaniumNode pattern) {
            super(pattern);
            this.pattern = pattern;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            Pack pack = pattern.findPack(out);
            if (pack == null) {
                Expr.sub(out, pattern);
                out.append("...");
                return;
            }
            int saved = out.packIndex;
            int n = pack.elements.size();
            for (int i = 0; i < n; i++) {
                out.packIndex = i;
                pattern.print(out);
                if (i < n - 1) {
                    out.append(", ");
                }
            }
            out.packIndex = saved;
        }

        @Override
        Pack findPack(ItaniumOutput out) {
            return null;
        }
    }

    static final class AbiTag extends ItaniumNode {
        final ItaniumNode name;
        final String tag;

        AbiTag(ItaniumNode name, String tag) {
            super(name);
            this.name = name;
            this.tag = tag;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            name.print(out);
            out.append("[abi:").append(tag).append(']');
        }

    }

    static final class CtorDtor extends ItaniumNode {
        final String base;
        final boolean destructor;

        CtorDtor(String base, boolean destructor) {
            this.base = base;
            this.destructor = destructor;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            if (destructor) {
                out.append('~');
            }
            out.append(base);
        }

        @Override
        boolean hidesPacks() {
            return true;
        }
    }

    /** {@code operator+}, {@code operator new}, {@code operator"" _x}. */
    static final class Operator extends ItaniumNode {
        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append("operator");
            if (Character.isLowerCase(symbol.charAt(0))) {
                out.append(' ');
            }
            out.append(symbol.endsWith(" ") ? symbol.substring(0, symbol.length() - 1) : symbol);
        }


        @Override
        boolean hidesPacks() {
            return true;
        }
    }

    static final class Conversion extends ItaniumNode {
        final ItaniumNode type;

        Conversion(ItaniumNode type) {
            super(type);
            this.type = type;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append("operator ");
            type.print(out);
        }
    }

    static final class Lambda extends ItaniumNode {
        final List<ItaniumNode> params;
        final int number;

        Lambda(List<ItaniumNode> params, int number) {
            super(params.toArray(new ItaniumNode[0]));
            this.params = params;
            this.number = number;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append("{lambda(");
            boolean saved = out.lambdaParams;
            out.lambdaParams = true;
            printList(out, params);
            out.lambdaParams = saved;
            out.append(")#").append(Integer.toString(number)).append('}');
        }

        @Override
        boolean hidesPacks() {
            return true;
        }
    }

    /**
     * {@code T_}, {@code T0_}, …: resolved while printing, as c++filt does, against the template arguments of the
     * function being printed; a substitution that refers to one means that function's argument wherever it is
     * used. In a generic lambda's signature g++ calls them {@code auto:1}, {@code auto:2}. A pack argument
     * stands for the element a pack expansion is at (outside one, its first).
     */
    static final class TemplateParam extends ItaniumNode {
        final int index;

        TemplateParam(int index) {
            this.index = index;
        }

        private ItaniumNode argument(ItaniumOutput out) {
            List<ItaniumNode> args = out.templates == null ? null : out.templates.args();
            if (args == null || index >= args.size() || args.get(index) == null) {
                throw new ItaniumParser.Malformed();
            }
            return args.get(index);
        }

        @Override
        ItaniumNode resolve(ItaniumOutput out) {
            if (out.lambdaParams) {
                return this;
            }
            ItaniumNode a = argument(out);
            if (a instanceof Pack p) {
                int i = Math.max(out.packIndex, 0);
                if (i >= p.elements.size()) {
                    throw new ItaniumParser.Malformed();
                }
                return p.elements.get(i);
            }
            return a;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            if (out.lambdaParams) {
                out.append("auto:").append(Integer.toString(index + 1));
                return;
            }
            ItaniumNode r = resolve(out);
            out.outside(() -> {
                r.printLeft(out);
                return null;
            });
        }

        @Override
        void printRight(ItaniumOutput out) {
            if (out.lambdaParams) {
                return;
            }
            ItaniumNode r = resolve(out);
            out.outside(() -> {
                r.printRight(out);
                return null;
            });
        }

        @Override
        boolean hasRight(ItaniumOutput out) {
            if (out.lambdaParams) {
                return false;
            }
            ItaniumNode r = resolve(out);
            return out.outside(() -> r.hasRight(out));
        }

        @Override
        boolean isArray(ItaniumOutput out) {
            if (out.lambdaParams) {
                return false;
            }
            ItaniumNode r = resolve(out);
            return out.outside(() -> r.isArray(out));
        }

        @Override
        boolean isFunction(ItaniumOutput out) {
            if (out.lambdaParams) {
                return false;
            }
            ItaniumNode r = resolve(out);
            return out.outside(() -> r.isFunction(out));
        }

        @Override
        Pack findPack(ItaniumOutput out) {
            if (out.lambdaParams) {
                return null;
            }
            return argument(out) instanceof Pack p ? p : null;
        }
    }

    static final class Local extends ItaniumNode {
        final ItaniumNode function;
        final ItaniumNode entity;

        Local(ItaniumNode function, ItaniumNode entity) {
            super(function, entity);
            this.function = function;
            this.entity = entity;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            function.print(out);
            out.append("::");
            entity.print(out);
        }

    }

    /** A function's name with its parameters, return type (templates only) and qualifiers. */
    static final class Encoding extends ItaniumNode {
        final ItaniumNode ret;
        final ItaniumNode name;
        final List<ItaniumNode> params;
        final String qualifiers;

        final List<ItaniumNode> templateArgs;

        Encoding(ItaniumNode ret, ItaniumNode name, List<ItaniumNode> params, String qualifiers,
                List<ItaniumNode> templateArgs) {
            super(kidsOf(ret, name, params));
            this.ret = ret;
            this.name = name;
            this.params = params;
            this.qualifiers = qualifiers;
            this.templateArgs = templateArgs;
        }

        private ItaniumOutput.Templates enter(ItaniumOutput out) {
            ItaniumOutput.Templates saved = out.templates;
            if (templateArgs != null) {
                out.templates = new ItaniumOutput.Templates(templateArgs, saved);
            }
            return saved;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            ItaniumOutput.Templates saved = enter(out);
            if (ret != null) {
                ret.printLeft(out);
                if (!ret.hasRight(out)) {
                    out.append(' ');
                }
            }
            name.print(out);
            out.templates = saved;
        }

        @Override
        void printRight(ItaniumOutput out) {
            ItaniumOutput.Templates saved = enter(out);
            out.append('(');
            printList(out, params);
            out.append(')');
            if (ret != null) {
                ret.printRight(out);
            }
            out.templates = saved;
            out.append(qualifiers);
        }

        @Override
        boolean hasRight(ItaniumOutput out) {
            return true;
        }
    }

    static ItaniumNode[] kidsOf(ItaniumNode a, ItaniumNode b, List<ItaniumNode> rest) {
        ItaniumNode[] all = new ItaniumNode[rest.size() + 2];
        all[0] = a;
        all[1] = b;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 2] = rest.get(i);
        }
        return all;
    }

    /** {@code vtable for X}, {@code guard variable for x}, {@code non-virtual thunk to f()}, … */
    static final class Special extends ItaniumNode {
        final String prefix;
        final ItaniumNode child;
        final String suffix;

        Special(String prefix, ItaniumNode child, String suffix) {
            super(child);
            this.prefix = prefix;
            this.child = child;
            this.suffix = suffix;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append(prefix);
            child.print(out);
            out.append(suffix);
        }
    }

    static final class ConstructionVtable extends ItaniumNode {
        final ItaniumNode complete;
        final ItaniumNode base;

        ConstructionVtable(ItaniumNode complete, ItaniumNode base) {
            super(complete, base);
            this.complete = complete;
            this.base = base;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append("construction vtable for ");
            base.print(out);
            out.append("-in-");
            complete.print(out);
        }
    }

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
            for (String q : qualifiers.split("(?= )")) {
                if (!present.contains(q)) {
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

    /** {@code (suffix)} appended, as for {@code  [clone .cold]}. */
    static final class Clone extends ItaniumNode {
        final ItaniumNode encoding;
        final String suffix;

        Clone(ItaniumNode encoding, String suffix) {
            super(encoding);
            this.encoding = encoding;
            this.suffix = suffix;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            encoding.print(out);
            out.append(" [clone ").append(suffix).append(']');
        }
    }

    /** Expressions in template arguments and decltype, printed the way GNU does (operands in parentheses). */
    abstract static class Expr extends ItaniumNode {
        Expr(ItaniumNode... kids) {
            super(kids);
        }

        /** GNU's subexpression: parenthesised unless it is a name or a function parameter. */
        static void sub(ItaniumOutput out, ItaniumNode e) {
            boolean simple = e instanceof Name || e instanceof Nested || e instanceof FunctionParam
                    || e instanceof InitList;
            if (!simple) {
                out.append('(');
            }
            e.print(out);
            if (!simple) {
                out.append(')');
            }
        }
    }

    static final class Literal extends Expr {
        final ItaniumNode type;
        final String value;
        final boolean negative;

        Literal(ItaniumNode type, String value, boolean negative) {
            super(type);
            this.type = type;
            this.value = value;
            this.negative = negative;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            char kind = type instanceof Builtin b ? b.kind : 'D';
            String suffix = switch (kind) {
                case 'i' -> "";
                case 'u' -> "u";
                case 'l' -> "l";
                case 'm' -> "ul";
                case 'x' -> "ll";
                case 'y' -> "ull";
                default -> null;
            };
            if (suffix != null) {
                out.append(negative ? "-" : "").append(value).append(suffix);
                return;
            }
            if (kind == 'b' && !negative && (value.equals("0") || value.equals("1"))) {
                out.append(value.equals("0") ? "false" : "true");
                return;
            }
            out.append('(');
            type.print(out);
            out.append(')');
            if (negative) {
                out.append('-');
            }
            if (kind == 'f') {
                out.append('[').append(value).append(']');
            } else {
                out.append(value);
            }
        }
    }

    static final class FunctionParam extends Expr {
        final String text;

        FunctionParam(String text) {
            this.text = text;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append(text);
        }

        @Override
        boolean hidesPacks() {
            return true;
        }
    }

    /** A prefix operator ({@code -x}, {@code sizeof (int)}, a cast) applied to one operand. */
    static final class Unary extends Expr {
        final String op;
        final ItaniumNode operand;
        final boolean alwaysParens;

        Unary(String op, ItaniumNode operand, boolean alwaysParens) {
            super(operand);
            this.op = op;
            this.operand = operand;
            this.alwaysParens = alwaysParens;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append(op);
            if (alwaysParens) {
                out.append('(');
                operand.print(out);
                out.append(')');
            } else {
                sub(out, operand);
            }
        }
    }

    static final class Postfix extends Expr {
        final String op;
        final ItaniumNode operand;

        Postfix(String op, ItaniumNode operand) {
            super(operand);
            this.op = op;
            this.operand = operand;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            sub(out, operand);
            out.append(op);
        }
    }

    static final class Binary extends Expr {
        final String op;
        final ItaniumNode left;
        final ItaniumNode right;

        Binary(String op, ItaniumNode left, ItaniumNode right) {
            super(left, right);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            boolean greater = op.equals(">");
            if (greater) {
                out.append('(');
            }
            sub(out, left);
            if (op.equals("[]")) {
                out.append('[');
                right.print(out);
                out.append(']');
            } else {
                out.append(op);
                sub(out, right);
            }
            if (greater) {
                out.append(')');
            }
        }
    }

    static final class Conditional extends Expr {
        Conditional(ItaniumNode a, ItaniumNode b, ItaniumNode c) {
            super(a, b, c);
        }

        @Override
        void printLeft(ItaniumOutput out) {
            sub(out, kids[0]);
            out.append('?');
            sub(out, kids[1]);
            out.append(" : ");
            sub(out, kids[2]);
        }
    }

    static final class Call extends Expr {
        final ItaniumNode callee;
        final List<ItaniumNode> args;

        Call(ItaniumNode callee, List<ItaniumNode> args) {
            super(kidsOf(callee, null, args));
            this.callee = callee;
            this.args = args;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            sub(out, callee);
            out.append('(');
            printList(out, args);
            out.append(')');
        }
    }

    /** {@code (type)(expr)}, or {@code (type)(a, b)} for a cast of a list. */
    static final class Cast extends Expr {
        final ItaniumNode type;
        final List<ItaniumNode> args;

        Cast(ItaniumNode type, List<ItaniumNode> args) {
            super(kidsOf(type, null, args));
            this.type = type;
            this.args = args;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append('(');
            type.print(out);
            out.append(')');
            if (args.size() == 1) {
                sub(out, args.get(0));
            } else {
                out.append('(');
                printList(out, args);
                out.append(')');
            }
        }
    }

    /** {@code static_cast<T>(e)} and the other named casts. */
    static final class NamedCast extends Expr {
        final String keyword;

        NamedCast(String keyword, ItaniumNode type, ItaniumNode operand) {
            super(type, operand);
            this.keyword = keyword;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append(keyword).append('<');
            kids[0].print(out);
            out.append(">(");
            kids[1].print(out);
            out.append(')');
        }
    }

    static final class InitList extends Expr {
        final ItaniumNode type;
        final List<ItaniumNode> items;

        InitList(ItaniumNode type, List<ItaniumNode> items) {
            super(kidsOf(type, null, items));
            this.type = type;
            this.items = items;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            if (type != null) {
                type.print(out);
            }
            out.append('{');
            printList(out, items);
            out.append('}');
        }
    }

    /** {@code decltype (expr)}: GNU writes the space. */
    static final class Decltype extends ItaniumNode {
        final ItaniumNode expr;

        Decltype(ItaniumNode expr) {
            super(expr);
            this.expr = expr;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append("decltype (");
            expr.print(out);
            out.append(')');
        }
    }

    /** {@code sizeof...(T)}: the number of elements when the pack is known. */
    static final class SizeofPack extends Expr {
        final ItaniumNode pack;

        SizeofPack(ItaniumNode pack) {
            super(pack);
            this.pack = pack;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            Pack p = pack.findPack(out);
            if (p != null) {
                out.append(Integer.toString(p.elements.size()));
                return;
            }
            out.append("sizeof...(");
            pack.print(out);
            out.append(')');
        }
    }
}
