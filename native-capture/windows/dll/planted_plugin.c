/*
 * A DLL planted_leaks.exe loads after start-up, to check that resmon.dll patches modules loaded later
 * (RESMON_MODULES=planted_plugin.dll): plugin_leak leaks two blocks, plugin_tidy frees what it takes.
 */
#include <stdlib.h>

static void *volatile sink;

__declspec(dllexport) void plugin_leak(void) {
    sink = malloc(777);
    sink = malloc(777);
}

__declspec(dllexport) void plugin_tidy(void) {
    free(malloc(33));
}
