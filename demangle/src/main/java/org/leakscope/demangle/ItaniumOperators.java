package org.leakscope.demangle;

import java.util.HashMap;
import java.util.Map;

/** The Itanium ABI's two-letter operator codes and one-letter builtin types, with c++filt's spellings. */
final class ItaniumOperators {
    private ItaniumOperators() {
    }

    /** code, symbol, arity in expressions. A symbol starting with a letter prints as {@code operator new}. */
    private static final String[][] OPERATORS = {
        {"nw", "new", "1"}, {"na", "new[]", "1"}, {"dl", "delete", "1"}, {"da", "delete[]", "1"},
        {"aw", "co_await", "1"},
        {"ps", "+", "1"}, {"ng", "-", "1"}, {"ad", "&", "1"}, {"de", "*", "1"}, {"co", "~", "1"},
        {"pl", "+", "2"}, {"mi", "-", "2"}, {"ml", "*", "2"}, {"dv", "/", "2"}, {"rm", "%", "2"},
        {"an", "&", "2"}, {"or", "|", "2"}, {"eo", "^", "2"}, {"aS", "=", "2"}, {"pL", "+=", "2"},
        {"mI", "-=", "2"}, {"mL", "*=", "2"}, {"dV", "/=", "2"}, {"rM", "%=", "2"}, {"aN", "&=", "2"},
        {"oR", "|=", "2"}, {"eO", "^=", "2"}, {"ls", "<<", "2"}, {"rs", ">>", "2"}, {"lS", "<<=", "2"},
        {"rS", ">>=", "2"}, {"eq", "==", "2"}, {"ne", "!=", "2"}, {"lt", "<", "2"}, {"gt", ">", "2"},
        {"le", "<=", "2"}, {"ge", ">=", "2"}, {"ss", "<=>", "2"}, {"nt", "!", "1"}, {"aa", "&&", "2"},
        {"oo", "||", "2"}, {"pp", "++", "1"}, {"mm", "--", "1"}, {"cm", ",", "2"}, {"pm", "->*", "2"},
        {"pt", "->", "2"}, {"cl", "()", "2"}, {"ix", "[]", "2"}, {"qu", "?", "3"}, {"sz", "sizeof ", "1"},
        {"az", "alignof ", "1"}, {"tw", "throw ", "1"}, {"te", "typeid ", "1"},
        {"ds", ".*", "2"},
    };

    private static final Map<String, String[]> BY_CODE = new HashMap<>();

    static {
        for (String[] op : OPERATORS) {
            BY_CODE.put(op[0], op);
        }
    }

    /** The operator whose code starts at {@code pos}, or null. */
    static String[] lookup(String s, int pos) {
        if (pos + 2 > s.length()) {
            return null;
        }
        return BY_CODE.get(s.substring(pos, pos + 2));
    }

    /** The builtin type at {@code pos} ({@code i}, {@code Dn}, …), or null; the caller advances past it. */
    static ItaniumNode builtin(String s, int pos) {
        if (pos >= s.length()) {
            return null;
        }
        char c = s.charAt(pos);
        if (c == 'D') {
            if (pos + 1 >= s.length()) {
                return null;
            }
            return switch (s.charAt(pos + 1)) {
                case 'd' -> new ItaniumNode.Builtin("decimal64", 'D');
                case 'e' -> new ItaniumNode.Builtin("decimal128", 'D');
                case 'f' -> new ItaniumNode.Builtin("decimal32", 'D');
                case 'h' -> new ItaniumNode.Builtin("half", 'f');
                case 'i' -> new ItaniumNode.Builtin("char32_t", 'D');
                case 's' -> new ItaniumNode.Builtin("char16_t", 'D');
                case 'u' -> new ItaniumNode.Builtin("char8_t", 'D');
                case 'a' -> new ItaniumNode.Builtin("auto", 'D');
                case 'c' -> new ItaniumNode.Builtin("decltype(auto)", 'D');
                case 'n' -> new ItaniumNode.Builtin("decltype(nullptr)", 'D');
                default -> null;
            };
        }
        return switch (c) {
            case 'a' -> new ItaniumNode.Builtin("signed char", 'D');
            case 'b' -> new ItaniumNode.Builtin("bool", 'b');
            case 'c' -> new ItaniumNode.Builtin("char", 'D');
            case 'd' -> new ItaniumNode.Builtin("double", 'f');
            case 'e' -> new ItaniumNode.Builtin("long double", 'f');
            case 'f' -> new ItaniumNode.Builtin("float", 'f');
            case 'g' -> new ItaniumNode.Builtin("__float128", 'f');
            case 'h' -> new ItaniumNode.Builtin("unsigned char", 'D');
            case 'i' -> new ItaniumNode.Builtin("int", 'i');
            case 'j' -> new ItaniumNode.Builtin("unsigned int", 'u');
            case 'l' -> new ItaniumNode.Builtin("long", 'l');
            case 'm' -> new ItaniumNode.Builtin("unsigned long", 'm');
            case 'n' -> new ItaniumNode.Builtin("__int128", 'D');
            case 'o' -> new ItaniumNode.Builtin("unsigned __int128", 'D');
            case 's' -> new ItaniumNode.Builtin("short", 'D');
            case 't' -> new ItaniumNode.Builtin("unsigned short", 'D');
            case 'v' -> new ItaniumNode.Builtin("void", 'D');
            case 'w' -> new ItaniumNode.Builtin("wchar_t", 'D');
            case 'x' -> new ItaniumNode.Builtin("long long", 'x');
            case 'y' -> new ItaniumNode.Builtin("unsigned long long", 'y');
            case 'z' -> new ItaniumNode.Builtin("...", 'D');
            default -> null;
        };
    }
}
