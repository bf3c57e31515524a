package org.leakscope.model;

import java.time.Instant;
import java.util.Map;

/**
 * One periodic measurement of a process: named values such as {@code memoryBytes}, {@code threads},
 * {@code syncObjects}, {@code cpuPercent}, {@code diskBytes}. Names are open so producers can add their own.
 *
 * @param time            wall-clock time when known, else null
 * @param elapsedSeconds  seconds since the capture started, or null
 */
public record UsageSample(Instant time, Double elapsedSeconds, Map<String, Double> values) {
    public UsageSample {
        values = Map.copyOf(values);
    }
}
