/*
 * resmon.dll internals shared by its files: configuration, the real functions behind the hooks, module
 * ranges and backtraces, and the output through OutputDebugString.
 */
#ifndef RESMON_DLL_H
#define RESMON_DLL_H

#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdint.h>

#include "resmon_table.h"

struct resmon_config {
    char log_path[MAX_PATH];     /* RESMON_LOG: also write the lines to this file, in DebugView's layout */
    char snapshot_dir[MAX_PATH]; /* RESMON_SNAPSHOT_DIR: table image at exit, heap snapshots ("" = none) */
    char modules[1024];          /* RESMON_MODULES: more modules to hook, ';'-separated ("" = the exe only) */
    int depth;                   /* RESMON_DEPTH: frames per record, 1 (the call site) .. 16; default 8 */
    struct rt_limits limits;     /* RESMON_LIMIT_MEMORY, _CPU, _THREADS, _SYNC, _DISK; RESMON_INTERVAL_MS */
};

extern struct resmon_config resmon_config;
extern char resmon_process_name[MAX_PATH]; /* the exe's file name, as the report prefix */
extern volatile LONG resmon_active;        /* hooks record only while this is 1 */

/* ---- modules and backtraces (modules.c) ---- */

/* Re-reads the loaded modules' address ranges, and brings the table's module list up to date (at install, after
 * each LoadLibrary the hooks see and at each monitoring interval). Not under a table lock. */
void resmon_modules_refresh(void);
/* Nonzero when `address` lies inside a loaded module's image. */
int resmon_in_module(uint64_t address);
/* Nonzero when `address` lies inside resmon.dll itself. */
int resmon_in_self(uint64_t address);
/* Frames for a record: `caller` first (the hook's return address), then, with RESMON_DEPTH > 1, the frames
 * above it, stopping at the first address outside every module. Returns the depth. */
int resmon_backtrace(void *caller, uint64_t *frames);
/* The same with at most `depth` frames (at least 1). */
int resmon_backtrace_frames(void *caller, uint64_t *frames, int depth);
/* Prints one "module 0x... size N PATH" line per loaded module. */
void resmon_log_modules(void);
/* Prints the module line of one module (one loaded after start-up). */
void resmon_log_module(HMODULE m);
/* Calls fn(base, size, path, arg) for each loaded module (for the snapshot's module table). */
void resmon_each_module(void (*fn)(uint64_t base, uint64_t size, const char *path, void *arg), void *arg);

/* ---- IAT patching and the hooks (iat.c, hooks.c) ---- */

/* Patches the import tables of the modules to watch (the exe and RESMON_MODULES) that are loaded now;
 * modules already patched are skipped. */
void resmon_patch_modules(void);
/* Puts every patched import table back. */
void resmon_unpatch_modules(void);
/* The replacement for an imported function, or NULL: `dll` is the imported DLL's name, `name` the function's.
 * `original` is what the import table held; the hook remembers it as the real function. */
void *resmon_hook_for(const char *dll, const char *name, void *original);
/* The same for the C++ runtime DLL's own imports: only the C runtime's heap functions, or NULL. */
void *resmon_runtime_hook_for(const char *dll, const char *name, void *original);
/* A heap block made (NULL: nothing) or released by a hooked call from `caller` (hooks.c). */
void resmon_heap_added(void *p, size_t size, uint16_t subtype, void *caller);
void resmon_heap_removed(void *p);

/* ---- C++ operator new and delete (cxx_hooks.c) ---- */

/* The hook of an operator new or delete imported from `dll` (`crt_family`: hooks.c's C runtime family of
 * `dll`, or -1), or NULL. */
void *resmon_cxx_hook_for(int crt_family, const char *dll, const char *name, void *original);
/* The C++ runtime DLL the program imports operator new from (its heap imports are patched too), or NULL. */
HMODULE resmon_cxx_runtime(void);
/* A heap block the C++ runtime's own operator new made at `caller`: -1 when the program's call through the
 * hook records it, 0 when `caller` is not in its operator new, else the depth of `frames`, which begin at the
 * frame that called operator new, with *subtype New, New[] or New align. */
int resmon_cxx_runtime_alloc(void *caller, uint64_t *frames, uint16_t *subtype);

/* ---- output (output.c) ---- */

/* Opens RESMON_LOG, if set (appending). */
void resmon_log_open(void);
/* One report line: "NAME.exe|resmon| text\n" through OutputDebugStringA (and to RESMON_LOG). */
void resmon_logf(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
void resmon_log_periodic(void);
void resmon_log_report(int at_exit);
/* A heap snapshot in UMDH's format in RESMON_SNAPSHOT_DIR; prints its path. */
void resmon_write_heap_snapshot(const char *why);
/* The table image RESMON_SNAPSHOT_DIR/resmon-PID.rmt. */
void resmon_write_table_image(uint32_t flags);
/* Creates RESMON_SNAPSHOT_DIR, parents too, as resmon_client's --out-dir; a failure is said in the log and on
 * stderr (every later write then says it failed, in the log). */
void resmon_make_snapshot_dir(void);

/* ---- life cycle (resmon_dll.c) ---- */

/* The CRT is about to call main: records alive now belong to the start-up and are forgotten (a baseline). */
void resmon_baseline(void);
/* From the exe's COFF symbol table, where main (wmain, WinMain, wWinMain) is; at install (main_entry.c). */
void resmon_main_find(void);
/* After the baseline: the first hooked call with main on the stack forgets what the start-up made since. */
void resmon_main_wait(void);
/* Called by the hooks before they record anything. */
void resmon_main_check(void);
/* Nonzero when one of the frames lies in libgcc's emulated TLS linked into the exe (not recorded). */
int resmon_runtime_tls(const uint64_t *frames, int depth);
/* The process is exiting through ExitProcess or the CRT's exit: stop the monitor before threads are killed. */
void resmon_exit_starting(void);
/* Thread records: a tracked thread ended through ExitThread. */
void resmon_thread_exiting(DWORD thread_id);

#endif
