/* A plugin planted_dlopen loads after start-up: its one leak is made in the plugin's own code. */
#include <stdlib.h>

void *volatile plugin_kept;

__attribute__((noinline)) void plugin_leak(void) {
    plugin_kept = malloc(321);
}
