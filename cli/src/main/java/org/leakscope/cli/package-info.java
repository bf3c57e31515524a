/**
 * Leakscope's command-line verbs. Each {@code *Command} is thin: it parses options, asks a reader for model
 * records, and hands them to a renderer ({@code text/}) or to Jackson ({@code json/}, whose records are the
 * documented schema in docs/json.md). Exit codes live in {@link org.leakscope.cli.ExitCode}.
 */
package org.leakscope.cli;
