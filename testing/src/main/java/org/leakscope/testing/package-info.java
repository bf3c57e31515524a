/**
 * Test support every module's tests share (a test-scoped dependency, never shipped): what a test needs from
 * the machine, the third-party corpus, tools, Linux, skipped with a message on a developer's machine and a
 * failure under CI.
 */
package org.leakscope.testing;
