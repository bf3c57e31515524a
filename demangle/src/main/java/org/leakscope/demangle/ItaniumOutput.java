package org.leakscope.demangle;

import java.util.List;

/**
 * The text of a demangled Itanium name as it is printed, bounded: a name whose substitutions expand to more than
 * the output cap, or whose printing visits more nodes than the work budget (packs and substitutions that print
 * nothing can still be visited exponentially often), stops with {@link ItaniumParser.Malformed}.
 */
final class ItaniumOutput {
    private final StringBuilder text = new StringBuilder();
    private final int maxChars;
    private long work;
    private final long maxWork;
    /** The element of the pack being expanded, or -1 outside a pack expansion. */
    int packIndex = -1;
    /** Inside a lambda's signature, where template parameters print as {@code auto:N} as g++ writes them. */
    boolean lambdaParams;
    /**
     * The template arguments of the functions being printed, innermost first: what a {@link
     * ItaniumNode.TemplateParam} stands for. An argument is printed in the context of the next outer function.
     */
    Templates templates;

    record Templates(List<ItaniumNode> args, Templates next) {
    }

    /** Runs {@code body} with the innermost template's arguments out of scope, as for printing one of them. */
    <T> T outside(java.util.function.Supplier<T> body) {
        Templates saved = templates;
        templates = saved == null ? null : saved.next;
        try {
            return body.get();
        } finally {
            templates = saved;
        }
    }

    ItaniumOutput(int maxChars, long maxWork) {
        this.maxChars = maxChars;
        this.maxWork = maxWork;
    }

    ItaniumOutput append(String s) {
        if (text.length() + s.length() > maxChars) {
            throw new ItaniumParser.Malformed();
        }
        if (!s.isEmpty()) {
            staleLast = 0;
        }
        text.append(s);
        return this;
    }

    ItaniumOutput append(char c) {
        if (text.length() + 1 > maxChars) {
            throw new ItaniumParser.Malformed();
        }
        staleLast = 0;
        text.append(c);
        return this;
    }

    private int depth;
    private char staleLast;
    /** Per template parameter under a reference: the templates in scope when it was first printed. */
    final java.util.IdentityHashMap<ItaniumNode, Templates> savedScopes = new java.util.IdentityHashMap<>();

    /**
     * Counts one node visit against the work budget and enters it: a lambda's parameter printed through the
     * enclosing template's argument is a link the nodes' heights do not see, so printing depth is capped too.
     */
    void enter() {
        if (++work > maxWork || ++depth > 4 * ItaniumDemangler.MAX_DEPTH) {
            throw new ItaniumParser.Malformed();
        }
    }

    void leave() {
        depth--;
    }

    char last() {
        if (staleLast != 0) {
            return staleLast;
        }
        return text.length() == 0 ? '\0' : text.charAt(text.length() - 1);
    }

    int length() {
        return text.length();
    }

    /** Cuts the text back to {@code length}; {@link #last()} answers {@code staleLast} until the next append. */
    void truncate(int length, char staleLast) {
        text.setLength(length);
        this.staleLast = staleLast;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
