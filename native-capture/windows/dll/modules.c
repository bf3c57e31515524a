/*
 * The loaded modules' address ranges, for backtraces (Wine's RtlCaptureStackBackTrace returns junk after the
 * last real frame: the walk stops at the first address outside every module) and for the module lines that
 * let logscan resolve return addresses.
 */
#include "resmon_dll.h"

#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_MODULES 1024

struct range {
    uint64_t lo;
    uint64_t hi;
};

static SRWLOCK modules_lock = SRWLOCK_INIT;
static struct range ranges[MAX_MODULES];
static int range_count;
static struct range self;

static int by_lo(const void *a, const void *b) {
    const struct range *x = a;
    const struct range *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The loaded modules (at most MAX_MODULES); returns how many. */
static int loaded_modules(HMODULE *mods) {
    DWORD needed = 0;
    if (!EnumProcessModules(GetCurrentProcess(), mods, MAX_MODULES * sizeof mods[0], &needed)) {
        return 0;
    }
    int n = (int)(needed / sizeof mods[0]);
    return n > MAX_MODULES ? MAX_MODULES : n;
}

void resmon_modules_refresh(void) {
    HMODULE mods[MAX_MODULES];
    HANDLE process = GetCurrentProcess();
    int n = loaded_modules(mods);
    struct range fresh[MAX_MODULES];
    int count = 0;
    for (int i = 0; i < n; i++) {
        MODULEINFO info;
        if (GetModuleInformation(process, mods[i], &info, sizeof info)) {
            fresh[count].lo = (uint64_t)(uintptr_t)info.lpBaseOfDll;
            fresh[count].hi = fresh[count].lo + info.SizeOfImage;
            count++;
        }
    }
    qsort(fresh, (size_t)count, sizeof fresh[0], by_lo);
    HMODULE me = NULL;
    GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCSTR)(void *)resmon_modules_refresh, &me);
    MODULEINFO mine = {0};
    GetModuleInformation(process, me, &mine, sizeof mine);
    AcquireSRWLockExclusive(&modules_lock);
    memcpy(ranges, fresh, (size_t)count * sizeof fresh[0]);
    range_count = count;
    self.lo = (uint64_t)(uintptr_t)mine.lpBaseOfDll;
    self.hi = self.lo + mine.SizeOfImage;
    ReleaseSRWLockExclusive(&modules_lock);
}

int resmon_in_module(uint64_t address) {
    AcquireSRWLockShared(&modules_lock);
    int lo = 0;
    int hi = range_count - 1;
    int found = 0;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (address < ranges[mid].lo) {
            hi = mid - 1;
        } else if (address >= ranges[mid].hi) {
            lo = mid + 1;
        } else {
            found = 1;
            break;
        }
    }
    ReleaseSRWLockShared(&modules_lock);
    return found;
}

int resmon_in_self(uint64_t address) {
    return address >= self.lo && address < self.hi;
}

__attribute__((noinline)) int resmon_backtrace(void *caller, uint64_t *frames) {
    frames[0] = (uint64_t)(uintptr_t)caller;
    int depth = resmon_config.depth;
    if (depth <= 1) {
        return 1;
    }
    void *raw[64];
    USHORT n = RtlCaptureStackBackTrace(0, 64, raw, NULL);
    int out = 1;
    int i = 0;
    /* skip the tracker's own frames and the call site itself, already frames[0] */
    while (i < n && resmon_in_self((uint64_t)(uintptr_t)raw[i])) {
        i++;
    }
    if (i < n && raw[i] == caller) {
        i++;
    }
    for (; i < n && out < depth; i++) {
        uint64_t a = (uint64_t)(uintptr_t)raw[i];
        if (!resmon_in_module(a)) {
            break;
        }
        frames[out++] = a;
    }
    return out;
}

void resmon_each_module(void (*fn)(uint64_t base, uint64_t size, const char *path, void *arg), void *arg) {
    HMODULE mods[MAX_MODULES];
    HANDLE process = GetCurrentProcess();
    int n = loaded_modules(mods);
    for (int i = 0; i < n; i++) {
        MODULEINFO info;
        char path[MAX_PATH];
        if (GetModuleInformation(process, mods[i], &info, sizeof info)
            && GetModuleFileNameA(mods[i], path, sizeof path) > 0) {
            fn((uint64_t)(uintptr_t)info.lpBaseOfDll, info.SizeOfImage, path, arg);
        }
    }
}

static void module_line(uint64_t base, uint64_t size, const char *path, void *arg) {
    resmon_logf("module 0x%016llX size %llu %s", (unsigned long long)base, (unsigned long long)size, path);
}

void resmon_log_module(HMODULE m) {
    MODULEINFO info;
    char path[MAX_PATH];
    if (GetModuleInformation(GetCurrentProcess(), m, &info, sizeof info)
        && GetModuleFileNameA(m, path, sizeof path) > 0) {
        module_line((uint64_t)(uintptr_t)info.lpBaseOfDll, info.SizeOfImage, path, NULL);
    }
}

void resmon_log_modules(void) {
    resmon_each_module(module_line, NULL);
}
