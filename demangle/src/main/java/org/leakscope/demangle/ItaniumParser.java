package org.leakscope.demangle;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.demangle.ItaniumNode.AbiTag;
import org.leakscope.demangle.ItaniumTypes.Array;
import org.leakscope.demangle.ItaniumExpressions.Binary;
import org.leakscope.demangle.ItaniumNode.Builtin;
import org.leakscope.demangle.ItaniumExpressions.Call;
import org.leakscope.demangle.ItaniumExpressions.Cast;
import org.leakscope.demangle.ItaniumNode.Clone;
import org.leakscope.demangle.ItaniumExpressions.Conditional;
import org.leakscope.demangle.ItaniumNode.ConstructionVtable;
import org.leakscope.demangle.ItaniumNode.Conversion;
import org.leakscope.demangle.ItaniumNode.CtorDtor;
import org.leakscope.demangle.ItaniumExpressions.Decltype;
import org.leakscope.demangle.ItaniumNode.Encoding;
import org.leakscope.demangle.ItaniumExpressions.FunctionParam;
import org.leakscope.demangle.ItaniumTypes.FunctionType;
import org.leakscope.demangle.ItaniumExpressions.InitList;
import org.leakscope.demangle.ItaniumNode.Lambda;
import org.leakscope.demangle.ItaniumExpressions.Literal;
import org.leakscope.demangle.ItaniumNode.Local;
import org.leakscope.demangle.ItaniumTypes.MemberPointer;
import org.leakscope.demangle.ItaniumNode.Name;
import org.leakscope.demangle.ItaniumExpressions.NamedCast;
import org.leakscope.demangle.ItaniumNode.Nested;
import org.leakscope.demangle.ItaniumNode.Operator;
import org.leakscope.demangle.ItaniumNode.Pack;
import org.leakscope.demangle.ItaniumNode.PackExpansion;
import org.leakscope.demangle.ItaniumTypes.Pointer;
import org.leakscope.demangle.ItaniumExpressions.Postfix;
import org.leakscope.demangle.ItaniumTypes.Qualified;
import org.leakscope.demangle.ItaniumExpressions.SizeofPack;
import org.leakscope.demangle.ItaniumNode.Special;
import org.leakscope.demangle.ItaniumNode.Template;
import org.leakscope.demangle.ItaniumNode.TemplateArgs;
import org.leakscope.demangle.ItaniumNode.TemplateParam;
import org.leakscope.demangle.ItaniumExpressions.Unary;
import org.leakscope.demangle.ItaniumTypes.Vector;
import org.leakscope.demangle.ItaniumTypes.VendorQualified;

/**
 * Recursive descent over the Itanium C++ ABI mangling grammar
 * (https://itanium-cxx-abi.github.io/cxx-abi/abi.html#mangling), producing {@link ItaniumNode}s. Template
 * parameters are resolved while parsing (to the arguments of the function's own template), substitutions are
 * references to earlier nodes, so the parse is linear in the name's length; recursion depth is capped.
 */
final class ItaniumParser {
    /** Thrown on a malformed name or one over the caps; the demangler turns it into null. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed() {
            super(null, null, false, false);
        }
    }

    /** What the name of an encoding tells about its function type. */
    private static final class NameState {
        boolean endsWithTemplateArgs;
        boolean ctorDtorConversion;
        String qualifiers = "";
        /** The arguments of the template the name ends with: what its function's T_ mean. */
        List<ItaniumNode> templateArgs;
    }

    private final String s;
    private int pos;
    private int depth;
    private final List<ItaniumNode> subs = new ArrayList<>();
    private List<ItaniumNode> templateParams;
    private final List<ForwardRef> forwardRefs = new ArrayList<>();
    private boolean permitForwardRefs;
    private boolean inConversionType;
    /** The last source name read outside template arguments: what a constructor is called. */
    private String lastName;
    /** Whether {@code sr} is read the new way first, and whether a name did: see {@link #scopedUnresolved}. */
    private final boolean unresolvedPrefixFirst;
    private boolean triedUnresolvedPrefix;

    private ItaniumParser(String s, int pos, boolean unresolvedPrefixFirst) {
        this.s = s;
        this.pos = pos;
        this.unresolvedPrefixFirst = unresolvedPrefixFirst;
    }

    /** The tree of {@code mangled}, which starts with {@code _Z} at {@code start}; throws Malformed. */
    static ItaniumNode parse(String mangled, int start) {
        ItaniumParser p = new ItaniumParser(mangled, start, true);
        try {
            return p.parseAll();
        } catch (Malformed e) {
            if (!p.triedUnresolvedPrefix) {
                throw e;
            }
        }
        return new ItaniumParser(mangled, start, false).parseAll();
    }

    /** {@code _Z <encoding>}, then g++'s clone suffixes ({@code .cold}, {@code .isra.0}), then nothing. */
    private ItaniumNode parseAll() {
        expect('_');
        expect('Z');
        ItaniumNode n = encoding();
        while (peek() == '.' && (isLower(peek(1)) || peek(1) == '_' || isDigit(peek(1)))) {
            n = new Clone(n, cloneSuffix());
        }
        if (pos != s.length()) {
            throw new Malformed();
        }
        return n;
    }

    /** The substitution candidates of {@code mangled} in order ({@code S_}, {@code S0_}, …), for tests. */
    static List<String> substitutions(String mangled) {
        ItaniumParser p = new ItaniumParser(mangled, 0, true);
        try {
            p.expect('_');
            p.expect('Z');
            p.encoding();
        } catch (Malformed e) {
            // the table up to the error
        }
        List<String> table = new ArrayList<>();
        for (ItaniumNode n : p.subs) {
            ItaniumOutput out = new ItaniumOutput(ItaniumDemangler.MAX_OUTPUT, ItaniumDemangler.MAX_WORK);
            try {
                n.print(out);
                table.add(out.toString());
            } catch (Malformed e) {
                table.add("?");
            }
        }
        return table;
    }

    // ---- characters

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char peek(int ahead) {
        return pos + ahead < s.length() ? s.charAt(pos + ahead) : '\0';
    }

    private boolean consume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean consume(String prefix) {
        if (s.startsWith(prefix, pos)) {
            pos += prefix.length();
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!consume(c)) {
            throw new Malformed();
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private boolean atEnd() {
        return pos >= s.length();
    }

    private void enter() {
        if (++depth > ItaniumDemangler.MAX_DEPTH) {
            throw new Malformed();
        }
    }

    private void leave() {
        depth--;
    }

    /** A non-negative decimal number; none at all is 0, as in libiberty. */
    private int number() {
        long n = 0;
        while (isDigit(peek())) {
            n = n * 10 + (s.charAt(pos++) - '0');
            if (n > Integer.MAX_VALUE) {
                throw new Malformed();
            }
        }
        return (int) n;
    }

    /** {@code _} is 0, {@code <n>_} is n + 1 (seq-ids and discriminator numbers). */
    private int compactNumber() {
        if (consume('_')) {
            return 0;
        }
        if (!isDigit(peek())) {
            throw new Malformed();
        }
        int n = number();
        expect('_');
        return n + 1;
    }

    private String cloneSuffix() {
        int start = pos;
        if (peek() == '.' && (isLower(peek(1)) || peek(1) == '_' || isDigit(peek(1)))) {
            pos += 2;
            while (isLower(peek()) || isDigit(peek()) || peek() == '_') {
                pos++;
            }
        }
        while (peek() == '.' && isDigit(peek(1))) {
            pos += 2;
            while (isDigit(peek())) {
                pos++;
            }
        }
        return s.substring(start, pos);
    }

    // ---- encodings and names

    private ItaniumNode encoding() {
        return encoding(false);
    }

    /** {@code inLocalName}: the function a local name is in, printed without its return type as c++filt does. */
    private ItaniumNode encoding(boolean inLocalName) {
        enter();
        try {
            char c = peek();
            if (c == 'G' || c == 'T') {
                return specialName();
            }
            NameState state = new NameState();
            int refsBefore = forwardRefs.size();
            ItaniumNode name = name(state);
            resolveForwardRefs(refsBefore);
            if (atEnd() || peek() == 'E') {
                return name;
            }
            ItaniumNode ret = null;
            if (state.endsWithTemplateArgs && !state.ctorDtorConversion) {
                ret = type();
            }
            List<ItaniumNode> params = parameters();
            return new Encoding(inLocalName ? null : ret, name, params, state.qualifiers,
                    state.endsWithTemplateArgs ? state.templateArgs : null);
        } finally {
            leave();
        }
    }

    /** Parameter types up to the end, an {@code E} or a clone suffix; a lone {@code v} is none. */
    private List<ItaniumNode> parameters() {
        List<ItaniumNode> params = new ArrayList<>();
        while (!atEnd() && peek() != 'E' && peek() != '.') {
            params.add(type());
        }
        if (params.isEmpty()) {
            throw new Malformed();
        }
        return voidIsNone(params);
    }

    private static List<ItaniumNode> voidIsNone(List<ItaniumNode> params) {
        if (params.size() == 1 && params.get(0) instanceof Builtin b && b.text.equals("void")) {
            return List.of();
        }
        return params;
    }

    private ItaniumNode specialName() {
        if (consume('T')) {
            switch (next()) {
                case 'V':
                    return new Special("vtable for ", type());
                case 'T':
                    return new Special("VTT for ", type());
                case 'I':
                    return new Special("typeinfo for ", type());
                case 'S':
                    return new Special("typeinfo name for ", type());
                case 'F':
                    return new Special("typeinfo fn for ", type());
                case 'h':
                    callOffset('h');
                    return new Special("non-virtual thunk to ", encoding());
                case 'v':
                    callOffset('v');
                    return new Special("virtual thunk to ", encoding());
                case 'c':
                    callOffset(next());
                    callOffset(next());
                    return new Special("covariant return thunk to ", encoding());
                case 'C': {
                    ItaniumNode complete = type();
                    number();
                    expect('_');
                    return new ConstructionVtable(complete, type());
                }
                case 'H':
                    return new Special("TLS init function for ", name(null));
                case 'W':
                    return new Special("TLS wrapper function for ", name(null));
                case 'A':
                    return new Special("template parameter object for ", templateArg());
                default:
                    throw new Malformed();
            }
        }
        expect('G');
        if (consume('V')) {
            return new Special("guard variable for ", name(null));
        }
        if (consume('R')) {
            ItaniumNode name = name(null);
            return new Special("reference temporary #" + number() + " for ", name);
        }
        if (consume('A')) {
            return new Special("hidden alias for ", encoding());
        }
        if (consume("Tt")) {
            return new Special("transaction clone for ", encoding());
        }
        if (consume("Tn")) {
            return new Special("non-transaction clone for ", encoding());
        }
        throw new Malformed();
    }

    /** After {@code kind}, {@code h <offset> _} or {@code v <offset> _ <virtual offset> _}: not printed. */
    private void callOffset(char kind) {
        signedNumber();
        expect('_');
        if (kind == 'v') {
            signedNumber();
            expect('_');
        } else if (kind != 'h') {
            throw new Malformed();
        }
    }

    private char next() {
        if (atEnd()) {
            throw new Malformed();
        }
        return s.charAt(pos++);
    }

    private void signedNumber() {
        consume('n');
        if (!isDigit(peek())) {
            throw new Malformed();
        }
        number();
    }

    private ItaniumNode name(NameState state) {
        enter();
        try {
            char c = peek();
            if (c == 'N') {
                return nestedName(state);
            }
            if (c == 'Z') {
                return localName(state);
            }
            ItaniumNode n;
            boolean substitution = false;
            if (c == 'S' && peek(1) != 't') {
                n = substitution();
                substitution = true;
                if (peek() != 'I') {
                    throw new Malformed();
                }
            } else {
                n = unscopedName(state);
            }
            if (peek() == 'I') {
                if (!substitution) {
                    subs.add(n);
                }
                TemplateArgs args = templateArgs(state != null);
                if (state != null) {
                    state.endsWithTemplateArgs = true;
                    state.templateArgs = args.args;
                }
                n = new Template(n, args);
            }
            return n;
        } finally {
            leave();
        }
    }

    private ItaniumNode unscopedName(NameState state) {
        if (consume("St")) {
            return new Nested(new Name("std"), unqualifiedName(state, null));
        }
        return unqualifiedName(state, null);
    }

    private ItaniumNode nestedName(NameState state) {
        expect('N');
        String qualifiers = cvQualifiers();
        if (consume('R')) {
            qualifiers += " &";
        } else if (consume('O')) {
            qualifiers += " &&";
        }
        if (state != null) {
            state.qualifiers = qualifiers;
        }
        ItaniumNode soFar = null;
        boolean lastAdded = false;
        while (!consume('E')) {
            char c = peek();
            if (state != null) {
                // template arguments keep what the name before them was (a constructor template has no return type)
                state.ctorDtorConversion &= c == 'I';
                state.endsWithTemplateArgs = false;
            }
            if (c == 'T') {
                soFar = join(soFar, templateParam());
            } else if (c == 'I') {
                if (soFar == null) {
                    throw new Malformed();
                }
                TemplateArgs args = templateArgs(state != null);
                soFar = new Template(soFar, args);
                if (state != null) {
                    state.endsWithTemplateArgs = true;
                    state.templateArgs = args.args;
                }
            } else if (c == 'D' && (peek(1) == 't' || peek(1) == 'T')) {
                soFar = join(soFar, decltype());
            } else if (c == 'S' && peek(1) != 't') {
                if (soFar != null) {
                    throw new Malformed();
                }
                soFar = substitution();
                lastAdded = false;
                continue;
            } else if (c == 'S') {
                if (soFar != null) {
                    throw new Malformed();
                }
                pos += 2;
                soFar = new Nested(new Name("std"), unqualifiedName(state, null));
            } else if (c == 'C' || (c == 'D' && peek(1) != 'C')) {
                if (soFar == null) {
                    throw new Malformed();
                }
                soFar = new Nested(soFar, ctorDtor());
                if (state != null) {
                    state.ctorDtorConversion = true;
                }
            } else if (c == 'M') {
                pos++;
                if (soFar == null) {
                    throw new Malformed();
                }
                continue;
            } else {
                soFar = join(soFar, unqualifiedName(state, soFar));
            }
            subs.add(soFar);
            lastAdded = true;
        }
        if (soFar == null) {
            throw new Malformed();
        }
        if (lastAdded) {
            subs.remove(subs.size() - 1);
        }
        return soFar;
    }

    private static ItaniumNode join(ItaniumNode scope, ItaniumNode name) {
        return scope == null ? name : new Nested(scope, name);
    }

    /**
     * A constructor or destructor is named, as libiberty names it, after the last source name read outside
     * template arguments and ABI tags: {@code A<B::C>::A()}, but {@code X::{unnamed type#1}::X()}, and an
     * inherited constructor after its base.
     */
    private ItaniumNode ctorDtor() {
        String base = lastName;
        if (base == null) {
            throw new Malformed();
        }
        ItaniumNode n;
        if (consume('C')) {
            boolean inheriting = consume('I');
            char v = peek();
            if (v < '1' || v > '5') {
                throw new Malformed();
            }
            pos++;
            if (inheriting) {
                type();
                base = lastName;
            }
            n = new CtorDtor(base, false);
        } else {
            expect('D');
            char v = peek();
            if (v != '0' && v != '1' && v != '2' && v != '4' && v != '5') {
                throw new Malformed();
            }
            pos++;
            n = new CtorDtor(base, true);
        }
        return abiTags(n);
    }

    private ItaniumNode abiTags(ItaniumNode n) {
        while (consume('B')) {
            n = new AbiTag(n, sourceNameText());
        }
        return n;
    }

    private ItaniumNode unqualifiedName(NameState state, ItaniumNode scope) {
        char c = peek();
        ItaniumNode n;
        if (isDigit(c)) {
            n = sourceName();
        } else if (isLower(c)) {
            n = operatorName(state);
        } else if (c == 'U') {
            n = unnamedOrLambda();
            return abiTags(n);
        } else if (c == 'L') {
            pos++;
            n = sourceName();
            discriminator();
        } else if (c == 'C' || c == 'D') {
            if (scope == null) {
                throw new Malformed();
            }
            return ctorDtor();
        } else {
            throw new Malformed();
        }
        return abiTags(n);
    }

    private String sourceNameText() {
        if (!isDigit(peek())) {
            throw new Malformed();
        }
        int length = number();
        if (length <= 0 || length > s.length() - pos) {
            throw new Malformed();
        }
        String text = s.substring(pos, pos + length);
        pos += length;
        return text;
    }

    private ItaniumNode sourceName() {
        String text = sourceNameText();
        lastName = text;
        // g++'s anonymous namespace: _GLOBAL_ followed by '.', '_' or '$', then 'N'
        if (text.length() >= 10 && text.startsWith("_GLOBAL_") && ".$_".indexOf(text.charAt(8)) >= 0
                && text.charAt(9) == 'N') {
            lastName = "(anonymous namespace)";
            return new Name(lastName);
        }
        return new Name(text);
    }

    private ItaniumNode unnamedOrLambda() {
        expect('U');
        if (consume('t')) {
            int n = isDigit(peek()) ? number() + 2 : 1;
            expect('_');
            return new Name("{unnamed type#" + n + "}");
        }
        if (consume('l')) {
            List<ItaniumNode> params = new ArrayList<>();
            while (!consume('E')) {
                if (atEnd()) {
                    throw new Malformed();
                }
                params.add(type());
            }
            int n = isDigit(peek()) ? number() + 2 : 1;
            expect('_');
            return new Lambda(voidIsNone(params), n);
        }
        throw new Malformed();
    }

    /** {@code _ <digit>} or {@code __ <number> _} after a local entity; not printed by c++filt. */
    private void discriminator() {
        if (!consume('_')) {
            return;
        }
        boolean two = consume('_');
        int n = number();
        if (two && n >= 10) {
            expect('_');
        }
    }

    private ItaniumNode localName(NameState state) {
        expect('Z');
        ItaniumNode function = encoding(true);
        expect('E');
        if (consume('s')) {
            discriminator();
            return new Local(function, new Name("string literal"));
        }
        ItaniumNode entity;
        if (consume('d')) {
            int n = compactNumber();
            entity = new Local(new Name("{default arg#" + (n + 1) + "}"), name(state));
            return new Local(function, entity);
        }
        entity = name(state);
        if (!(entity instanceof Lambda) && !isUnnamed(entity)) {
            discriminator();
        }
        return new Local(function, entity);
    }

    private static boolean isUnnamed(ItaniumNode n) {
        return n instanceof Name name && name.text.startsWith("{unnamed type#");
    }

    // ---- operators

    private ItaniumNode operatorName(NameState state) {
        if (consume("cv")) {
            boolean saved = permitForwardRefs;
            boolean savedConversion = inConversionType;
            permitForwardRefs = state != null;
            inConversionType = true;
            ItaniumNode t;
            try {
                t = type();
            } finally {
                permitForwardRefs = saved;
                inConversionType = savedConversion;
            }
            if (state != null) {
                state.ctorDtorConversion = true;
            }
            return new Conversion(t);
        }
        if (consume("li")) {
            return new Operator("\"\" " + sourceNameText());
        }
        if (peek() == 'v' && isDigit(peek(1))) {
            pos += 2;
            return new Operator(" " + sourceNameText());
        }
        String[] op = ItaniumOperators.lookup(s, pos);
        if (op == null) {
            throw new Malformed();
        }
        pos += 2;
        return new Operator(op[1]);
    }

    // ---- types

    private String cvQualifiers() {
        StringBuilder q = new StringBuilder();
        boolean r = consume('r');
        boolean v = consume('V');
        boolean k = consume('K');
        if (k) {
            q.append(" const");
        }
        if (v) {
            q.append(" volatile");
        }
        if (r) {
            q.append(" restrict");
        }
        return q.toString();
    }

    ItaniumNode type() {
        enter();
        try {
            ItaniumNode builtin = ItaniumOperators.builtin(s, pos);
            if (builtin != null) {
                pos += s.charAt(pos) == 'D' ? 2 : 1;
                return builtin;
            }
            ItaniumNode t;
            char c = peek();
            switch (c) {
                case 'r', 'V', 'K' -> {
                    String q = cvQualifiers();
                    if (peek() == 'F') {
                        t = functionType().withQualifiers(q);
                    } else {
                        t = new Qualified(type(), q);
                    }
                }
                case 'U' -> {
                    if (peek(1) == 't' || peek(1) == 'l') {
                        t = name(null);
                    } else {
                        pos++;
                        ItaniumNode qualifier = sourceName();
                        if (peek() == 'I') {
                            qualifier = new Template(qualifier, templateArgs(false));
                        }
                        t = new VendorQualified(type(), qualifier);
                    }
                }
                case 'F' -> t = functionType();
                case 'A' -> t = arrayType();
                case 'M' -> {
                    pos++;
                    ItaniumNode owner = type();
                    t = new MemberPointer(owner, type());
                }
                case 'T' -> {
                    t = templateParam();
                    // in a conversion operator's type, T_I…E is a forward reference and the operator's arguments
                    if (peek() == 'I' && !inConversionType) {
                        subs.add(t);
                        t = new Template(t, templateArgs(false));
                    }
                }
                case 'P' -> {
                    pos++;
                    t = new Pointer(type(), "*");
                }
                case 'R' -> {
                    pos++;
                    t = new Pointer(type(), "&");
                }
                case 'O' -> {
                    pos++;
                    t = new Pointer(type(), "&&");
                }
                case 'C' -> {
                    pos++;
                    t = new Pointer(type(), " _Complex");
                }
                case 'G' -> {
                    pos++;
                    t = new Pointer(type(), " _Imaginary");
                }
                case 'u' -> {
                    pos++;
                    t = sourceName();
                }
                case 'D' -> t = dType();
                case 'S' -> {
                    if (peek(1) == 't') {
                        t = name(null);
                    } else {
                        ItaniumNode sub = substitution();
                        if (peek() != 'I') {
                            return sub;
                        }
                        t = new Template(sub, templateArgs(false));
                    }
                }
                default -> {
                    if (c == 'N' || c == 'Z' || isDigit(c)) {
                        t = name(null);
                    } else {
                        throw new Malformed();
                    }
                }
            }
            subs.add(t);
            return t;
        } finally {
            leave();
        }
    }

    private ItaniumNode dType() {
        char c = peek(1);
        switch (c) {
            case 'p':
                pos += 2;
                return new PackExpansion(type());
            case 't', 'T':
                return decltype();
            case 'v': {
                pos += 2;
                ItaniumNode dim;
                if (isDigit(peek())) {
                    dim = new Name(Integer.toString(number()));
                } else {
                    expect('_');
                    dim = expression();
                }
                expect('_');
                return new Vector(type(), dim);
            }
            case 'F': {
                pos += 2;
                int bits = number();
                String text = "_Float" + bits;
                if (consume('x')) {
                    text += "x";
                } else {
                    expect('_');
                }
                return new Name(text);
            }
            case 'o', 'O', 'w', 'x':
                return functionType();
            default:
                throw new Malformed();
        }
    }

    private FunctionType functionType() {
        String exceptionSpec = "";
        if (consume("Do")) {
            exceptionSpec = " noexcept";
        } else if (consume("DO")) {
            expression();
            expect('E');
            exceptionSpec = " noexcept";
        } else if (consume("Dw")) {
            while (!consume('E')) {
                if (atEnd()) {
                    throw new Malformed();
                }
                type();
            }
            exceptionSpec = " throw";
        }
        consume("Dx");
        expect('F');
        consume('Y');
        ItaniumNode ret = type();
        List<ItaniumNode> params = new ArrayList<>();
        String ref = "";
        while (true) {
            if (consume('E')) {
                break;
            }
            if (peek() == 'R' && peek(1) == 'E') {
                pos += 2;
                ref = " &";
                break;
            }
            if (peek() == 'O' && peek(1) == 'E') {
                pos += 2;
                ref = " &&";
                break;
            }
            if (atEnd()) {
                throw new Malformed();
            }
            params.add(type());
        }
        return new FunctionType(ret, voidIsNone(params), ref + exceptionSpec);
    }

    private ItaniumNode arrayType() {
        expect('A');
        ItaniumNode dim = null;
        if (isDigit(peek())) {
            dim = new Name(Integer.toString(number()));
        } else if (peek() != '_') {
            dim = expression();
        }
        expect('_');
        return new Array(type(), dim);
    }

    private ItaniumNode decltype() {
        expect('D');
        if (!consume('t') && !consume('T')) {
            throw new Malformed();
        }
        ItaniumNode e = expression();
        expect('E');
        return new Decltype(e);
    }

    // ---- substitutions and template parameters

    private ItaniumNode substitution() {
        expect('S');
        char c = peek();
        if (c == '_' || isDigit(c) || (c >= 'A' && c <= 'Z')) {
            long id = 0;
            if (c != '_') {
                while (peek() != '_') {
                    char d = peek();
                    int v;
                    if (isDigit(d)) {
                        v = d - '0';
                    } else if (d >= 'A' && d <= 'Z') {
                        v = d - 'A' + 10;
                    } else {
                        throw new Malformed();
                    }
                    id = id * 36 + v;
                    if (id > Integer.MAX_VALUE) {
                        throw new Malformed();
                    }
                    pos++;
                }
                id++;
            }
            pos++;
            if (id >= subs.size()) {
                throw new Malformed();
            }
            return subs.get((int) id);
        }
        pos++;
        String[] abbreviation = switch (c) {
            case 'a' -> new String[] {"std::allocator", "allocator"};
            case 'b' -> new String[] {"std::basic_string", "basic_string"};
            case 's' -> new String[] {
                "std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "basic_string"};
            case 'i' -> new String[] {"std::basic_istream<char, std::char_traits<char> >", "basic_istream"};
            case 'o' -> new String[] {"std::basic_ostream<char, std::char_traits<char> >", "basic_ostream"};
            case 'd' -> new String[] {"std::basic_iostream<char, std::char_traits<char> >", "basic_iostream"};
            default -> throw new Malformed();
        };
        lastName = abbreviation[1];
        return new Name(abbreviation[0]);
    }

    /** A {@code T_} met in a conversion operator's type before the template arguments it names. */
    private static final class ForwardRef extends ItaniumNode {
        final int index;
        ItaniumNode target;

        ForwardRef(int index) {
            this.index = index;
        }

        @Override
        ItaniumNode resolve(ItaniumOutput out) {
            return target.resolve(out);
        }

        @Override
        void printLeft(ItaniumOutput out) {
            target.printLeft(out);
        }

        @Override
        void printRight(ItaniumOutput out) {
            target.printRight(out);
        }

        @Override
        boolean hasRight(ItaniumOutput out) {
            return target.hasRight(out);
        }

        @Override
        boolean isArray(ItaniumOutput out) {
            return target.isArray(out);
        }

        @Override
        boolean isFunction(ItaniumOutput out) {
            return target.isFunction(out);
        }

        @Override
        ItaniumNode.Pack findPack(ItaniumOutput out) {
            return target.findPack(out);
        }
    }

    private void resolveForwardRefs(int from) {
        while (forwardRefs.size() > from) {
            ForwardRef r = forwardRefs.remove(forwardRefs.size() - 1);
            if (templateParams == null || r.index >= templateParams.size()) {
                throw new Malformed();
            }
            r.target = templateParams.get(r.index);
        }
    }

    private ItaniumNode templateParam() {
        expect('T');
        int index = compactNumber();
        if (permitForwardRefs) {
            ForwardRef r = new ForwardRef(index);
            forwardRefs.add(r);
            return r;
        }
        return new TemplateParam(index);
    }

    private TemplateArgs templateArgs(boolean tag) {
        expect('I');
        List<ItaniumNode> own = tag ? new ArrayList<>() : null;
        if (tag) {
            templateParams = own;
        }
        List<ItaniumNode> args = new ArrayList<>();
        String savedLastName = lastName;
        boolean savedConversion = inConversionType;
        inConversionType = false;
        while (!consume('E')) {
            if (atEnd()) {
                throw new Malformed();
            }
            ItaniumNode a = templateArg();
            if (tag) {
                templateParams = own;
                own.add(a);
            }
            args.add(a);
        }
        inConversionType = savedConversion;
        lastName = savedLastName;
        return new TemplateArgs(args);
    }

    private ItaniumNode templateArg() {
        enter();
        try {
            char c = peek();
            if (c == 'X') {
                pos++;
                ItaniumNode e = expression();
                expect('E');
                return e;
            }
            if (c == 'J') {
                pos++;
                List<ItaniumNode> elements = new ArrayList<>();
                while (!consume('E')) {
                    if (atEnd()) {
                        throw new Malformed();
                    }
                    elements.add(templateArg());
                }
                return new Pack(elements);
            }
            if (c == 'L') {
                return exprPrimary();
            }
            return type();
        } finally {
            leave();
        }
    }

    // ---- expressions

    private ItaniumNode exprPrimary() {
        expect('L');
        if (consume("_Z") || consume("Z")) {
            List<ItaniumNode> savedParams = templateParams;
            ItaniumNode e = encoding();
            templateParams = savedParams;
            expect('E');
            return e;
        }
        ItaniumNode type = type();
        if (consume('E')) {
            return type;
        }
        boolean negative = consume('n');
        int start = pos;
        while (!atEnd() && peek() != 'E') {
            pos++;
        }
        String value = s.substring(start, pos);
        expect('E');
        return new Literal(type, value, negative);
    }

    private ItaniumNode expression() {
        enter();
        try {
            return expressionBody();
        } finally {
            leave();
        }
    }

    private ItaniumNode expressionBody() {
        char c = peek();
        if (c == 'L') {
            return exprPrimary();
        }
        if (c == 'T') {
            return templateParam();
        }
        if (isDigit(c)) {
            return unresolvedName();
        }
        if (consume("sr")) {
            return scopedUnresolved();
        }
        if (consume("fp")) {
            cvQualifiers();
            int n = compactNumber();
            return new FunctionParam("{parm#" + (n + 1) + "}");
        }
        if (consume("fL")) {
            number();
            expect('p');
            cvQualifiers();
            int n = compactNumber();
            return new FunctionParam("{parm#" + (n + 1) + "}");
        }
        if (consume("sp")) {
            return new PackExpansion(expression());
        }
        if (consume("sZ")) {
            return new SizeofPack(peek() == 'T' ? templateParam() : expression());
        }
        if (consume("st")) {
            return new Unary("sizeof ", type(), true);
        }
        if (consume("at")) {
            return new Unary("alignof ", type(), true);
        }
        if (consume("cl")) {
            ItaniumNode callee = expression();
            List<ItaniumNode> args = new ArrayList<>();
            while (!consume('E')) {
                if (atEnd()) {
                    throw new Malformed();
                }
                args.add(expression());
            }
            return new Call(callee, args);
        }
        if (consume("cv")) {
            ItaniumNode type = type();
            List<ItaniumNode> args = new ArrayList<>();
            if (consume('_')) {
                while (!consume('E')) {
                    if (atEnd()) {
                        throw new Malformed();
                    }
                    args.add(expression());
                }
            } else {
                args.add(expression());
            }
            return new Cast(type, args);
        }
        if (consume("tl")) {
            ItaniumNode type = type();
            return new InitList(type, expressionsUntilE());
        }
        if (consume("il")) {
            return new InitList(null, expressionsUntilE());
        }
        for (String[] cast : new String[][] {{"sc", "static_cast"}, {"dc", "dynamic_cast"},
                {"cc", "const_cast"}, {"rc", "reinterpret_cast"}}) {
            if (consume(cast[0])) {
                ItaniumNode type = type();
                return new NamedCast(cast[1], type, expression());
            }
        }
        if (consume("dt") || consume("pt")) {
            String op = s.charAt(pos - 2) == 'd' ? "." : "->";
            ItaniumNode object = expression();
            return new Binary(op, object, unresolvedName());
        }
        if (consume("gs")) {
            return new Unary("::", expression(), false);
        }
        if (consume("tr")) {
            return new Name("throw");
        }
        String[] op = ItaniumOperators.lookup(s, pos);
        if (op == null) {
            throw new Malformed();
        }
        pos += 2;
        String symbol = op[1];
        int arity = Integer.parseInt(op[2]);
        if (arity == 1) {
            if ((op[0].equals("pp") || op[0].equals("mm")) && consume('_')) {
                return new Unary(symbol, expression(), false);
            }
            ItaniumNode operand = expression();
            if (op[0].equals("pp") || op[0].equals("mm")) {
                return new Postfix(symbol, operand);
            }
            if (op[0].equals("ad") && operand instanceof Encoding e && e.name instanceof Nested) {
                // c++filt leaves out the parameters of a qualified function whose address is taken
                return new Unary(symbol, e.name, false);
            }
            return new Unary(symbol, operand, false);
        }
        if (arity == 2) {
            ItaniumNode left = expression();
            return new Binary(symbol, left, expression());
        }
        if (arity == 3) {
            ItaniumNode a = expression();
            ItaniumNode b = expression();
            return new Conditional(a, b, expression());
        }
        throw new Malformed();
    }

    private List<ItaniumNode> expressionsUntilE() {
        List<ItaniumNode> items = new ArrayList<>();
        while (!consume('E')) {
            if (atEnd()) {
                throw new Malformed();
            }
            items.add(expression());
        }
        return items;
    }

    private ItaniumNode unresolvedBaseName() {
        if (consume("on")) {
            return operatorName(null);
        }
        if (consume("dn")) {
            return new Name("~" + sourceNameText());
        }
        return sourceName();
    }

    /** A source name or operator in an expression, with template arguments (not tagged as the function's). */
    private ItaniumNode unresolvedName() {
        ItaniumNode n = unresolvedBaseName();
        if (peek() == 'I') {
            n = new Template(n, templateArgs(false));
        }
        return n;
    }

    /**
     * {@code sr}: libiberty first reads {@code sr <prefix> E <name>} (Clang's {@code sr3stdE11is_signed_v}), whose
     * prefix adds no substitution candidates, and if the whole name then fails, reads it again the old way,
     * {@code sr <type> <name>} (g++'s {@code sr1BIT_E5value}); {@code srN…} is always a nested-name type.
     */
    private ItaniumNode scopedUnresolved() {
        char c = peek();
        ItaniumNode scope;
        if (unresolvedPrefixFirst && (isDigit(c) || isLower(c) || c == 'C' || c == 'U' || c == 'L')) {
            triedUnresolvedPrefix = true;
            scope = null;
            while (peek() != 'E') {
                if (atEnd()) {
                    throw new Malformed();
                }
                char k = peek();
                if (k == 'T') {
                    scope = join(scope, templateParam());
                } else if (k == 'I') {
                    if (scope == null) {
                        throw new Malformed();
                    }
                    scope = new Template(scope, templateArgs(false));
                } else if (k == 'D' && (peek(1) == 't' || peek(1) == 'T')) {
                    scope = join(scope, decltype());
                } else if (k == 'M') {
                    pos++;
                } else {
                    scope = join(scope, unqualifiedName(null, scope));
                }
            }
            pos++;
        } else {
            scope = type();
        }
        // c++filt wraps the qualified name in the template arguments: a call through it prints in parentheses
        ItaniumNode base = unresolvedBaseName();
        ItaniumNode n = new Nested(scope, base);
        if (peek() == 'I') {
            n = new Template(n, templateArgs(false));
        }
        return n;
    }
}
