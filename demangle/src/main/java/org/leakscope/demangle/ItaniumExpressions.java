package org.leakscope.demangle;

import java.util.List;
import org.leakscope.demangle.ItaniumNode.Builtin;
import org.leakscope.demangle.ItaniumNode.Name;
import org.leakscope.demangle.ItaniumNode.Nested;
import org.leakscope.demangle.ItaniumNode.Pack;

/** Expressions in template arguments, array bounds and decltype, printed the way GNU c++filt prints them. */
final class ItaniumExpressions {
    private ItaniumExpressions() {
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
