/*
 * The C++ allocation hooks: operator new and new[] (plain, nothrow, aligned, aligned nothrow) and operator delete
 * and delete[] (plain, sized, nothrow, aligned, sized aligned, aligned nothrow), so that a block made by `new` is
 * recorded at the code that wrote `new`, not inside libstdc++'s operator new (whose malloc call would otherwise be
 * every C++ block's call site).
 *
 * Each hook forwards to the definition the program would have called without the tracker: the next one after
 * libresmon.so (dlsym RTLD_NEXT; libstdc++'s, or a replacement such as tcmalloc's), so its semantics stay the
 * program's: plain new calls the new_handler and throws std::bad_alloc, nothrow new returns NULL, aligned new
 * allocates aligned, delete frees the way new allocated. The forwarded call runs with the thread's busy guard
 * raised, so the malloc (or aligned_alloc, or plain operator new) it makes inside is not recorded a second time;
 * the block is recorded once, by the hook, with the hook's return address as call site. Raising the guard costs a
 * thread-local increment, the same as the malloc hooks' own.
 *
 * Plain and aligned new may throw through the hook (bad_alloc, or whatever a new_handler throws): the guard is
 * dropped by a cleanup that runs during unwinding (this file is built with -fexceptions). A new_handler's own
 * allocations run under the guard and are not recorded.
 *
 * A free() of a block from new (a mismatched delete) still removes its record: records are kept by address.
 */
#include "tracker.h"

#include <dlfcn.h>
#include <stdlib.h>

#if !defined(__cpp_exceptions) && !defined(__EXCEPTIONS)
#error "hooks_cxx.c must be built with -fexceptions: a bad_alloc thrown through a hook must lower the busy guard"
#endif

/* The Itanium C++ ABI's spelling of size_t in mangled names: unsigned long (m) on LP64, unsigned int (j) on ILP32 */
#if __SIZEOF_SIZE_T__ == 8
#define SZ "m"
#else
#define SZ "j"
#endif
#define ALIGN "St11align_val_t"
#define NOTHROW "RKSt9nothrow_t"

/* The symbols, by form */
#define names_NEW "_Znw" SZ
#define names_NEW_ARRAY "_Zna" SZ
#define names_NEW_NOTHROW "_Znw" SZ NOTHROW
#define names_NEW_ARRAY_NOTHROW "_Zna" SZ NOTHROW
#define names_NEW_ALIGNED "_Znw" SZ ALIGN
#define names_NEW_ARRAY_ALIGNED "_Zna" SZ ALIGN
#define names_NEW_ALIGNED_NOTHROW "_Znw" SZ ALIGN NOTHROW
#define names_NEW_ARRAY_ALIGNED_NOTHROW "_Zna" SZ ALIGN NOTHROW
#define names_DELETE "_ZdlPv"
#define names_DELETE_ARRAY "_ZdaPv"
#define names_DELETE_SIZED "_ZdlPv" SZ
#define names_DELETE_ARRAY_SIZED "_ZdaPv" SZ
#define names_DELETE_NOTHROW "_ZdlPv" NOTHROW
#define names_DELETE_ARRAY_NOTHROW "_ZdaPv" NOTHROW
#define names_DELETE_ALIGNED "_ZdlPv" ALIGN
#define names_DELETE_ARRAY_ALIGNED "_ZdaPv" ALIGN
#define names_DELETE_SIZED_ALIGNED "_ZdlPv" SZ ALIGN
#define names_DELETE_ARRAY_SIZED_ALIGNED "_ZdaPv" SZ ALIGN
#define names_DELETE_ALIGNED_NOTHROW "_ZdlPv" ALIGN NOTHROW
#define names_DELETE_ARRAY_ALIGNED_NOTHROW "_ZdaPv" ALIGN NOTHROW

#define FORMS(X)                                                                                                    \
    X(NEW) X(NEW_ARRAY) X(NEW_NOTHROW) X(NEW_ARRAY_NOTHROW) X(NEW_ALIGNED) X(NEW_ARRAY_ALIGNED)                     \
    X(NEW_ALIGNED_NOTHROW) X(NEW_ARRAY_ALIGNED_NOTHROW) X(DELETE) X(DELETE_ARRAY) X(DELETE_SIZED)                   \
    X(DELETE_ARRAY_SIZED) X(DELETE_NOTHROW) X(DELETE_ARRAY_NOTHROW) X(DELETE_ALIGNED) X(DELETE_ARRAY_ALIGNED)       \
    X(DELETE_SIZED_ALIGNED) X(DELETE_ARRAY_SIZED_ALIGNED) X(DELETE_ALIGNED_NOTHROW) X(DELETE_ARRAY_ALIGNED_NOTHROW)
#define ENUM(form) form,
#define NAME(form) names_##form,
enum form { FORMS(ENUM) FORM_COUNT };
static const char *const names[FORM_COUNT] = {FORMS(NAME)};

/* The real functions, by form (their signatures differ: each hook casts its own). */
static void *real[FORM_COUNT];

void resmon_resolve_cxx(void) {
    for (int f = 0; f < FORM_COUNT; f++) {
        if (__atomic_load_n(&real[f], __ATOMIC_RELAXED) == NULL) {
            __atomic_store_n(&real[f], dlsym(RTLD_NEXT, names[f]), __ATOMIC_RELAXED);
        }
    }
}

static void busy_lower(int *unused) {
    resmon_busy--;
}

/* For the rest of the enclosing block the thread is inside the tracker, however the block is left. */
#define BUSY_SCOPE int busy_scope_ __attribute__((cleanup(busy_lower), unused)) = resmon_busy++

/*
 * The real function of a form. Resolved at start-up (resmon_init, before any hook records) and, for a C++ runtime
 * loaded later (a C program dlopening a C++ library), by the monitor's module check once the load is seen (within
 * its 100 ms tick). A hook looks up itself only when called before that: mostly the first `new` of the loaded
 * library's initialisers, inside the dlopen, on the thread that holds the loader's lock already. (A hook should
 * not wait for that lock, suppress.c says why: another thread's first `new` in that window does, until the
 * dlopen is done.) NULL when nothing defines it: the hook then does the work with the C allocator.
 */
static void *real_of(enum form f) {
    void *fn = __atomic_load_n(&real[f], __ATOMIC_RELAXED);
    if (fn == NULL) {
        resmon_init();
        BUSY_SCOPE; /* what dlsym allocates (its error state) is the tracker's */
        resmon_resolve_cxx();
        fn = __atomic_load_n(&real[f], __ATOMIC_RELAXED);
    }
    return fn;
}

/* Without a runtime to forward to (called with the guard up): no new_handler to call, nothing to throw with. */
static void *fallback_new(size_t n, size_t align, int nothrow) {
    n = n != 0 ? n : 1;
    void *p = align > 16 ? aligned_alloc(align, (n + align - 1) / align * align) : malloc(n);
    if (p == NULL && !nothrow) {
        abort();
    }
    return p;
}

/* ---- new: forward with the guard up, then record the block at the hook's caller ---- */

#define NEW_HOOK(form, subtype, params, args, align, nothrow)                                                      \
    void *form##_hook params __asm__(names_##form);                                                                \
    void *form##_hook params {                                                                                     \
        void *(*fn) params = (void *(*) params)real_of(form);                                                     \
        if (fn != NULL && (!resmon_active || resmon_busy)) {                                                       \
            return fn args;                                                                                        \
        }                                                                                                          \
        void *p;                                                                                                   \
        {                                                                                                          \
            BUSY_SCOPE;                                                                                            \
            p = fn != NULL ? fn args : fallback_new(n, align, nothrow);                                            \
        }                                                                                                          \
        resmon_track(p, n, subtype, __builtin_return_address(0), __builtin_frame_address(0));                     \
        return p;                                                                                                  \
    }

/* ---- delete: forget the block, then forward with the guard up (the free() inside need not look again) ---- */

#define DELETE_HOOK(form, params, args)                                                                            \
    void form##_hook params __asm__(names_##form);                                                                 \
    void form##_hook params {                                                                                      \
        void (*fn) params = (void (*) params)real_of(form);                                                       \
        if (fn != NULL && (p == NULL || !resmon_active || resmon_busy)) {                                          \
            fn args;                                                                                               \
            return;                                                                                                \
        }                                                                                                          \
        resmon_untrack(p);                                                                                         \
        BUSY_SCOPE;                                                                                                \
        if (fn != NULL) {                                                                                          \
            fn args;                                                                                               \
        } else {                                                                                                   \
            free(p);                                                                                               \
        }                                                                                                          \
    }

/* std::align_val_t is an enum of size_t; std::nothrow_t const & is a pointer */
NEW_HOOK(NEW, RT_NEW, (size_t n), (n), 0, 0)
NEW_HOOK(NEW_ARRAY, RT_NEW_ARRAY, (size_t n), (n), 0, 0)
NEW_HOOK(NEW_NOTHROW, RT_NEW, (size_t n, const void *nt), (n, nt), 0, 1)
NEW_HOOK(NEW_ARRAY_NOTHROW, RT_NEW_ARRAY, (size_t n, const void *nt), (n, nt), 0, 1)
NEW_HOOK(NEW_ALIGNED, RT_NEW_ALIGNED, (size_t n, size_t al), (n, al), al, 0)
NEW_HOOK(NEW_ARRAY_ALIGNED, RT_NEW_ARRAY_ALIGNED, (size_t n, size_t al), (n, al), al, 0)
NEW_HOOK(NEW_ALIGNED_NOTHROW, RT_NEW_ALIGNED, (size_t n, size_t al, const void *nt), (n, al, nt), al, 1)
NEW_HOOK(NEW_ARRAY_ALIGNED_NOTHROW, RT_NEW_ARRAY_ALIGNED, (size_t n, size_t al, const void *nt), (n, al, nt), al,
         1)

DELETE_HOOK(DELETE, (void *p), (p))
DELETE_HOOK(DELETE_ARRAY, (void *p), (p))
DELETE_HOOK(DELETE_SIZED, (void *p, size_t n), (p, n))
DELETE_HOOK(DELETE_ARRAY_SIZED, (void *p, size_t n), (p, n))
DELETE_HOOK(DELETE_NOTHROW, (void *p, const void *nt), (p, nt))
DELETE_HOOK(DELETE_ARRAY_NOTHROW, (void *p, const void *nt), (p, nt))
DELETE_HOOK(DELETE_ALIGNED, (void *p, size_t al), (p, al))
DELETE_HOOK(DELETE_ARRAY_ALIGNED, (void *p, size_t al), (p, al))
DELETE_HOOK(DELETE_SIZED_ALIGNED, (void *p, size_t n, size_t al), (p, n, al))
DELETE_HOOK(DELETE_ARRAY_SIZED_ALIGNED, (void *p, size_t n, size_t al), (p, n, al))
DELETE_HOOK(DELETE_ALIGNED_NOTHROW, (void *p, size_t al, const void *nt), (p, al, nt))
DELETE_HOOK(DELETE_ARRAY_ALIGNED_NOTHROW, (void *p, size_t al, const void *nt), (p, al, nt))
