package org.leakscope.demangle;

import org.leakscope.demangle.MsvcNodes.Identifier;
import org.leakscope.demangle.MsvcNodes.Named;

/** The one-letter codes of MSVC decorated names: operators, function classes, calling conventions, types. */
final class MsvcOperators {
    static final int BASIC = 0;
    static final int UNDER = 1;
    static final int DOUBLE_UNDER = 2;

    // Indexed by 0-9 then A-Z after ?, ?_ and ?__; null: not an operator here (handled elsewhere, or unused).
    private static final String[] BASIC_CODES = {
        null, null, "operator new", "operator delete", "operator=", "operator>>", "operator<<", "operator!",
        "operator==", "operator!=", "operator[]", null, "operator->", "operator*", "operator++", "operator--",
        "operator-", "operator+", "operator&", "operator->*", "operator/", "operator%", "operator<", "operator<=",
        "operator>", "operator>=", "operator,", "operator()", "operator~", "operator^", "operator|", "operator&&",
        "operator||", "operator*=", "operator+=", "operator-=",
    };
    private static final String[] UNDER_CODES = {
        "operator/=", "operator%=", "operator>>=", "operator<<=", "operator&=", "operator|=", "operator^=",
        null, null, null, null, null, null, "`vbase dtor'", "`vector deleting dtor'", "`default ctor closure'",
        "`scalar deleting dtor'", "`vector ctor iterator'", "`vector dtor iterator'",
        "`vector vbase ctor iterator'", "`virtual displacement map'", "`eh vector ctor iterator'",
        "`eh vector dtor iterator'", "`eh vector vbase ctor iterator'", "`copy ctor closure'", null, null, null,
        null, "`local vftable ctor closure'", "operator new[]", "operator delete[]", null, null, null, null,
    };
    private static final String[] DOUBLE_UNDER_CODES = {
        null, null, null, null, null, null, null, null, null, null, "`managed vector ctor iterator'",
        "`managed vector dtor iterator'", "`EH vector copy ctor iterator'", "`EH vector vbase copy ctor iterator'",
        null, null, "`vector copy ctor iterator'", "`vector vbase copy constructor iterator'",
        "`managed vector vbase copy constructor iterator'", null, null, "operator co_await", "operator<=>", null,
        null, null, null, null, null, null, null, null, null, null, null, null,
    };

    private MsvcOperators() {
    }

    /** The operator or compiler-made function a code names; an unused code prints as nothing, as in LLVM. */
    static Identifier intrinsic(char code, int group) {
        int i;
        if (code >= '0' && code <= '9') {
            i = code - '0';
        } else if (code >= 'A' && code <= 'Z') {
            i = code - 'A' + 10;
        } else {
            throw MsvcDemangler.Refused.INSTANCE;
        }
        String[] table = group == BASIC ? BASIC_CODES : group == UNDER ? UNDER_CODES : DOUBLE_UNDER_CODES;
        return new Named(table[i] == null ? "" : table[i]);
    }

    private static final int PUB = MsvcNodes.FC_PUBLIC;
    private static final int PRO = MsvcNodes.FC_PROTECTED;
    private static final int PRI = MsvcNodes.FC_PRIVATE;
    private static final int STA = MsvcNodes.FC_STATIC;
    private static final int VIR = MsvcNodes.FC_VIRTUAL;
    private static final int FAR = MsvcNodes.FC_FAR;
    private static final int ADJ = MsvcNodes.FC_STATIC_THIS_ADJUST;

    /** Function class by letter A-Z: access, static/virtual/thunk, near/far. */
    static final int[] FUNCTION_CLASSES = {
        PRI, PRI | FAR, PRI | STA, PRI | STA | FAR, PRI | VIR, PRI | VIR | FAR, PRI | ADJ, PRI | ADJ | FAR,
        PRO, PRO | FAR, PRO | STA, PRO | STA | FAR, PRO | VIR, PRO | VIR | FAR, PRO | VIR | ADJ,
        PRO | VIR | ADJ | FAR,
        PUB, PUB | FAR, PUB | STA, PUB | STA | FAR, PUB | VIR, PUB | VIR | FAR, PUB | VIR | ADJ,
        PUB | VIR | ADJ | FAR,
        MsvcNodes.FC_GLOBAL, MsvcNodes.FC_GLOBAL | FAR,
    };

    /** The calling convention of a letter, or null (printed as nothing) for one LLVM does not know. */
    static String callingConvention(char c) {
        switch (c) {
            case 'A': case 'B': return "__cdecl";
            case 'C': case 'D': return "__pascal";
            case 'E': case 'F': return "__thiscall";
            case 'G': case 'H': return "__stdcall";
            case 'I': case 'J': return "__fastcall";
            case 'M': case 'N': return "__clrcall";
            case 'O': case 'P': return "__eabi";
            case 'Q': return "__vectorcall";
            case 'S': return "__attribute__((__swiftcall__)) ";
            case 'W': return "__attribute__((__swiftasynccall__)) ";
            default: return null;
        }
    }

    static String primitive(char c) {
        switch (c) {
            case 'X': return "void";
            case 'D': return "char";
            case 'C': return "signed char";
            case 'E': return "unsigned char";
            case 'F': return "short";
            case 'G': return "unsigned short";
            case 'H': return "int";
            case 'I': return "unsigned int";
            case 'J': return "long";
            case 'K': return "unsigned long";
            case 'M': return "float";
            case 'N': return "double";
            case 'O': return "long double";
            default: return null;
        }
    }

    /** After {@code _}. */
    static String extendedPrimitive(char c) {
        switch (c) {
            case 'N': return "bool";
            case 'J': return "__int64";
            case 'K': return "unsigned __int64";
            case 'W': return "wchar_t";
            case 'Q': return "char8_t";
            case 'S': return "char16_t";
            case 'U': return "char32_t";
            default: return null; // _P auto and _T decltype(auto) came after llvm-undname 14: left out with it
        }
    }
}
