package org.leakscope.resmon;

/**
 * A limit resmon found exceeded. resmon does not stop the program: it logs an update and raises the limit to
 * what it saw, so {@code to} is the usage that broke {@code from}.
 *
 * @param resource {@code memory} (bytes), {@code cpu} (percent), {@code threads}, {@code sync objects},
 *                 {@code disk} (bytes)
 */
public record LimitEvent(String resource, long from, long to, LogTime time) {
}
