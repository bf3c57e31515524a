package org.leakscope.cli;

/** Process exit statuses, the same for every verb and listed in every {@code --help}. */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "internal error (a bug: please report it with the input)"),
    BAD_INPUT(2, "bad input or usage: unreadable or malformed file (the report on what could be read is still\n     printed, with warnings), wrong option"),
    THRESHOLD(3, "a CI gate tripped: leakdiff --fail-above exceeded, logscan --fail-on-leak found a leak or a limit\n     violation");

    private final int status;
    private final String meaning;

    ExitCode(int status, String meaning) {
        this.status = status;
        this.meaning = meaning;
    }

    public int status() {
        return status;
    }

    /** The help text block listing every code. */
    public static String helpText() {
        StringBuilder sb = new StringBuilder("Exit status:\n");
        for (ExitCode c : values()) {
            sb.append(String.format("  %d  %s%n", c.status, c.meaning));
        }
        return sb.toString();
    }
}
