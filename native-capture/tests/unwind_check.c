/*
 * tests/unwind_cxx.cc's check, in C (resmon_table.h is C): every live heap record of the tracker's table has a
 * return address in [keep_lo, keep_hi) and one in [main_lo, main_hi). Prints "records N reached M" and, for the
 * first few that did not, their frames. 0 when all did (and there was one), 1 when not, 2 without a tracker.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>

#include "resmon_table.h"
#include "table_walk.h"

static int holds(uint64_t ra, uintptr_t lo, uintptr_t hi) {
    return ra - 1 >= lo && ra - 1 < hi; /* a return address is just past its call */
}

int unwind_check(uintptr_t keep_lo, uintptr_t keep_hi, uintptr_t main_lo, uintptr_t main_hi) {
    struct rt_header *(*header)(void) = (struct rt_header * (*)(void)) dlsym(RTLD_DEFAULT, "rt_header");
    if (header == NULL || header() == NULL) {
        fprintf(stderr, "unwind_cxx: not run under libresmon.so\n");
        return 2;
    }
    int records = 0;
    int reached = 0;
    for (struct table_walk w = table_walk(header()); table_next(&w) != NULL;) {
        if (w.kind != RT_HEAP) {
            continue;
        }
        const struct rt_record *r = w.record;
        int in_keep = 0;
        int at_main = 0;
        for (int i = 0; i < r->depth && i < RT_MAX_FRAMES; i++) {
            in_keep |= holds(r->frames[i], keep_lo, keep_hi);
            at_main |= holds(r->frames[i], main_lo, main_hi);
        }
        records++;
        if (in_keep && at_main) {
            reached++;
            continue;
        }
        if (records - reached <= 5) {
            fprintf(stderr, "unwind_cxx: a block of %llu bytes, %d frames:",
                    (unsigned long long)((const struct rt_heap_record *)r)->size, (int)r->depth);
            for (int i = 0; i < r->depth && i < RT_MAX_FRAMES; i++) {
                fprintf(stderr, " %#llx", (unsigned long long)r->frames[i]);
            }
            fprintf(stderr, "%s%s\n", in_keep ? "" : " (no keep_alive)", at_main ? "" : " (no main)");
        }
    }
    printf("records %d reached %d\n", records, reached);
    return records > 0 && reached == records ? 0 : 1;
}
