/**
 * The HTML reports ({@code --html FILE}): one self-contained file per report that opens from disk in any
 * browser and can be attached to a bug report. It is one more renderer of the report records the analysis
 * layer returns (as cli/text and cli/json are), so the three formats cannot disagree.
 *
 * <p>Charts are inline SVG drawn here, so they show without JavaScript and print; a little inline script sorts,
 * filters and pages tables. A Content-Security-Policy {@code <meta>} forbids every load from anywhere (the
 * style and the script are allowed by their hashes only), and every text taken from an input goes through
 * {@link org.leakscope.html.Escape} for the context it lands in.
 */
package org.leakscope.html;
