/*
 * resmon.dll: configuration, install and uninstall, the monitor thread, the start-up baseline, and what
 * happens at exit and on an unhandled exception. The exports (InstallResMon, UninstallResMon,
 * LogAllResources, ResMonTableAddress) are described in ../README.md.
 */
#include "resmon_dll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct resmon_config resmon_config;
char resmon_process_name[MAX_PATH];
volatile LONG resmon_active;

/* The table header's address, for resmon_client to copy the table out of the process. */
__declspec(dllexport) volatile uint64_t ResMonTableAddress;

static CRITICAL_SECTION life_lock; /* install, uninstall and exit, one at a time */
static INIT_ONCE life_once = INIT_ONCE_STATIC_INIT;
static int installed;
static int reported;
static volatile LONG baseline_taken;
static HANDLE monitor;
static HANDLE monitor_stop;
static HANDLE snapshot_request;

static uint64_t env_u64(const char *name, uint64_t dflt) {
    char v[64];
    DWORD n = GetEnvironmentVariableA(name, v, sizeof v);
    if (n == 0 || n >= sizeof v) {
        return dflt;
    }
    char *end;
    unsigned long long x = strtoull(v, &end, 0);
    if (*end != '\0') {
        resmon_logf("%s=%s is not a number; using %llu", name, v, (unsigned long long)dflt);
        return dflt;
    }
    return x;
}

static void env_str(const char *name, char *out, DWORD n) {
    DWORD got = GetEnvironmentVariableA(name, out, n);
    if (got == 0 || got >= n) {
        out[0] = '\0';
    }
}

/* Frames per record by default: enough to get from a statically linked operator new (which calls malloc)
 * through std:: internals to the code that asked, for the reader to fold (README: Configuration). */
#define DEFAULT_DEPTH 8

/* resmon's defaults (docs/formats/resmon.md §4) */
static void read_config(void) {
    struct resmon_config *c = &resmon_config;
    env_str("RESMON_LOG", c->log_path, sizeof c->log_path);
    env_str("RESMON_SNAPSHOT_DIR", c->snapshot_dir, sizeof c->snapshot_dir);
    env_str("RESMON_MODULES", c->modules, sizeof c->modules);
    uint64_t depth = env_u64("RESMON_DEPTH", DEFAULT_DEPTH);
    c->depth = depth < 1 ? 1 : depth > RT_MAX_FRAMES ? RT_MAX_FRAMES : (int)depth;
    c->limits.memory_bytes = env_u64("RESMON_LIMIT_MEMORY", 128ull << 20);
    c->limits.cpu_percent = (uint32_t)env_u64("RESMON_LIMIT_CPU", 30);
    c->limits.threads = (uint32_t)env_u64("RESMON_LIMIT_THREADS", 99);
    c->limits.sync_objects = (uint32_t)env_u64("RESMON_LIMIT_SYNC", 2999);
    c->limits.disk_bytes = env_u64("RESMON_LIMIT_DISK", 128ull << 20);
    c->limits.interval_ms = (uint32_t)env_u64("RESMON_INTERVAL_MS", 5000);
    if (c->limits.interval_ms < 10) {
        c->limits.interval_ms = 10;
    }
    rt_set_max_records(env_u64("RESMON_MAX_RECORDS", 0));
}

static void read_process_name(void) {
    char path[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, path, sizeof path);
    const char *name = n > 0 ? strrchr(path, '\\') : NULL;
    snprintf(resmon_process_name, sizeof resmon_process_name, "%s",
             n == 0 ? "unknown" : name != NULL ? name + 1 : path);
}

static DWORD WINAPI monitor_main(LPVOID arg) {
    HANDLE waits[2] = {monitor_stop, snapshot_request};
    resmon_log_periodic();
    for (;;) {
        DWORD w = WaitForMultipleObjects(snapshot_request != NULL ? 2 : 1, waits, FALSE,
                                         resmon_config.limits.interval_ms);
        if (w == WAIT_OBJECT_0) {
            return 0;
        }
        if (w == WAIT_OBJECT_0 + 1) {
            resmon_write_heap_snapshot("requested");
        } else if (w == WAIT_TIMEOUT) {
            resmon_modules_refresh(); /* modules loaded where the hooks do not see it (an unwatched module) */
            resmon_log_periodic();
        } else {
            return 1;
        }
    }
}

static void stop_monitor(void) {
    if (monitor != NULL) {
        SetEvent(monitor_stop);
        /* its last cycle must not land inside the exit report */
        WaitForSingleObject(monitor, 10000);
        CloseHandle(monitor);
        monitor = NULL;
    }
}

/* Without a debugger (resmon_client is one), an unhandled exception leaves the table image behind. */
static LONG WINAPI on_unhandled(EXCEPTION_POINTERS *info) {
    if (rt_header() != NULL) {
        resmon_logf("unhandled exception 0x%08lX at 0x%016llX", info->ExceptionRecord->ExceptionCode,
                    (unsigned long long)(uintptr_t)info->ExceptionRecord->ExceptionAddress);
        resmon_write_table_image(RT_FLAG_FATAL_SIGNAL);
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

static BOOL CALLBACK init_life_lock(PINIT_ONCE once, PVOID param, PVOID *context) {
    InitializeCriticalSection(&life_lock);
    return TRUE;
}

__declspec(dllexport) int InstallResMon(void) {
    InitOnceExecuteOnce(&life_once, init_life_lock, NULL, NULL);
    EnterCriticalSection(&life_lock);
    if (installed) {
        LeaveCriticalSection(&life_lock);
        return 1;
    }
    read_process_name();
    read_config();
    if (rt_init(resmon_process_name, GetCurrentProcessId(), &resmon_config.limits) != 0) {
        LeaveCriticalSection(&life_lock);
        return 0;
    }
    ResMonTableAddress = (uint64_t)(uintptr_t)rt_header();
    resmon_log_open();
    resmon_make_snapshot_dir();
    resmon_modules_refresh();
    resmon_log_modules();
    resmon_main_find();
    char name[64];
    snprintf(name, sizeof name, "Local\\resmon-snapshot-%lu", GetCurrentProcessId());
    snapshot_request = CreateEventA(NULL, FALSE, FALSE, name);
    monitor_stop = CreateEventA(NULL, TRUE, FALSE, NULL);
    InterlockedExchange(&resmon_active, 1);
    resmon_patch_modules();
    SetUnhandledExceptionFilter(on_unhandled);
    monitor = CreateThread(NULL, 0, monitor_main, NULL, 0, NULL);
    installed = 1;
    reported = 0;
    LeaveCriticalSection(&life_lock);
    return 1;
}

/* The exit snapshot, the table image and the exit report, once. */
static void final_report(void) {
    if (!reported && rt_header() != NULL) {
        reported = 1;
        /* files first: the report's closing line ends the run for logscan, nothing of it may follow */
        resmon_write_heap_snapshot("exit");
        resmon_write_table_image(RT_FLAG_CLEAN_EXIT);
        resmon_log_report(1);
    }
}

__declspec(dllexport) void UninstallResMon(void) {
    InitOnceExecuteOnce(&life_once, init_life_lock, NULL, NULL);
    EnterCriticalSection(&life_lock);
    if (installed) {
        stop_monitor();
        final_report();
        resmon_unpatch_modules();
        InterlockedExchange(&resmon_active, 0);
        installed = 0;
    }
    LeaveCriticalSection(&life_lock);
}

__declspec(dllexport) void LogAllResources(void) {
    if (installed) {
        resmon_log_report(0);
    }
}

void resmon_baseline(void) {
    if (InterlockedExchange(&baseline_taken, 1) == 0 && resmon_active) {
        rt_forget_all();
        resmon_main_wait(); /* and again when main is entered, after the C++ static constructors */
    }
}

void resmon_exit_starting(void) {
    InitOnceExecuteOnce(&life_once, init_life_lock, NULL, NULL);
    EnterCriticalSection(&life_lock);
    stop_monitor(); /* now, while the monitor can still finish: ExitProcess kills it wherever it is */
    LeaveCriticalSection(&life_lock);
}

void resmon_thread_exiting(DWORD thread_id) {
    struct rt_header *h = rt_header();
    if (h == NULL || !resmon_active) {
        return;
    }
    rt_lock();
    for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[RT_THREAD - 1]; c != NULL;
         c = (struct rt_chunk *)(uintptr_t)c->next_va) {
        for (uint32_t i = 0; i < c->used; i++) {
            struct rt_thread_record *t = (struct rt_thread_record *)((char *)(c + 1) + (size_t)i * c->record_size);
            if (t->common.state != 0 && t->thread_id == thread_id) {
                t->common.subtype = RT_THREAD_EXITED;
                t->exit_time_ns = rt_now_ns();
            }
        }
    }
    rt_unlock();
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    if (reason == DLL_PROCESS_ATTACH) {
        DisableThreadLibraryCalls(instance);
        char autostart[8];
        DWORD n = GetEnvironmentVariableA("RESMON_AUTOSTART", autostart, sizeof autostart);
        if (n > 0 && n < sizeof autostart && strcmp(autostart, "1") == 0) {
            InstallResMon();
        }
    } else if (reason == DLL_PROCESS_DETACH && installed) {
        if (reserved != NULL) {
            /* process exit: every other thread is gone, possibly killed inside a hook holding a table lock */
            rt_unlock_abandoned();
            monitor = NULL;
            final_report();
        } else {
            UninstallResMon(); /* FreeLibrary: the hooks must not outlive the DLL */
        }
    }
    return TRUE;
}
