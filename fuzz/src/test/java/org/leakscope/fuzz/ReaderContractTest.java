package org.leakscope.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.leakscope.model.InputFormatException;

/** What the targets hold readers to: a finding is anything but a prompt return or a worded InputFormatException. */
class ReaderContractTest {
    @Test
    void aWordedInputFormatExceptionIsTheDocumentedOutcome() {
        assertDoesNotThrow(() -> ReaderContract.check("t", () -> {
            throw InputFormatException.atOffset("f", 8, "a header", "other bytes");
        }));
    }

    @Test
    void anyOtherExceptionEscapesToJazzer() {
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> ReaderContract.check("t", () -> {
            throw new ArrayIndexOutOfBoundsException(7);
        }));
        assertThrows(OutOfMemoryError.class, () -> ReaderContract.check("t", () -> {
            throw new OutOfMemoryError("Java heap space");
        }));
    }

    @Test
    void anInputSlowerThanASecondTwiceIsAFinding() {
        AssertionError e = assertThrows(AssertionError.class, () -> ReaderContract.check("t", () -> Thread.sleep(1050)));
        assertTrue(e.getMessage().contains("twice (limit 1,000 ms)"), e.getMessage());
    }

    @Test
    void aSlowFirstRunAloneIsForgiven() {
        int[] runs = {0};
        assertDoesNotThrow(() -> ReaderContract.check("t", () -> {
            if (runs[0]++ == 0) {
                Thread.sleep(1050); // the JIT's and class loading's share of a first run
            }
        }));
    }
}
