/*
 * Growth between two heap snapshots taken on request: leak_grow keeps 100 blocks of 1000 bytes per phase,
 * steady_work allocates as much and frees it again. Between phases the program asks resmon.dll for a
 * snapshot through its event (as `resmon_client --snapshot PID` does) and waits for the file, so
 * `leakdiff first second` must rank leak_grow first with +100,000 bytes.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

__declspec(dllimport) int InstallResMon(void);

static void *volatile sink;

void leak_grow(void) {
    for (int i = 0; i < 100; i++) {
        sink = malloc(1000);
    }
}

void steady_work(void) {
    void *held[100];
    for (int i = 0; i < 100; i++) {
        held[i] = malloc(1000);
    }
    for (int i = 0; i < 100; i++) {
        free(held[i]);
    }
}

static int snapshot(const char *dir, int n) {
    char name[64];
    char path[MAX_PATH + 64];
    snprintf(name, sizeof name, "Local\\resmon-snapshot-%lu", GetCurrentProcessId());
    snprintf(path, sizeof path, "%s\\resmon-%lu-%d.umdh", dir, GetCurrentProcessId(), n);
    HANDLE e = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    if (e == NULL || !SetEvent(e)) {
        fprintf(stderr, "planted_growth: cannot signal %s\n", name);
        return -1;
    }
    CloseHandle(e);
    for (int i = 0; i < 200 && GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES; i++) {
        Sleep(50);
    }
    if (GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES) {
        fprintf(stderr, "planted_growth: no snapshot %s after 10 s\n", path);
        return -1;
    }
    printf("snapshot %s\n", path);
    return 0;
}

int main(void) {
    char dir[MAX_PATH];
    DWORD n = GetEnvironmentVariableA("RESMON_SNAPSHOT_DIR", dir, sizeof dir);
    if (n == 0 || n >= sizeof dir) {
        fprintf(stderr, "planted_growth: set RESMON_SNAPSHOT_DIR\n");
        return 2;
    }
    if (!InstallResMon()) {
        return 1;
    }
    leak_grow();
    steady_work();
    if (snapshot(dir, 1) != 0) {
        return 1;
    }
    leak_grow();
    steady_work();
    return snapshot(dir, 2) != 0;
}
