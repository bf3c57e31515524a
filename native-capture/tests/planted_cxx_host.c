/*
 * A C program that loads a C++ library after main has started (tests/planted.sh): libstdc++ comes with it, and its
 * initialiser makes the emergency exception pool then, after the start-up baseline. The library frees all it
 * allocates; the exit report must be empty (libresmon.so calls __gnu_cxx::__freeres at exit).
 */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
    void *lib = dlopen(argc > 1 ? argv[1] : "", RTLD_NOW | RTLD_LOCAL);
    int (*run)(void) = lib != NULL ? (int (*)(void))dlsym(lib, "planted_cxx_plugin_run") : NULL;
    if (run == NULL) {
        fprintf(stderr, "planted_cxx_host: %s\n", dlerror());
        return 1;
    }
    return run();
}
