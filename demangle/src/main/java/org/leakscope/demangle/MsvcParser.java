package org.leakscope.demangle;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.demangle.MsvcNodes.Array;
import org.leakscope.demangle.MsvcNodes.ConversionOperator;
import org.leakscope.demangle.MsvcNodes.Custom;
import org.leakscope.demangle.MsvcNodes.DynamicStructor;
import org.leakscope.demangle.MsvcNodes.Function;
import org.leakscope.demangle.MsvcNodes.FunctionSignature;
import org.leakscope.demangle.MsvcNodes.Identifier;
import org.leakscope.demangle.MsvcNodes.IntegerLiteral;
import org.leakscope.demangle.MsvcNodes.LiteralOperator;
import org.leakscope.demangle.MsvcNodes.LocalStaticGuard;
import org.leakscope.demangle.MsvcNodes.Named;
import org.leakscope.demangle.MsvcNodes.NameOnly;
import org.leakscope.demangle.MsvcNodes.Node;
import org.leakscope.demangle.MsvcNodes.Pointer;
import org.leakscope.demangle.MsvcNodes.Primitive;
import org.leakscope.demangle.MsvcNodes.QualifiedName;
import org.leakscope.demangle.MsvcNodes.RttiBaseClassDescriptor;
import org.leakscope.demangle.MsvcNodes.SpecialTable;
import org.leakscope.demangle.MsvcNodes.Structor;
import org.leakscope.demangle.MsvcNodes.Symbol;
import org.leakscope.demangle.MsvcNodes.SymbolReference;
import org.leakscope.demangle.MsvcNodes.Tag;
import org.leakscope.demangle.MsvcNodes.ThunkSignature;
import org.leakscope.demangle.MsvcNodes.Type;
import org.leakscope.demangle.MsvcNodes.Variable;
import org.leakscope.demangle.MsvcNodes.VcallThunk;

/**
 * One MSVC decorated name, read left to right into {@link MsvcNodes}. The grammar is the one LLVM's
 * MicrosoftDemangle.cpp and Wine's undname.c describe; any departure from it throws
 * {@link MsvcDemangler.Refused}, as does passing the depth or output caps.
 */
final class MsvcParser {
    /** Back-references {@code 0}-{@code 9}: the first ten names, and the first ten multi-letter parameter types. */
    private static final int MAX_BACK_REFERENCES = 10;

    private final String s;
    private int pos;
    private int depth;
    /** Characters left for rendering names into back-references and local scopes (each bounded on its own too). */
    private long renderBudget = MsvcDemangler.MAX_RENDERED_LENGTH;

    /**
     * Names for back-references, and the text each is compared by (LLVM keeps only the text, rendered in the
     * full form; keeping the node lets the short form print a back-referenced template without tag keywords).
     */
    private List<Identifier> names = new ArrayList<>();
    private List<String> nameKeys = new ArrayList<>();
    private List<Type> params = new ArrayList<>();
    /**
     * The name has a pointer or reference to a function that is not spelled {@code P6}, {@code A6} or
     * {@code P8} ({@code Q6}: {@code int (* const)(unsigned int)}, {@code $$Q6}, {@code R8}): msvc-demangler-rs
     * reads the digit after such a pointer as a back-reference, so mozilla's dump_syms leaves the name mangled.
     */
    boolean qualifiedFunctionPointer;

    MsvcParser(String mangled) {
        this.s = mangled;
    }

    /** The whole name; what follows a complete symbol is ignored, as llvm-undname does. */
    Symbol parseAll() {
        return parse();
    }

    // ---- cursor ----

    private static MsvcDemangler.Refused fail() {
        return MsvcDemangler.Refused.INSTANCE;
    }

    boolean empty() {
        return pos >= s.length();
    }

    private char peek() {
        if (pos >= s.length()) {
            throw fail();
        }
        return s.charAt(pos);
    }

    char next() {
        char c = peek();
        pos++;
        return c;
    }

    private boolean startsWith(String prefix) {
        return s.startsWith(prefix, pos);
    }

    private boolean startsWith(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    boolean consume(char c) {
        if (startsWith(c)) {
            pos++;
            return true;
        }
        return false;
    }

    boolean consume(String prefix) {
        if (startsWith(prefix)) {
            pos += prefix.length();
            return true;
        }
        return false;
    }

    private boolean startsWithDigit() {
        return pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9';
    }

    private void enter() {
        if (++depth > MsvcDemangler.MAX_DEPTH) {
            throw fail();
        }
    }

    private void leave() {
        depth--;
    }

    private String render(Node node) {
        MsvcOutput out = new MsvcOutput((int) Math.min(MsvcDemangler.MAX_OUTPUT_LENGTH, renderBudget));
        node.output(out, 0);
        renderBudget -= out.length();
        return out.toString();
    }

    // ---- symbols ----

    private Symbol parse() {
        enter();
        try {
            if (consume('.')) {
                return typeinfoName();
            }
            if (startsWith("??@")) {
                return md5Name();
            }
            if (!consume('?')) {
                throw fail();
            }
            Symbol special = specialIntrinsic();
            return special != null ? special : declarator();
        } finally {
            leave();
        }
    }

    private Symbol typeinfoName() {
        Type t = type(Quals.RESULT);
        if (!empty()) {
            throw fail();
        }
        return typeSymbol(t, "`RTTI Type Descriptor Name'");
    }

    private Symbol md5Name() {
        int start = pos;
        int end = s.indexOf('@', pos + 3);
        if (end < 0) {
            throw fail();
        }
        pos = end + 1;
        // a complete object locator of a hashed class: ??@…@??_R4@
        consume("??_R4@");
        return new NameOnly(qualified(new Named(s.substring(start, pos))));
    }

    private static QualifiedName qualified(Identifier id) {
        List<Identifier> one = new ArrayList<>(1);
        one.add(id);
        return new QualifiedName(one);
    }

    private static Variable typeSymbol(Type type, String description) {
        Variable v = new Variable();
        v.type = type;
        v.describesType = true;
        v.name = qualified(new Named(description));
        return v;
    }

    private Symbol specialIntrinsic() {
        if (consume("?_7")) {
            return specialTable("`vftable'");
        }
        if (consume("?_8")) {
            return specialTable("`vbtable'");
        }
        if (consume("?_9")) {
            return vcallThunk();
        }
        if (startsWith("?_A") || startsWith("?_P")) {
            throw fail(); // typeof, udt returning: no known tool writes them
        }
        if (consume("?_B")) {
            return localStaticGuard(false);
        }
        if (consume("?_C")) {
            return MsvcStringLiteral.parse(this);
        }
        if (consume("?_R0")) {
            Type t = type(Quals.RESULT);
            if (!consume("@8") || !empty()) {
                throw fail();
            }
            return typeSymbol(t, "`RTTI Type Descriptor'");
        }
        if (consume("?_R1")) {
            return rttiBaseClassDescriptor();
        }
        if (consume("?_R2")) {
            return untypedVariable("`RTTI Base Class Array'");
        }
        if (consume("?_R3")) {
            return untypedVariable("`RTTI Class Hierarchy Descriptor'");
        }
        if (consume("?_R4")) {
            return specialTable("`RTTI Complete Object Locator'");
        }
        if (consume("?_S")) {
            return specialTable("`local vftable'");
        }
        if (consume("?__E")) {
            return initFiniStub(false);
        }
        if (consume("?__F")) {
            return initFiniStub(true);
        }
        if (consume("?__J")) {
            return localStaticGuard(true);
        }
        return null;
    }

    /** Skips past the next '@' (the CRC of a string literal), failing when there is none. */
    void skipPastAt() {
        int at = s.indexOf('@', pos);
        if (at < 0) {
            throw fail();
        }
        pos = at + 1;
    }

    private Symbol specialTable(String what) {
        SpecialTable table = new SpecialTable();
        table.name = nameScopeChain(new Named(what));
        char front = next();
        if (front != '6' && front != '7') {
            throw fail();
        }
        table.quals = qualifiers()[0];
        List<QualifiedName> targets = new ArrayList<>();
        while (!consume('@')) {
            targets.add(fullyQualifiedTypeName());
        }
        table.targets = targets.isEmpty() ? null : targets;
        return table;
    }

    private Symbol localStaticGuard(boolean thread) {
        LocalStaticGuard guard = new LocalStaticGuard(thread);
        NameOnly symbol = new NameOnly(nameScopeChain(guard));
        if (!consume("4IA") && !consume('5')) {
            throw fail();
        }
        if (!empty()) {
            guard.scopeIndex = unsigned();
        }
        return symbol;
    }

    private Symbol untypedVariable(String what) {
        Variable v = new Variable();
        v.name = nameScopeChain(new Named(what));
        if (!consume('8')) {
            throw fail();
        }
        return v;
    }

    private Symbol rttiBaseClassDescriptor() {
        RttiBaseClassDescriptor d = new RttiBaseClassDescriptor();
        d.nvOffset = unsigned();
        d.vbptrOffset = signed();
        d.vbTableOffset = unsigned();
        d.attributes = unsigned();
        Variable v = new Variable();
        v.name = nameScopeChain(d);
        consume('8');
        return v;
    }

    private Symbol vcallThunk() {
        VcallThunk thunk = new VcallThunk();
        ThunkSignature sig = new ThunkSignature();
        sig.functionClass = MsvcNodes.FC_NO_PARAMETER_LIST;
        Function f = new Function(sig);
        f.name = nameScopeChain(thunk);
        if (!consume("$B")) {
            throw fail();
        }
        thunk.offset = unsigned();
        if (!consume('A')) {
            throw fail();
        }
        sig.convention = callingConvention();
        return f;
    }

    private Symbol initFiniStub(boolean destructor) {
        DynamicStructor id = new DynamicStructor(destructor);
        boolean staticMember = consume('?');
        Symbol symbol = declarator();
        if (symbol instanceof Variable v) {
            id.variable = v;
            // older clang wrote one '@' and no leading '?'; MSVC writes '?' and two
            for (int i = 0; i < (staticMember ? 2 : 1); i++) {
                if (!consume('@')) {
                    throw fail();
                }
            }
            Function f = functionEncoding();
            f.name = qualified(id);
            return f;
        }
        if (staticMember) {
            throw fail();
        }
        id.name = symbol.name;
        symbol.name = qualified(id);
        return symbol;
    }

    private Symbol declarator() {
        QualifiedName name = fullyQualifiedSymbolName();
        Symbol symbol = encodedSymbol(name);
        symbol.name = name;
        if (name.last() instanceof ConversionOperator op && op.target == null) {
            throw fail();
        }
        return symbol;
    }

    private Symbol encodedSymbol(QualifiedName name) {
        // ARM64EC code of a function that also exists as x64 code: the marker follows the name. llvm-undname 14
        // refuses such names; they are demangled here as the function they are.
        consume("$$h");
        char c = peek();
        if (c >= '0' && c <= '4') {
            pos++;
            return variableEncoding(c - '0' + MsvcNodes.SC_PRIVATE_STATIC);
        }
        Function f = functionEncoding();
        if (name.last() instanceof ConversionOperator op) {
            op.target = f.signature.returnType;
        }
        return f;
    }

    private Variable variableEncoding(int storage) {
        Variable v = new Variable();
        v.storage = storage;
        v.type = type(Quals.DROP);
        if (v.type instanceof Pointer p) {
            p.quals |= pointerExtQualifiers();
            int childQuals = qualifiers()[0];
            if (p.classParent != null) {
                fullyQualifiedTypeName();
            }
            p.pointee.quals |= childQuals;
        } else {
            v.type.quals = qualifiers()[0];
        }
        return v;
    }

    // ---- numbers ----

    private boolean lastNegative;

    /** {@code [?] (0-9 | [A-P]+ @)}: 1-10 as one digit, else hex with A-P for 0-F; its sign in {@link #negative}. */
    long number() {
        lastNegative = consume('?');
        if (startsWithDigit()) {
            return next() - '0' + 1;
        }
        long value = 0;
        while (!empty()) {
            char c = next();
            if (c == '@') {
                return value;
            }
            if (c < 'A' || c > 'P') {
                break;
            }
            value = (value << 4) + (c - 'A');
        }
        throw fail();
    }

    /** Whether the last {@link #number} had a leading {@code ?}. */
    boolean negative() {
        return lastNegative;
    }

    private long unsigned() {
        long n = number();
        if (lastNegative) {
            throw fail();
        }
        return n;
    }

    private long signed() {
        long n = number();
        if (n < 0) {
            throw fail(); // over INT64_MAX
        }
        return lastNegative ? -n : n;
    }

    // ---- names ----

    private void memorize(String name) {
        memorize(name, new Named(name));
    }

    private void memorize(String key, Identifier id) {
        if (names.size() >= MAX_BACK_REFERENCES || nameKeys.contains(key)) {
            return;
        }
        nameKeys.add(key);
        names.add(id);
    }

    private Identifier backReferenceName() {
        int i = next() - '0';
        if (i >= names.size()) {
            throw fail();
        }
        return names.get(i);
    }

    private String simpleString(boolean memorize) {
        int at = s.indexOf('@', pos);
        if (at <= pos) {
            throw fail();
        }
        String name = s.substring(pos, at);
        pos = at + 1;
        if (memorize) {
            memorize(name);
        }
        return name;
    }

    private Identifier templateInstantiationName(boolean asTemplate) {
        enter();
        try {
            pos += 2; // ?$
            List<Identifier> outerNames = names;
            List<String> outerKeys = nameKeys;
            List<Type> outerParams = params;
            names = new ArrayList<>();
            nameKeys = new ArrayList<>();
            params = new ArrayList<>();
            Identifier id;
            try {
                id = unqualifiedSymbolName(true);
                id.templateParams = templateParameterList();
            } finally {
                names = outerNames;
                nameKeys = outerKeys;
                params = outerParams;
            }
            if (asTemplate) {
                // only a leaf name can be a constructor or conversion operator
                if (id instanceof ConversionOperator || id instanceof Structor) {
                    throw fail();
                }
                memorize(render(id), id);
            }
            return id;
        } finally {
            leave();
        }
    }

    private Identifier unqualifiedTypeName(boolean memorize) {
        if (startsWithDigit()) {
            return backReferenceName();
        }
        if (startsWith("?$")) {
            return templateInstantiationName(true);
        }
        return new Named(simpleString(memorize));
    }

    private Identifier unqualifiedSymbolName(boolean memorizeSimple) {
        if (startsWithDigit()) {
            return backReferenceName();
        }
        if (startsWith("?$")) {
            return templateInstantiationName(false);
        }
        if (startsWith('?')) {
            return functionIdentifierCode();
        }
        return new Named(simpleString(memorizeSimple));
    }

    private Identifier nameScopePiece() {
        if (startsWithDigit()) {
            return backReferenceName();
        }
        if (startsWith("?$")) {
            return templateInstantiationName(true);
        }
        if (consume("?A")) {
            int at = s.indexOf('@', pos);
            if (at < 0) {
                throw fail();
            }
            memorize(s.substring(pos, at));
            pos = at + 1;
            return new Named("`anonymous namespace'");
        }
        if (startsWithLocalScope()) {
            return locallyScopedNamePiece();
        }
        return new Named(simpleString(true));
    }

    /** {@code ?<number>?}: a scope inside a function, e.g. {@code ?1??f@@YAXXZ@} for a block of f. */
    private boolean startsWithLocalScope() {
        if (!startsWith('?')) {
            return false;
        }
        int i = pos + 1;
        if (i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        if (c == '@' || (c >= '0' && c <= '9')) {
            return i + 1 < s.length() && s.charAt(i + 1) == '?';
        }
        if (c < 'B' || c > 'P') {
            return false;
        }
        for (i++; i < s.length(); i++) {
            c = s.charAt(i);
            if (c == '@') {
                return i + 1 < s.length() && s.charAt(i + 1) == '?';
            }
            if (c < 'A' || c > 'P') {
                return false;
            }
        }
        return false;
    }

    private Identifier locallyScopedNamePiece() {
        pos++;
        long n = number();
        consume('?');
        return new MsvcNodes.LocalScope(parse(), n);
    }

    private QualifiedName fullyQualifiedTypeName() {
        return nameScopeChain(unqualifiedTypeName(true));
    }

    private QualifiedName fullyQualifiedSymbolName() {
        Identifier id = unqualifiedSymbolName(true);
        QualifiedName name = nameScopeChain(id);
        if (id instanceof Structor structor) {
            if (name.components.size() < 2) {
                throw fail();
            }
            structor.type = name.components.get(name.components.size() - 2);
        }
        return name;
    }

    private QualifiedName nameScopeChain(Identifier leaf) {
        List<Identifier> reversed = new ArrayList<>();
        reversed.add(leaf);
        while (!consume('@')) {
            if (empty()) {
                throw fail();
            }
            reversed.add(nameScopePiece());
        }
        List<Identifier> components = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            components.add(reversed.get(i));
        }
        return new QualifiedName(components);
    }

    private Identifier functionIdentifierCode() {
        pos++; // ?
        if (consume("__")) {
            char c = next();
            if (c == 'K') {
                return new LiteralOperator(simpleString(false));
            }
            return MsvcOperators.intrinsic(c, MsvcOperators.DOUBLE_UNDER);
        }
        if (consume('_')) {
            return MsvcOperators.intrinsic(next(), MsvcOperators.UNDER);
        }
        char c = next();
        if (c == '0' || c == '1') {
            return new Structor(c == '1');
        }
        if (c == 'B') {
            return new ConversionOperator();
        }
        return MsvcOperators.intrinsic(c, MsvcOperators.BASIC);
    }

    // ---- functions ----

    private Function functionEncoding() {
        int extra = consume("$$J0") ? MsvcNodes.FC_EXTERN_C : 0;
        int fc = functionClass() | extra;
        ThunkSignature thunk = null;
        if ((fc & MsvcNodes.FC_STATIC_THIS_ADJUST) != 0) {
            thunk = new ThunkSignature();
            thunk.staticOffset = signed();
        } else if ((fc & MsvcNodes.FC_VIRTUAL_THIS_ADJUST) != 0) {
            thunk = new ThunkSignature();
            if ((fc & MsvcNodes.FC_VIRTUAL_THIS_ADJUST_EX) != 0) {
                thunk.vbptrOffset = signed();
                thunk.vbOffsetOffset = signed();
            }
            thunk.vtordispOffset = signed();
            thunk.staticOffset = signed();
        }
        FunctionSignature sig = thunk != null ? thunk : new FunctionSignature();
        if ((fc & MsvcNodes.FC_NO_PARAMETER_LIST) == 0) {
            functionType(sig, (fc & (MsvcNodes.FC_GLOBAL | MsvcNodes.FC_STATIC)) == 0);
        }
        sig.functionClass = fc;
        return new Function(sig);
    }

    private int functionClass() {
        char c = next();
        if (c == '9') {
            return MsvcNodes.FC_EXTERN_C | MsvcNodes.FC_NO_PARAMETER_LIST;
        }
        if (c >= 'A' && c <= 'Z') {
            int fc = MsvcOperators.FUNCTION_CLASSES[c - 'A'];
            if (fc != 0) {
                return fc;
            }
            throw fail();
        }
        if (c == '$') {
            int adjust = MsvcNodes.FC_VIRTUAL_THIS_ADJUST;
            if (consume('R')) {
                adjust |= MsvcNodes.FC_VIRTUAL_THIS_ADJUST_EX;
            }
            char d = next();
            if (d < '0' || d > '5') {
                throw fail();
            }
            int access = d < '2' ? MsvcNodes.FC_PRIVATE : d < '4' ? MsvcNodes.FC_PROTECTED : MsvcNodes.FC_PUBLIC;
            return access | MsvcNodes.FC_VIRTUAL | adjust | ((d - '0') % 2 == 1 ? MsvcNodes.FC_FAR : 0);
        }
        throw fail();
    }

    private String callingConvention() {
        return MsvcOperators.callingConvention(next());
    }

    private FunctionSignature functionType(FunctionSignature sig, boolean thisQualified) {
        enter();
        try {
            if (thisQualified) {
                sig.quals = pointerExtQualifiers();
                if (consume('G')) {
                    sig.refQualifier = 1;
                } else if (consume('H')) {
                    sig.refQualifier = 2;
                }
                sig.quals |= qualifiers()[0];
            }
            sig.convention = callingConvention();
            if (!consume('@')) {
                sig.returnType = type(Quals.RESULT);
            }
            parameterList(sig);
            if (consume("_E")) {
                sig.noexcept = true;
            } else if (!consume('Z')) {
                throw fail();
            }
            return sig;
        } finally {
            leave();
        }
    }

    private void parameterList(FunctionSignature sig) {
        if (consume('X')) {
            return;
        }
        List<Type> list = new ArrayList<>();
        while (!startsWith('@') && !startsWith('Z')) {
            if (startsWithDigit()) {
                int i = next() - '0';
                if (i >= params.size()) {
                    throw fail();
                }
                list.add(params.get(i));
                continue;
            }
            int before = pos;
            Type t = type(Quals.DROP);
            list.add(t);
            // one-letter types are not worth a back-reference
            if (params.size() < MAX_BACK_REFERENCES && pos - before > 1) {
                params.add(t);
            }
        }
        sig.params = list;
        if (!consume('@')) {
            pos++; // Z
            sig.variadic = true;
        }
    }

    private List<Node> templateParameterList() {
        List<Node> list = new ArrayList<>();
        while (!startsWith('@')) {
            if (consume("$S") || consume("$$V") || consume("$$$V") || consume("$$Z")) {
                continue; // pack separators
            }
            list.add(templateParameter());
        }
        pos++;
        return list;
    }

    private Node templateParameter() {
        if (consume("$$Y")) {
            return fullyQualifiedTypeName(); // alias template
        }
        if (consume("$$B")) {
            return type(Quals.DROP); // array
        }
        if (consume("$$C")) {
            return type(Quals.MANGLE);
        }
        if (startsWith("$1") || startsWith("$H") || startsWith("$I") || startsWith("$J")) {
            pos++;
            char inheritance = next();
            SymbolReference ref = new SymbolReference();
            if (startsWith('?')) {
                ref.symbol = parse();
                if (ref.symbol.name == null) {
                    throw fail();
                }
                memorize(render(ref.symbol.name.last()), ref.symbol.name.last());
            }
            int offsets = inheritance == 'J' ? 3 : inheritance == 'I' ? 2 : inheritance == 'H' ? 1 : 0;
            for (int i = 0; i < offsets; i++) {
                ref.offsets[ref.offsetCount++] = signed();
            }
            ref.pointer = true;
            return ref;
        }
        if (startsWith("$E?")) {
            pos += 2;
            SymbolReference ref = new SymbolReference();
            ref.symbol = parse();
            return ref;
        }
        if (startsWith("$F") || startsWith("$G")) {
            pos++;
            char inheritance = next();
            SymbolReference ref = new SymbolReference();
            int offsets = inheritance == 'G' ? 3 : 2;
            for (int i = 0; i < offsets; i++) {
                ref.offsets[ref.offsetCount++] = signed();
            }
            return ref;
        }
        if (consume("$0")) {
            long value = number();
            return new IntegerLiteral(value, lastNegative);
        }
        return type(Quals.DROP);
    }

    // ---- types ----

    /** Whether a type's own cv-qualifiers are mangled before it: always, when {@code ?} leads, or never. */
    private enum Quals { MANGLE, RESULT, DROP }

    /** {@code [quals, 1 if member]} from one of A-D (non-member) or Q-T (member). */
    private int[] qualifiers() {
        char c = next();
        switch (c) {
            case 'A': return new int[] {0, 0};
            case 'B': return new int[] {MsvcNodes.CONST, 0};
            case 'C': return new int[] {MsvcNodes.VOLATILE, 0};
            case 'D': return new int[] {MsvcNodes.CONST | MsvcNodes.VOLATILE, 0};
            case 'Q': return new int[] {0, 1};
            case 'R': return new int[] {MsvcNodes.CONST, 1};
            case 'S': return new int[] {MsvcNodes.VOLATILE, 1};
            case 'T': return new int[] {MsvcNodes.CONST | MsvcNodes.VOLATILE, 1};
            default: throw fail();
        }
    }

    private int pointerExtQualifiers() {
        int q = 0;
        if (consume('E')) {
            q |= MsvcNodes.PTR64;
        }
        if (consume('I')) {
            q |= MsvcNodes.RESTRICT;
        }
        if (consume('F')) {
            q |= MsvcNodes.UNALIGNED;
        }
        return q;
    }

    private Type type(Quals mode) {
        enter();
        try {
            int quals = 0;
            if (mode == Quals.MANGLE || (mode == Quals.RESULT && consume('?'))) {
                quals = qualifiers()[0];
            }
            char c = peek();
            Type t;
            if (c >= 'T' && c <= 'W') {
                t = classType();
            } else if (startsWith("$$Q") || c == 'A' || (c >= 'P' && c <= 'S')) {
                t = isMemberPointer() ? memberPointerType() : pointerType();
            } else if (c == 'Y') {
                t = arrayType();
            } else if (consume("$$A8@@")) {
                t = functionType(functionAsType(), true);
            } else if (consume("$$A6")) {
                t = functionType(functionAsType(), false);
            } else if (c == '?') {
                pos++;
                t = new Custom(unqualifiedTypeName(true));
                if (!consume('@')) {
                    throw fail();
                }
            } else {
                t = primitiveType();
            }
            t.quals |= quals;
            return t;
        } finally {
            leave();
        }
    }

    private static FunctionSignature functionAsType() {
        FunctionSignature sig = new FunctionSignature();
        sig.isType = true;
        return sig;
    }

    private boolean isMemberPointer() {
        char f = s.charAt(pos);
        if (f == '$' || f == 'A') {
            return false; // rvalue and lvalue references: never to members
        }
        int i = pos + 1;
        if (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            char d = s.charAt(i);
            if (d != '6' && d != '8') {
                throw fail();
            }
            return d == '8';
        }
        for (char ext : new char[] {'E', 'I', 'F'}) {
            if (i < s.length() && s.charAt(i) == ext) {
                i++;
            }
        }
        if (i >= s.length()) {
            throw fail();
        }
        char q = s.charAt(i);
        if (q >= 'A' && q <= 'D') {
            return false;
        }
        if (q >= 'Q' && q <= 'T') {
            return true;
        }
        throw fail();
    }

    /** Pointer cv-qualifiers and kind: {@code $$Q} &&, A &, P *, Q *const, R *volatile, S *const volatile. */
    private Pointer pointerKind() {
        Pointer p = new Pointer();
        if (consume("$$Q")) {
            p.affinity = MsvcNodes.RVALUE_REFERENCE;
            return p;
        }
        char c = next();
        p.affinity = c == 'A' ? MsvcNodes.REFERENCE : MsvcNodes.POINTER;
        p.quals = c == 'Q' ? MsvcNodes.CONST : c == 'R' ? MsvcNodes.VOLATILE
                : c == 'S' ? MsvcNodes.CONST | MsvcNodes.VOLATILE : 0;
        return p;
    }

    private Pointer pointerType() {
        boolean plain = pos < s.length() && (s.charAt(pos) == 'P' || s.charAt(pos) == 'A');
        Pointer p = pointerKind();
        if (consume('6')) {
            qualifiedFunctionPointer |= !plain;
            p.pointee = functionType(new FunctionSignature(), false);
            return p;
        }
        p.quals |= pointerExtQualifiers();
        p.pointee = type(Quals.MANGLE);
        return p;
    }

    private Pointer memberPointerType() {
        boolean plain = pos < s.length() && s.charAt(pos) == 'P';
        Pointer p = pointerKind();
        p.quals |= pointerExtQualifiers();
        if (consume('8')) {
            qualifiedFunctionPointer |= !plain;
            p.classParent = fullyQualifiedTypeName();
            p.pointee = functionType(new FunctionSignature(), true);
        } else {
            int pointeeQuals = qualifiers()[0];
            p.classParent = fullyQualifiedTypeName();
            p.pointee = type(Quals.DROP);
            p.pointee.quals = pointeeQuals;
        }
        return p;
    }

    private Type classType() {
        char c = next();
        String keyword;
        if (c == 'T') {
            keyword = "union";
        } else if (c == 'U') {
            keyword = "struct";
        } else if (c == 'V') {
            keyword = "class";
        } else {
            if (!consume('4')) {
                throw fail();
            }
            keyword = "enum";
        }
        return new Tag(keyword, fullyQualifiedTypeName());
    }

    private Type arrayType() {
        pos++; // Y
        long rank = number();
        if (lastNegative || rank == 0) {
            throw fail();
        }
        List<Long> dims = new ArrayList<>();
        for (long i = 0; Long.compareUnsigned(i, rank) < 0; i++) {
            long d = number();
            if (lastNegative) {
                throw fail();
            }
            dims.add(d);
        }
        Array a = new Array(dims);
        if (consume("$$C")) {
            int[] q = qualifiers();
            if (q[1] != 0) {
                throw fail();
            }
            a.quals = q[0];
        }
        a.element = type(Quals.DROP);
        return a;
    }

    private Type primitiveType() {
        if (consume("$$T")) {
            return new Primitive("std::nullptr_t");
        }
        char c = next();
        String name = c == '_' ? MsvcOperators.extendedPrimitive(next()) : MsvcOperators.primitive(c);
        if (name == null) {
            throw fail();
        }
        return new Primitive(name);
    }
}
