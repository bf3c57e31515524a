/*
 * A test program for resmon_client.exe: leaks two heap blocks (malloc and HeapAlloc, each from its own
 * function), an event it never closes, prints a line of its own through OutputDebugString, then crashes with
 * a write through a null pointer. `crash_target.exe exit` exits 0 instead, `crash_target.exe exit N` with N;
 * `crash_target.exe wait MS` sleeps MS milliseconds first, then exits 0 (for snapshots while it runs).
 * Built with frame pointers and without inlining, so the call sites are the functions below.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *volatile kept[4]; /* the leaked pointers stay reachable: the optimizer cannot drop the calls */

__attribute__((noinline)) void leak_malloc_block(void) {
    kept[0] = malloc(4096);
    memset(kept[0], 0x41, 4096);
}

__attribute__((noinline)) void leak_heap_block(void) {
    kept[1] = HeapAlloc(GetProcessHeap(), 0, 1000);
    memset(kept[1], 0x42, 1000);
}

__attribute__((noinline)) void leak_event(void) {
    kept[2] = CreateEventW(NULL, TRUE, FALSE, NULL);
}

__attribute__((noinline)) void crash_now(int *volatile where) {
    *where = 42;
}

int main(int argc, char **argv) {
    leak_malloc_block();
    leak_heap_block();
    leak_event();
    void *freed = malloc(100); /* allocated and freed: never a leak */
    free(freed);
    OutputDebugStringA("crash_target: two lines\nin one debug string\n");
    OutputDebugStringW(L"crash_target: wide string \u00e9\n");
    if (argc > 2 && strcmp(argv[1], "wait") == 0) {
        Sleep((DWORD)atoi(argv[2]));
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "exit") == 0) {
        return argc > 2 ? atoi(argv[2]) : 0;
    }
    crash_now(NULL);
    return 1;
}
