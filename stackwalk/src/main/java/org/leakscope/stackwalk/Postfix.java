package org.leakscope.stackwalk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Breakpad's postfix expressions, as STACK CFI rules ({@code .cfa: $rsp 16 +}) and STACK WIN programs
 * ({@code $T0 $ebp = $eip $T0 4 + ^ = ...}) write them: numbers (decimal, {@code 0x} hex, a leading minus),
 * identifiers looked up in a dictionary ({@code $ebp}, {@code .cbSavedRegs}), the binary operators
 * {@code + - * / %} and {@code @} (align down), {@code ^} (read a word of the stack) and {@code =} (assign to a
 * {@code $} name); {@code =$eip} is read as {@code =} then {@code $eip}, as Breakpad does.
 *
 * <p>Bounded by construction: one pass over at most {@link #MAX_TOKENS} tokens, no loops or calls, a stack of at
 * most as many entries; a read outside the thread's stack, a division by zero, an unknown name or a malformed
 * program makes the whole evaluation fail (null), never throw.
 */
final class Postfix {
    /** Real rules and programs have a few dozen tokens. */
    static final int MAX_TOKENS = 1_000;

    private final Map<String, Long> dictionary;
    private final StackMemory memory;
    private final int wordSize;
    private final long mask;
    /** Numbers (Long) or identifiers not yet resolved (String): {@code =} needs the name, the others its value. */
    private final List<Object> stack = new ArrayList<>();

    private Postfix(Map<String, Long> dictionary, StackMemory memory, int wordSize) {
        this.dictionary = dictionary;
        this.memory = memory;
        this.wordSize = wordSize;
        this.mask = wordSize == 4 ? 0xffffffffL : -1L;
    }

    /**
     * Runs a program of assignments, updating {@code dictionary} and adding each name it assigns to
     * {@code assigned}; false when it failed or left values on the stack (what it assigned before stays, as in
     * Breakpad, whose x86 walker still uses those registers).
     */
    static boolean run(String program, Map<String, Long> dictionary, StackMemory memory, int wordSize,
            Set<String> assigned) {
        Postfix p = new Postfix(dictionary, memory, wordSize);
        return p.evaluate(program, assigned) && p.stack.isEmpty();
    }

    /** The value of one expression, or null when it fails or does not leave exactly one value. */
    static Long value(String expression, Map<String, Long> dictionary, StackMemory memory, int wordSize) {
        Postfix p = new Postfix(dictionary, memory, wordSize);
        if (!p.evaluate(expression, null) || p.stack.size() != 1) {
            return null;
        }
        return p.popValue();
    }

    private boolean evaluate(String text, Set<String> assigned) {
        String[] tokens = text.trim().split("\\s+");
        if (tokens.length > MAX_TOKENS || (tokens.length == 1 && tokens[0].isEmpty())) {
            return false;
        }
        for (String token : tokens) {
            if (token.length() > 1 && token.charAt(0) == '=') {
                if (!token("=", assigned) || !token(token.substring(1), assigned)) {
                    return false;
                }
            } else if (!token(token, assigned)) {
                return false;
            }
        }
        return true;
    }

    private boolean token(String t, Set<String> assigned) {
        switch (t) {
            case "+", "-", "*", "/", "%", "@" -> {
                Long b = popValue();
                Long a = popValue();
                if (a == null || b == null) {
                    return false;
                }
                Long r = binary(t, a, b);
                if (r == null) {
                    return false;
                }
                stack.add(r & mask);
                return true;
            }
            case "^" -> {
                Long address = popValue();
                Long v = address == null ? null : memory.read(address, wordSize);
                if (v == null) {
                    return false;
                }
                stack.add(v);
                return true;
            }
            case "=" -> {
                Long v = popValue();
                if (v == null || stack.isEmpty() || !(stack.get(stack.size() - 1) instanceof String name)
                        || !name.startsWith("$")) {
                    return false;
                }
                stack.remove(stack.size() - 1);
                dictionary.put(name, v);
                if (assigned != null) {
                    assigned.add(name);
                }
                return true;
            }
            default -> {
                Long n = number(t);
                stack.add(n != null ? (Object) (n & mask) : t);
                return true;
            }
        }
    }

    private Long binary(String op, long a, long b) {
        return switch (op) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> b == 0 ? null : Long.divideUnsigned(a, b);
            case "%" -> b == 0 ? null : Long.remainderUnsigned(a, b);
            default -> a & ~((b - 1) & mask); // "@": align down to a power of two
        };
    }

    /** The top of the stack as a value: a number, or a name the dictionary knows; null otherwise. */
    private Long popValue() {
        if (stack.isEmpty()) {
            return null;
        }
        Object top = stack.remove(stack.size() - 1);
        if (top instanceof Long v) {
            return v;
        }
        Long v = dictionary.get((String) top);
        return v == null ? null : v & mask;
    }

    private static Long number(String t) {
        boolean negative = t.startsWith("-") && t.length() > 1;
        String digits = negative ? t.substring(1) : t;
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
            radix = 16;
        }
        if (digits.isEmpty() || digits.length() > 20) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) {
                return null;
            }
        }
        try {
            long v = Long.parseUnsignedLong(digits, radix);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
