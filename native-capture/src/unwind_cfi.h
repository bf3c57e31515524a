/*
 * Stacks through code built without frame pointers (RESMON_BACKTRACE=cfi, the default on x86-64): an unwinder
 * driven by the loaded modules' .eh_frame call frame information, found through their .eh_frame_hdr search
 * tables, with a per-address cache so that a call site seen before costs a lookup.
 */
#ifndef RESMON_UNWIND_CFI_H
#define RESMON_UNWIND_CFI_H

#include <stdint.h>

/* At start-up, before the first refresh: the cache and the module tables' memory (mmap). 0 when ready. */
int resmon_cfi_init(void);
/* Rebuilds the module table from dl_iterate_phdr: never from a hook (the loader's lock). */
void resmon_cfi_refresh(void);
/* In the child after fork: the other threads, and their places in the tables, are gone. */
void resmon_cfi_after_fork_child(void);
/*
 * Adds return addresses to frames[depth..max), unwinding from the hook's caller: `pc` its return address
 * (already frames[0]), `sp` the stack pointer and `fp` the frame pointer the caller has once the hook returned.
 * Returns the new depth, or -1 when the module table is not usable (not built yet, or a dlclose under way):
 * the caller then walks frame pointers.
 */
int resmon_cfi_backtrace(uintptr_t pc, uintptr_t sp, uintptr_t fp, uint64_t *frames, int depth, int max);

#endif
