/*
 * The heap hooks: malloc, calloc, realloc, free, posix_memalign, aligned_alloc, memalign, valloc. dlsym may
 * allocate while the real functions are being looked up, so until they are known allocations come from a small
 * static arena, which free() recognises and ignores.
 */
#include "tracker.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

void *(*real_malloc)(size_t);
void *(*real_calloc)(size_t, size_t);
void *(*real_realloc)(void *, size_t);
void (*real_free)(void *);
int (*real_posix_memalign)(void **, size_t, size_t);
void *(*real_aligned_alloc)(size_t, size_t);
void *(*real_memalign)(size_t, size_t);
void *(*real_valloc)(size_t);

static char bootstrap[64 * 1024] __attribute__((aligned(16)));
static size_t bootstrap_used;
static volatile int resolving;

static int in_bootstrap(const void *p) {
    return (const char *)p >= bootstrap && (const char *)p < bootstrap + sizeof bootstrap;
}

static void *bootstrap_alloc(size_t n) {
    size_t at = (bootstrap_used + 15) & ~(size_t)15;
    if (n > sizeof bootstrap - at) {
        return NULL;
    }
    bootstrap_used = at + n;
    return bootstrap + at; /* static storage: already zero, as calloc needs */
}

void resmon_resolve_heap(void) {
    if (real_malloc != NULL) {
        return;
    }
    resolving = 1;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    real_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "memalign");
    real_valloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "valloc");
    resolving = 0;
}

/* Records a new block unless this thread is inside the tracker or the call site is suppressed. */
void resmon_track(void *p, size_t size, uint16_t subtype, void *caller, void *frame) {
    if (p == NULL || !resmon_active || resmon_busy) {
        return;
    }
    resmon_busy++;
    if (resmon_suppressed((uint64_t)(uintptr_t)caller)) {
        resmon_busy--;
        return;
    }
    uint64_t frames[RT_MAX_FRAMES];
    int depth = resmon_backtrace(caller, frame, frames);
    rt_heap_alloc((uint64_t)(uintptr_t)p, size, subtype, 0, resmon_tid(), frames, depth); /* locks its stripe */
    resmon_busy--;
}

/* Forgets a block; its size, or -1 when it was not tracked. */
int64_t resmon_untrack(void *p) {
    if (p == NULL || !resmon_active || resmon_busy) {
        return -1;
    }
    resmon_busy++;
    int64_t size = rt_heap_free((uint64_t)(uintptr_t)p);
    resmon_busy--;
    return size;
}

void *malloc(size_t n) {
    if (real_malloc == NULL) {
        if (resolving) {
            return bootstrap_alloc(n);
        }
        resmon_init();
        if (real_malloc == NULL) {
            return bootstrap_alloc(n);
        }
    }
    void *p = real_malloc(n);
    resmon_track(p, n, RT_MALLOC, __builtin_return_address(0), __builtin_frame_address(0));
    return p;
}

void *calloc(size_t count, size_t n) {
    if (real_calloc == NULL) {
        if (resolving) {
            size_t total;
            return __builtin_mul_overflow(count, n, &total) ? NULL : bootstrap_alloc(total);
        }
        resmon_init();
        if (real_calloc == NULL) {
            return bootstrap_alloc(count * n);
        }
    }
    void *p = real_calloc(count, n);
    resmon_track(p, count * n, RT_CALLOC, __builtin_return_address(0), __builtin_frame_address(0));
    return p;
}

void free(void *p) {
    if (p == NULL || in_bootstrap(p)) {
        return;
    }
    if (real_free == NULL) {
        resmon_init();
    }
    resmon_untrack(p);
    real_free(p);
}

void *realloc(void *p, size_t n) {
    if (in_bootstrap(p)) {
        /* a bootstrap block moves to the real heap; its old size is not known, so copy what can be */
        void *q = malloc(n);
        if (q != NULL) {
            size_t avail = (size_t)(bootstrap + sizeof bootstrap - (char *)p);
            memcpy(q, p, n < avail ? n : avail);
        }
        return q;
    }
    if (real_realloc == NULL) {
        resmon_init();
    }
    /* forget the old block first: once real_realloc has freed it, another thread may be given its address */
    int64_t old = p != NULL ? resmon_untrack(p) : -1;
    void *q = real_realloc(p, n);
    if (q == NULL && n != 0 && p != NULL) {
        if (old >= 0) { /* the old block is still there: track it again */
            resmon_track(p, (size_t)old, RT_REALLOC, __builtin_return_address(0), __builtin_frame_address(0));
        }
        return NULL;
    }
    resmon_track(q, n, RT_REALLOC, __builtin_return_address(0), __builtin_frame_address(0));
    return q;
}

int posix_memalign(void **out, size_t align, size_t n) {
    if (real_posix_memalign == NULL) {
        resmon_init();
    }
    int rc = real_posix_memalign(out, align, n);
    if (rc == 0) {
        resmon_track(*out, n, RT_POSIX_MEMALIGN, __builtin_return_address(0), __builtin_frame_address(0));
    }
    return rc;
}

void *aligned_alloc(size_t align, size_t n) {
    if (real_aligned_alloc == NULL) {
        resmon_init();
    }
    void *p = real_aligned_alloc(align, n);
    resmon_track(p, n, RT_ALIGNED_ALLOC, __builtin_return_address(0), __builtin_frame_address(0));
    return p;
}

void *memalign(size_t align, size_t n) {
    if (real_memalign == NULL) {
        resmon_init();
    }
    void *p = real_memalign(align, n);
    resmon_track(p, n, RT_MEMALIGN, __builtin_return_address(0), __builtin_frame_address(0));
    return p;
}

void *valloc(size_t n) {
    if (real_valloc == NULL) {
        resmon_init();
    }
    void *p = real_valloc(n);
    resmon_track(p, n, RT_VALLOC, __builtin_return_address(0), __builtin_frame_address(0));
    return p;
}
