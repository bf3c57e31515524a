package org.leakscope.demangle;

/**
 * Text of a demangled MSVC name, refused (by {@link MsvcDemangler.Refused}) once it would pass its cap: a name
 * may back-reference the same type many times, so its output can grow far faster than the name itself.
 */
final class MsvcOutput {
    /** Leaves out {@code public: } and the like. */
    static final int NO_ACCESS = 1;
    /** Leaves out {@code __cdecl} and the like, also inside function pointer types. */
    static final int NO_CALLING_CONVENTION = 2;
    /** Leaves out a function's return type (not a function pointer's: that is part of its type). */
    static final int NO_RETURN_TYPE = 4;
    /** Leaves out {@code static}, {@code virtual}, {@code extern "C"}. */
    static final int NO_MEMBER_TYPE = 8;
    /** Leaves out a variable's type. */
    static final int NO_VARIABLE_TYPE = 16;
    /** Leaves out {@code class }, {@code struct }, {@code union }, {@code enum } before a type name. */
    static final int NO_TAG = 32;
    /** An empty parameter list as {@code ()}, not {@code (void)}. */
    static final int NO_VOID_PARAMETER = 64;

    /**
     * msvc-demangler-rs' spelling, as mozilla's dump_syms prints it: {@code int*} and {@code char const* const}
     * (nothing before {@code *}, {@code &}, {@code &&}; a space before a qualifier after them), {@code > >},
     * {@code int64_t}/{@code uint64_t}/{@code int128_t}/{@code uint128_t}.
     */
    static final int MOZILLA_SPELLING = 128;

    private final StringBuilder text = new StringBuilder();
    private final int cap;

    MsvcOutput(int cap) {
        this.cap = cap;
    }

    MsvcOutput append(String s) {
        if (text.length() + s.length() > cap) {
            throw MsvcDemangler.Refused.INSTANCE;
        }
        text.append(s);
        return this;
    }

    MsvcOutput append(char c) {
        if (text.length() + 1 > cap) {
            throw MsvcDemangler.Refused.INSTANCE;
        }
        text.append(c);
        return this;
    }

    boolean isEmpty() {
        return text.length() == 0;
    }

    char last() {
        return text.charAt(text.length() - 1);
    }

    int length() {
        return text.length();
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
