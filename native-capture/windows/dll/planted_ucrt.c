/*
 * A plugin whose heap calls go to the UCRT (ucrtbase.dll) instead of msvcrt.dll, built without mingw's
 * start-up code so that nothing else links it to msvcrt: resmon.dll's UCRT family of hooks must see its
 * blocks (ucrt_leak leaks a malloc and a calloc block and frees a third).
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdlib.h>

static void *volatile sink;

__declspec(dllexport) void ucrt_leak(void) {
    sink = malloc(555);
    free(malloc(9));
    sink = calloc(3, 7);
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    return TRUE;
}
