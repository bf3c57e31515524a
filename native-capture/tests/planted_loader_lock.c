/*
 * The tracker must not add a lock to the program's: while dlopen runs a library's constructor it holds the
 * loader's lock, and here that constructor (tests/loader_lock_plugin.c) waits for a mutex this program's main
 * thread holds while it allocates at a call site the tracker has never seen. A tracker that named the call
 * site there and then (dladdr takes the loader's lock) would wait for the dlopen, which waits for the mutex:
 * tests/planted.sh runs this under a time limit.
 * usage: planted_loader_lock PLUGIN.so
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

pthread_mutex_t plugin_mutex = PTHREAD_MUTEX_INITIALIZER; /* the plugin's constructor takes it */
volatile int plugin_constructing;                          /* the plugin's constructor sets it first */
void *volatile kept;

static void *load(void *path) {
    return dlopen(path, RTLD_NOW);
}

__attribute__((noinline)) void first_time_site(void) {
    kept = malloc(42);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: planted_loader_lock PLUGIN.so\n");
        return 2;
    }
    pthread_mutex_lock(&plugin_mutex);
    pthread_t loader;
    pthread_create(&loader, NULL, load, argv[1]);
    while (!plugin_constructing) {
        usleep(1000); /* until the other thread is inside dlopen, in the constructor */
    }
    usleep(10 * 1000);
    first_time_site();
    pthread_mutex_unlock(&plugin_mutex);
    void *handle = NULL;
    pthread_join(loader, &handle);
    if (handle == NULL) {
        fprintf(stderr, "planted_loader_lock: dlopen %s failed: %s\n", argv[1], dlerror());
        return 1;
    }
    dlclose(handle);
    free(kept);
    return 0;
}
