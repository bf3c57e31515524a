/**
 * The library API every front end shares (the commands, and later HTML reports, triage and Spark): open any
 * input by its content, run an operation on it, get back a report model (records) to render.
 *
 * <p>Data flows down: this package asks the readers ({@code minidump}, {@code umdh}, {@code resmon}), {@code symbols}
 * and {@code diff}, and front ends ask only this package. The symbol service and the limits are passed in, never
 * global, so one process can analyse many inputs with different settings.
 */
package org.leakscope.analysis;
