/*
 * The baseline, as resmon.dll has one (windows/README.md): what the program's start-up made is not a leak, and
 * neither is what the C runtime allocates once for itself. With RESMON_BASELINE=0 everything is reported.
 * - Start-up: the program's _start calls __libc_start_main, which is wrapped here so that every record alive
 *   when main is entered (made by the C runtime, the libraries' and the program's initialisers) is forgotten.
 * - Exit: libstdc++'s __gnu_cxx::__freeres frees its emergency exception pool, and glibc's __libc_freeres what
 *   glibc allocated once for itself (stdio buffers, locale data, NSS modules and their state, dlerror strings...),
 *   as valgrind has them do before it reports (mtrace, glibc's alone). Those frees pass through the hooks and
 *   remove their records, so the exit report holds what the program left. The pool is made by libstdc++'s
 *   initialiser: at start-up (in the start-up baseline already) when the program links libstdc++, after main when
 *   a C program loads a C++ library with dlopen, which is why it needs this. Both run only when the process has no
 *   other thread left: another thread could still be using that state.
 * The suppression list (suppress.c) covers one-time allocations made after the start.
 */
#include "tracker.h"

#include <dlfcn.h>
#include <time.h>
#include <stdlib.h>

typedef int (*main_fn)(int, char **, char **);
typedef int (*start_main_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);

static main_fn program_main;

static int main_after_baseline(int argc, char **argv, char **envp) {
    if (resmon_active && resmon_config.baseline) {
        rt_forget_all();
    }
    return program_main(argc, argv, envp);
}

/* glibc's own start: the arguments are passed on unchanged (since glibc 2.34, init and fini are unused) */
int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end) {
    start_main_fn real = (start_main_fn)dlsym(RTLD_NEXT, "__libc_start_main");
    if (real == NULL) {
        abort(); /* cannot happen with glibc; without it, there is no way to start the program */
    }
    program_main = main;
    return real(main_after_baseline, argc, argv, init, fini, rtld_fini, stack_end);
}

/* libstdc++'s clean-up: in the global scope, or in a libstdc++ that a library loaded with RTLD_LOCAL brought */
static void (*cxx_runtime_freeres(void))(void) {
    static const char name[] = "_ZN9__gnu_cxx9__freeresEv";
    void *fn = dlsym(RTLD_DEFAULT, name);
    void *lib = fn == NULL ? dlopen("libstdc++.so.6", RTLD_NOW | RTLD_NOLOAD) : NULL;
    if (lib != NULL) {
        fn = dlsym(lib, name);
        dlclose(lib); /* only the reference RTLD_NOLOAD took: the library stays */
    }
    return (void (*)(void))fn;
}

void resmon_runtime_cleanup(int joined_monitor) {
    if (!resmon_config.baseline) {
        return;
    }
    int busy = resmon_busy++; /* the tracker's own open and dlsym are not the program's */
    /* no other thread uses the runtimes' state */
    long threads = resmon_proc_value("/proc/self/status", "\nThreads:");
    /* pthread_join returns when the kernel clears the monitor's tid, which is before the thread leaves the thread
       group: on a loaded machine /proc still counts it for a moment (up to 200 ms are waited for) */
    for (int i = 0; joined_monitor && threads == 2 && i < 100; i++) {
        struct timespec pause = {0, 2 * 1000 * 1000};
        nanosleep(&pause, NULL);
        threads = resmon_proc_value("/proc/self/status", "\nThreads:");
    }
    int alone = threads == 1;
    /* libstdc++ first (its emergency exception pool; absent without a C++ runtime), then glibc */
    void (*cxx_freeres)(void) = alone ? cxx_runtime_freeres() : NULL;
    void (*freeres)(void) = alone ? (void (*)(void))dlsym(RTLD_DEFAULT, "__libc_freeres") : NULL;
    resmon_busy = 0; /* their frees are the point: they must reach the table */
    if (cxx_freeres != NULL) {
        cxx_freeres();
    }
    if (freeres != NULL) {
        freeres();
    }
    resmon_busy = busy;
}
