package org.leakscope.cli;

/** Wrong options or arguments: printed with a pointer to --help, exit status 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
