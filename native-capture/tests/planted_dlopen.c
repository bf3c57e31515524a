/*
 * Modules loaded after start-up, for the table's module list (tests/modules.sh): loads a plugin that leaks a
 * block and stays, and another that is unloaded again, each followed by a pause longer than the tracker's
 * 100 ms monitor tick. planted_dlopen PLUGIN.so GONE.so
 */
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

static int load(const char *path, void **handle) {
    *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    void (*leak)(void) = *handle == NULL ? NULL : (void (*)(void))dlsym(*handle, "plugin_leak");
    if (leak == NULL) {
        fprintf(stderr, "planted_dlopen: %s: %s\n", path, dlerror());
        return -1;
    }
    leak();
    usleep(400 * 1000);
    return 0;
}

int main(int argc, char **argv) {
    void *plugin;
    void *gone;
    if (argc != 3 || load(argv[1], &plugin) != 0 || load(argv[2], &gone) != 0) {
        return 1;
    }
    dlclose(gone);
    usleep(400 * 1000);
    return 0;
}
