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
                ItaniumExpressions.Expr.sub(out, pattern);
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

        Special(String prefix, ItaniumNode child) {
            super(child);
            this.prefix = prefix;
            this.child = child;
        }

        @Override
        void printLeft(ItaniumOutput out) {
            out.append(prefix);
            child.print(out);
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
}
