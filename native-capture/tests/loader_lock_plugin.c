/* The library tests/planted_loader_lock.c loads: its constructor, run by dlopen under the loader's lock, waits
 * for the program's mutex. */
#include <pthread.h>

extern pthread_mutex_t plugin_mutex;
extern volatile int plugin_constructing;

__attribute__((constructor)) static void construct(void) {
    plugin_constructing = 1;
    pthread_mutex_lock(&plugin_mutex);
    pthread_mutex_unlock(&plugin_mutex);
}
