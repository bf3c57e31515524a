/*
 * The .eh_frame unwinder across dlclose: plugin A (tests/unwind_plugin.c, one frame size) is loaded, its
 * allocating function called once it is in the unwinder's table (so its rules are cached), unloaded; plugin B
 * (the same code, another frame size), usually mapped where A was, is called at once, before the tracker's
 * monitor has seen it, then again until it has (up to 5 s). The first stack may stop short (a module not yet
 * in the table), never go wrong: it must be a prefix of the second (a rule kept from A would find a wrong
 * caller). Two threads allocate all along, while dlclose holds the table frozen; the plugins' destructor calls
 * dlclose in turn. 20 rounds.
 *   unwind_dlclose PLUGIN_A PLUGIN_B
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "resmon_table.h"
#include "table_walk.h"

static volatile int stop;

static void *churn(void *arg) {
    while (!stop) {
        free(malloc(64));
    }
    return NULL;
}

static void pause_ms(long ms) {
    struct timespec t = {0, ms * 1000000L};
    nanosleep(&t, NULL);
}

/* The frames of the live record of block p. */
static int frames_of(struct rt_header *h, void *p, uint64_t *frames) {
    for (struct table_walk w = table_walk(h); table_next(&w) != NULL;) {
        if (w.kind == RT_HEAP && w.record->handle == (uint64_t)(uintptr_t)p) {
            memcpy(frames, w.record->frames, sizeof w.record->frames);
            return w.record->depth;
        }
    }
    return -1;
}

/* Fills the stack below the caller with a pattern: a rule kept from A would otherwise read A's own leftover
 * return addresses out of B's frame, right by accident. */
__attribute__((noinline)) static void scrub_stack(void) {
    volatile char junk[16384];
    memset((char *)junk, 0x5a, sizeof junk);
    __asm__ volatile("" ::: "memory");
}

/* Calls the plugin's plugin_alloc; the stack recorded for its block. */
static int call(void *plugin, struct rt_header *h, uint64_t *frames) {
    void (*alloc)(void) = (void (*)(void))dlsym(plugin, "plugin_alloc");
    void *volatile *kept = (void *volatile *)dlsym(plugin, "plugin_kept");
    alloc();
    int depth = frames_of(h, *kept, frames);
    free(*kept);
    return depth;
}

int main(int argc, char **argv) {
    struct rt_header *(*header)(void) = (struct rt_header * (*)(void)) dlsym(RTLD_DEFAULT, "rt_header");
    if (argc != 3 || header == NULL || header() == NULL) {
        fprintf(stderr, "usage: unwind_dlclose PLUGIN_A PLUGIN_B (under libresmon.so)\n");
        return 2;
    }
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) {
        pthread_create(&threads[i], NULL, churn, NULL);
    }
    int same_place = 0;
    int failed = 0;
    for (int round = 0; round < 20 && !failed; round++) {
        uint64_t a[RT_MAX_FRAMES];
        uint64_t b[2][RT_MAX_FRAMES]; /* at once, and once the monitor has seen B */
        int depth_b[2];
        void *pa = dlopen(argv[1], RTLD_NOW);
        int depth_a = 0;
        for (int tries = 0; depth_a < 3 && tries < 200; tries++) { /* the monitor's tick: A joins the table */
            pause_ms(25);
            depth_a = call(pa, header(), a);
        }
        call(pa, header(), a); /* now from the cache */
        void *at_a = dlsym(pa, "plugin_alloc");
        dlclose(pa);
        void *pb = dlopen(argv[2], RTLD_NOW);
        same_place += dlsym(pb, "plugin_alloc") == at_a;
        /* at once, then until the monitor has seen B; from the same call site (volatile: not unrolled) */
        for (volatile int k = 0, tries = 0; k < 2; k += k == 0 || depth_b[1] >= 3 || ++tries == 200) {
            scrub_stack();
            depth_b[k] = call(pb, header(), b[k]);
            if (k == 1) {
                pause_ms(25);
            }
        }
        dlclose(pb);
        int depth_early = depth_b[0];
        int depth_later = depth_b[1];
        const uint64_t *early = b[0];
        const uint64_t *later = b[1];
        if (depth_a < 3 || depth_later < 3 || depth_early < 1 || depth_early > depth_later
            || memcmp(early, later, (size_t)depth_early * sizeof early[0]) != 0) {
            fprintf(stderr, "unwind_dlclose: round %d: A %d frames, B %d frames at once, %d later:", round,
                    depth_a, depth_early, depth_later);
            for (int i = 0; i < depth_early; i++) {
                fprintf(stderr, " %#llx%s", (unsigned long long)early[i],
                        i < depth_later && early[i] == later[i] ? "" : "(!)");
            }
            fprintf(stderr, "\n");
            failed = 1;
        }
    }
    stop = 1;
    for (int i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
    }
    if (same_place == 0) { /* then nothing here tested a rule kept across dlclose */
        fprintf(stderr, "unwind_dlclose: B was never loaded where A was\n");
        failed = 1;
    }
    printf("unwind_dlclose: %s; B loaded where A was in %d of 20 rounds\n", failed ? "FAILED" : "ok", same_place);
    return failed;
}
