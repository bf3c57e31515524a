/* tests/unwind_dlclose.c's two plugins, built from this file with different FRAME sizes (-O2, no frame
 * pointers): the same code at the same offsets, a different frame, so a rule kept from one for the other's
 * return addresses would find a wrong caller. Its destructor calls dlclose, as a plugin unloading its own
 * plugins does. */
#include <dlfcn.h>
#include <stdlib.h>

void *volatile plugin_kept;

__attribute__((noinline)) void plugin_alloc(void) {
    volatile char pad[FRAME];
    pad[0] = 1;
    plugin_kept = malloc(100 + (size_t)pad[0]);
    __asm__ volatile("" ::: "memory");
}

/* a library's destructor that unloads another (here one loaded anyway): dlclose inside dlclose */
__attribute__((destructor)) static void unload_another(void) {
    void *m = dlopen("libm.so.6", RTLD_NOW);
    if (m != NULL) {
        dlclose(m);
    }
}
