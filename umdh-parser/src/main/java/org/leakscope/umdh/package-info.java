/**
 * Readers for Microsoft UMDH output: heap snapshot logs ({@code umdh -p:PID -f:log.txt}) into common-model
 * snapshots, and compare outputs ({@code umdh [-d] old new}) read back for filtering and re-rendering. Both
 * stream their input (logs run to hundreds of megabytes) and report lines they do not understand by number.
 */
package org.leakscope.umdh;
