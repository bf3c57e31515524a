/*
 * Planted leaks for resmon.dll: each leak_* function leaks one kind of resource, each release_* function
 * makes the same kind and gives it back. The exit report must list exactly the leak_* call sites; test.sh
 * checks it against this program's symbols. Built twice: injected by resmon_client (no resmon calls at all)
 * and linked (-DRESMON_LINKED: InstallResMon at the top of main, the report at exit from DllMain). Each leaking
 * call's line is marked "planted" in a comment: cli's SourceLinesEndToEndTest holds the file and line the tools
 * print (from the program's DWARF) to those lines.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef RESMON_LINKED
__declspec(dllimport) int InstallResMon(void);
__declspec(dllimport) void LogAllResources(void);
#endif

static void *volatile sink; /* keeps the compiler from dropping allocations */

void leak_malloc(void) {
    for (int i = 0; i < 3; i++) {
        sink = malloc(100); /* planted */
    }
}

void leak_heapalloc(void) {
    for (int i = 0; i < 2; i++) {
        sink = HeapAlloc(GetProcessHeap(), 0, 4000); /* planted */
    }
}

void leak_private_heap(void) {
    HANDLE heap = HeapCreate(0, 0, 0);
    sink = HeapAlloc(heap, 0, 3000); /* planted */
}

void leak_virtual(void) {
    sink = VirtualAlloc(NULL, 65536, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE); /* planted */
}

void leak_calloc(void) {
    sink = calloc(10, 50); /* planted */
}

void leak_realloc(void) {
    void *p = malloc(10);
    sink = realloc(p, 5000); /* planted */
}

static DWORD WINAPI quick_thread(LPVOID arg) {
    return 0;
}

void leak_thread(void) {
    HANDLE h = CreateThread(NULL, 0, quick_thread, NULL, 0, NULL); /* planted */
    WaitForSingleObject(h, INFINITE); /* it ends, but its handle is never closed */
}

void leak_event(void) {
    sink = CreateEventA(NULL, TRUE, FALSE, NULL); /* planted */
}

/* an event opened by name (the creator closes its own handle) */
void leak_open_event(void) {
    HANDLE created = CreateEventA(NULL, FALSE, FALSE, "resmon-planted-event");
    sink = OpenEventA(EVENT_MODIFY_STATE, FALSE, "resmon-planted-event"); /* planted */
    CloseHandle(created);
}

void leak_file(void) {
    char path[MAX_PATH];
    GetTempPathA(sizeof path, path);
    strcat(path, "resmon-planted.tmp");
    sink = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL); /* planted */
}

/* modules loaded after start-up: patched when RESMON_MODULES names them */
void leak_plugin(void) {
    HMODULE m = LoadLibraryA("planted_plugin.dll");
    if (m == NULL) {
        fprintf(stderr, "planted_leaks: cannot load planted_plugin.dll (%lu)\n", GetLastError());
        exit(1);
    }
    printf("plugin %p\n", (void *)m);
    fflush(stdout);
    ((void (*)(void))(void *)GetProcAddress(m, "plugin_tidy"))();
    ((void (*)(void))(void *)GetProcAddress(m, "plugin_leak"))();
    /* and one whose heap is the UCRT's */
    HMODULE u = LoadLibraryW(L"planted_ucrt.dll");
    if (u == NULL) {
        fprintf(stderr, "planted_leaks: cannot load planted_ucrt.dll (%lu)\n", GetLastError());
        exit(1);
    }
    printf("ucrt %p\n", (void *)u);
    fflush(stdout);
    ((void (*)(void))(void *)GetProcAddress(u, "ucrt_leak"))();
}

void release_all(void) {
    free(malloc(64));
    void *p = realloc(malloc(8), 80);
    free(p);
    free(calloc(4, 4));
    HeapFree(GetProcessHeap(), 0, HeapReAlloc(GetProcessHeap(), 0, HeapAlloc(GetProcessHeap(), 0, 16), 32));
    HANDLE heap = HeapCreate(0, 0, 0); /* its blocks go with it */
    HeapAlloc(heap, 0, 100);
    HeapAlloc(heap, 0, 200);
    HeapDestroy(heap);
    void *region = VirtualAlloc(NULL, 1 << 20, MEM_RESERVE, PAGE_NOACCESS);
    VirtualAlloc(region, 4096, MEM_COMMIT, PAGE_READWRITE); /* inside the region: not a new one */
    VirtualFree(region, 0, MEM_RELEASE);
    HANDLE t = CreateThread(NULL, 0, quick_thread, NULL, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    HANDLE b = (HANDLE)_beginthreadex(NULL, 0, (unsigned(__stdcall *)(void *))quick_thread, NULL, 0, NULL);
    WaitForSingleObject(b, INFINITE);
    CloseHandle(b);
    CloseHandle(CreateEventW(NULL, FALSE, TRUE, NULL));
    CloseHandle(CreateMutexA(NULL, TRUE, NULL));
    CloseHandle(CreateSemaphoreA(NULL, 1, 5, NULL));
    HANDLE named = CreateMutexW(NULL, FALSE, L"resmon-planted-mutex");
    CloseHandle(OpenMutexW(SYNCHRONIZE, FALSE, L"resmon-planted-mutex"));
    CloseHandle(named);
    char path[MAX_PATH];
    GetTempPathA(sizeof path, path);
    strcat(path, "resmon-released.tmp");
    CloseHandle(CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL));
}

int main(void) {
#ifdef RESMON_LINKED
    if (!InstallResMon()) {
        fprintf(stderr, "InstallResMon failed\n");
        return 1;
    }
#endif
    /* the checker maps return addresses to functions through the load address */
    printf("base %p\n", (void *)GetModuleHandleA(NULL));
    fflush(stdout);
    release_all();
    leak_malloc();
    leak_heapalloc();
    leak_private_heap();
    leak_virtual();
    leak_calloc();
    leak_realloc();
    leak_thread();
    leak_event();
    leak_open_event();
    leak_file();
    leak_plugin();
#ifdef RESMON_LINKED
    LogAllResources();
#endif
    return 0;
}
