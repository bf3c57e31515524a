/*
 * The baseline, as resmon.dll has one (windows/README.md): what the program's start-up made is not a leak, and
 * neither is what the C runtime allocates once for itself. With RESMON_BASELINE=0 everything is reported.
 * - Start-up: the program's _start calls __libc_start_main, which is wrapped here so that every record alive
 *   when main is entered (made by the C runtime, the libraries' and the program's initialisers) is forgotten.
 * - Exit: glibc's __libc_freeres frees what glibc allocated once for itself (stdio buffers, locale data, NSS
 *   modules and their state, dlerror strings...), as valgrind and mtrace have it do before they report. Those
 *   frees pass through the hooks and remove their records, so the exit report holds what the program left.
 *   It runs only when the process has no other thread left: another thread could still be using that state.
 * The suppression list (suppress.c) covers one-time allocations made after the start.
 */
#include "tracker.h"

#include <dlfcn.h>
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

void resmon_runtime_cleanup(void) {
    if (!resmon_config.baseline) {
        return;
    }
    int busy = resmon_busy++; /* the tracker's own open and dlsym are not the program's */
    int alone = resmon_proc_value("/proc/self/status", "\nThreads:") == 1; /* no other thread uses glibc's state */
    void (*freeres)(void) = alone ? (void (*)(void))dlsym(RTLD_DEFAULT, "__libc_freeres") : NULL;
    if (freeres != NULL) {
        resmon_busy = 0; /* its frees are the point: they must reach the table */
        freeres();
    }
    resmon_busy = busy;
}
