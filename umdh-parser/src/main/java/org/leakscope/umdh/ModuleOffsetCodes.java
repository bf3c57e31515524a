package org.leakscope.umdh;

import java.util.function.LongUnaryOperator;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.ModuleMap;

/**
 * The codes of raw return addresses that lie in a module, by module and offset ({@link FrameCodes#module}), with
 * no Frame made: how the reader keys a stack's frames as it reads them, and how a stack read again is checked
 * against that key. One place for both, so the two cannot code a frame differently.
 */
final class ModuleOffsetCodes {
    private final ModuleMap modules;
    private final LongUnaryOperator[] byModule;

    ModuleOffsetCodes(ModuleMap modules, FrameCodes codes) {
        this.modules = modules;
        this.byModule = new LongUnaryOperator[modules.modules().size()];
        for (int i = 0; i < byModule.length; i++) {
            byModule[i] = codes.module(modules.modules().get(i));
        }
    }

    ModuleMap modules() {
        return modules;
    }

    /**
     * The code of an address in a module at an offset below 2^40; 0 (never a code) for any other address, which
     * the caller codes by its Frame.
     */
    long code(long address) {
        int i = modules.indexOf(address);
        if (i >= 0) {
            long offset = address - modules.base(i);
            if ((offset >>> 40) == 0) {
                return byModule[i].applyAsLong(offset);
            }
        }
        return 0;
    }
}
