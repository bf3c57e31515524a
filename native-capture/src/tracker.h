/*
 * libresmon.so internals shared by the hook files: configuration, the per-thread guard, thread ids,
 * backtraces, the real functions behind the hooks, and the log.
 */
#ifndef RESMON_TRACKER_H
#define RESMON_TRACKER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "resmon_table.h"

/* initial-exec: reaching the variable must not call __tls_get_addr, which can allocate */
#define TLS _Thread_local __attribute__((tls_model("initial-exec")))

/* RESMON_BACKTRACE: none (the return address only), fp, libunwind, cfi (the .eh_frame unwinder, default) */
enum backtrace_mode { BT_NONE, BT_FP, BT_LIBUNWIND, BT_CFI };

struct config {
    char log_path[1024];          /* RESMON_LOG: DebugView-layout log ("" = stderr) */
    char snapshot_dir[1024];      /* RESMON_SNAPSHOT_DIR: table images and heap snapshots ("" = none) */
    int depth;                    /* RESMON_DEPTH: frames per record, 1..16 (default 16) */
    int backtrace_mode;           /* RESMON_BACKTRACE: enum backtrace_mode (default BT_CFI) */
    int baseline;                 /* RESMON_BASELINE: 1 (default) start-up, C runtime and built-in list are not leaks */
    struct rt_limits limits;      /* RESMON_LIMIT_MEMORY, _CPU, _THREADS, _SYNC, _DISK; RESMON_INTERVAL_MS */
};

extern struct config resmon_config;
extern char resmon_process_name[256];

/* Nonzero while this thread is inside the tracker: allocations it makes go straight to the real functions. */
extern TLS int resmon_busy;
/* Nonzero once the tracker is set up and recording. */
extern volatile int resmon_active;

void resmon_init(void);
uint32_t resmon_tid(void);
/* The number after `key` in a small /proc/self file ("\nThreads:" in status, "wchar:" in io), 0 when unknown.
 * Only open, read and close, no allocation: safe in the monitor, at exit and with the hooks live. */
uint64_t resmon_proc_value(const char *path, const char *key);

/*
 * Fills `frames` with return addresses, innermost first, starting at `caller` (the hook's own return address:
 * the call site in the traced program). Returns the depth.
 */
int resmon_backtrace(void *caller, void *frame, uint64_t *frames);

/* The real libc functions (resolved with dlsym(RTLD_NEXT) at start-up). */
extern void *(*real_malloc)(size_t);
extern void *(*real_calloc)(size_t, size_t);
extern void *(*real_realloc)(void *, size_t);
extern void (*real_free)(void *);
extern int (*real_posix_memalign)(void **, size_t, size_t);
extern void *(*real_aligned_alloc)(size_t, size_t);
extern void *(*real_memalign)(size_t, size_t);
extern void *(*real_valloc)(size_t);
void resmon_resolve_heap(void);
void resmon_resolve_other(void);
void resmon_resolve_cxx(void);

/* The heap hooks' bookkeeping (hooks_heap.c), shared with the C++ ones (hooks_cxx.c). track records a block made
 * at `caller` (the hook's return address; `frame` the hook's frame, where the walk starts) unless the thread is
 * inside the tracker or the call site is suppressed; untrack forgets one and returns its size, -1 when it was not
 * tracked. */
void resmon_track(void *p, size_t size, uint16_t subtype, void *caller, void *frame);
int64_t resmon_untrack(void *p);

/*
 * The baseline (baseline.c): what exists when main starts is forgotten, and at exit libstdc++ and glibc free their
 * own one-time allocations before the report, as valgrind has them do. Both only with resmon_config.baseline.
 */
void resmon_runtime_cleanup(int joined_monitor);

/*
 * The suppression list (suppress.c): RESMON_SUPPRESS, RESMON_SUPPRESS_FILE and, with the baseline, the built-in
 * entries. resmon_suppress_init reads them (at start-up). resmon_suppressed, called inside the hooks with
 * resmon_busy raised, says whether a resource made at this call site (a return address) is left out of the
 * table; a site it has not seen before is recorded and left for resmon_suppress_settle, which names such sites
 * and removes the records of suppressed ones: the monitor calls it each cycle, and it is called before a
 * snapshot and at exit (never from a hook or a signal handler: it calls dladdr and takes the table lock).
 */
void resmon_suppress_init(void);
int resmon_suppressed(uint64_t call_site);
void resmon_suppress_settle(void);

/* The log: one DebugView record per line ("SEQ<TAB>ELAPSED<TAB>[pid] name|resmon| text"). */
void resmon_log_open(void);
void resmon_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void resmon_log_periodic(void);
void resmon_log_report(int at_exit);

/* A heap snapshot in UMDH's format in RESMON_SNAPSHOT_DIR (monitor thread or exit only: it takes the lock). */
void resmon_write_heap_snapshot(const char *why);
/* re-reads the local time's UTC offset the snapshots use (never after glibc's clean-up at exit) */
void resmon_clock_refresh(void);

/* The table's module list (modules.c): refresh re-reads every loaded object; check does so only when the
 * loader's load or unload counter moved (cheap enough for every monitor tick). Never under a table lock. */
void resmon_modules_refresh(void);
void resmon_modules_check(void);
struct dl_phdr_info;
/* A loaded object's range, lowest PT_LOAD address to the end of the highest: 0 when it maps nothing. */
int resmon_module_range(const struct dl_phdr_info *info, uint64_t *lo, uint64_t *hi);
/* A loaded object's GNU build id (its NT_GNU_BUILD_ID note, read in memory): the first `cap` bytes into `id`;
 * returns the id's whole length, 0 when it has none. */
size_t resmon_module_build_id(const struct dl_phdr_info *info, uint8_t *id, size_t cap);
/* A loaded object's path: the loader's name for it, the main program's own path (in `buf`, PATH_MAX bytes). */
const char *resmon_module_path(const struct dl_phdr_info *info, char *buf, size_t size);

/* Start-up and exit. */
void resmon_start_monitor(void);
void resmon_write_table_image(uint32_t flags);

#endif
