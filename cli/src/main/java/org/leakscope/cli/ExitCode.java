package org.leakscope.cli;

/** Process exit statuses, the same numbers for every verb; each verb's {@code --help} lists those it uses. */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "internal error (a bug: please report it with the input)"),
    BAD_INPUT(2, "bad input or usage: unreadable or malformed file (the report on what could be read is still\n"
            + "       printed, with warnings), wrong option; or the report could not be written"),
    THRESHOLD(3, "a CI gate tripped"),
    /** As a Unix tool killed by SIGPIPE (128 + 13), without the noise: {@code leakdiff ... | head}. */
    OUTPUT_CLOSED(141, "standard output was closed before the report was written (e.g. piped into head):\n"
            + "       the tool stops quietly, as one ended by SIGPIPE would");

    private final int status;
    private final String meaning;

    ExitCode(int status, String meaning) {
        this.status = status;
        this.meaning = meaning;
    }

    public int status() {
        return status;
    }

    /** The code of an exit status (another run's); INTERNAL for a status no verb exits with (a signal). */
    static ExitCode of(int status) {
        for (ExitCode c : values()) {
            if (c.status == status) {
                return c;
            }
        }
        return INTERNAL;
    }

    /** The help text block: every code, exit status 3 only for a verb with a gate ({@code gate} says when). */
    public static String helpText(String gate) {
        StringBuilder sb = new StringBuilder("Exit status:\n");
        for (ExitCode c : values()) {
            if (c == THRESHOLD && gate == null) {
                continue;
            }
            String meaning = c == THRESHOLD ? c.meaning + ": " + gate : c.meaning;
            sb.append(String.format("  %3d  %s%n", c.status, meaning));
        }
        return sb.toString();
    }
}
