/*
 * libresmon.so: start-up (configuration from the environment, the real functions, the table), thread ids,
 * backtraces (frame pointers, libunwind; the .eh_frame unwinder is unwind_cfi.c), fork safety, the monitor
 * thread and what happens at exit and on a fatal signal.
 */
#include "tracker.h"
#include "unwind_cfi.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct config resmon_config;
char resmon_process_name[256];
TLS int resmon_busy;
volatile int resmon_active;

static TLS uint32_t cached_tid;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static pthread_t monitor_thread;
static volatile int monitor_stop;
static int monitor_running;
static volatile sig_atomic_t snapshot_requested;
static void stop_monitor(void);
/* The monitor sleeps on this, so exit wakes it at once instead of waiting out its 100 ms tick (statically
 * initialised: no init call for the tracker's own hooks to see). */
static pthread_mutex_t monitor_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t monitor_wake = PTHREAD_COND_INITIALIZER;
extern int (*real_pthread_join)(pthread_t, void **);

uint64_t resmon_proc_value(const char *path, const char *key) {
    char buf[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return 0;
    }
    buf[n] = '\0';
    const char *at = strstr(buf, key);
    if (at == NULL) {
        return 0;
    }
    at += strlen(key);
    while (*at == ' ' || *at == '\t') {
        at++;
    }
    uint64_t v = 0;
    while (*at >= '0' && *at <= '9') {
        v = v * 10 + (uint64_t)(*at++ - '0');
    }
    return v;
}

uint32_t resmon_tid(void) {
    if (cached_tid == 0) {
        cached_tid = (uint32_t)syscall(SYS_gettid); /* once per thread: no system call per allocation */
    }
    return cached_tid;
}

/* libunwind, loaded only when asked for (RESMON_BACKTRACE=libunwind): it unwinds code built without frame
 * pointers, from the .eh_frame tables, at a higher cost per call */
static int (*unw_backtrace_fn)(void **, int);

static void load_libunwind(void) {
    void *h = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
    if (h != NULL) {
        unw_backtrace_fn = (int (*)(void **, int))dlsym(h, "unw_backtrace");
    }
    if (unw_backtrace_fn == NULL) {
        fprintf(stderr, "resmon: RESMON_BACKTRACE=libunwind but libunwind.so.8 could not be loaded (%s);"
                        " walking frame pointers instead\n", dlerror());
        resmon_config.backtrace_mode = BT_FP;
    }
}

static uint64_t env_u64(const char *name, uint64_t dflt) {
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        return dflt;
    }
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 0);
    if (errno != 0 || *end != '\0') {
        fprintf(stderr, "resmon: %s=%s is not a number; using %llu\n", name, v, (unsigned long long)dflt);
        return dflt;
    }
    return x;
}

static void env_str(const char *name, char *out, size_t n) {
    const char *v = getenv(name);
    if (v != NULL) {
        strncpy(out, v, n - 1);
        out[n - 1] = '\0';
    }
}

static void read_config(void) {
    struct config *c = &resmon_config;
    env_str("RESMON_LOG", c->log_path, sizeof c->log_path);
    env_str("RESMON_SNAPSHOT_DIR", c->snapshot_dir, sizeof c->snapshot_dir);
    c->depth = (int)env_u64("RESMON_DEPTH", RT_MAX_FRAMES);
    if (c->depth < 1 || c->depth > RT_MAX_FRAMES) {
        c->depth = RT_MAX_FRAMES;
    }
    const char *baseline = getenv("RESMON_BASELINE");
    c->baseline = baseline == NULL || strcmp(baseline, "0") != 0;
    const char *bt = getenv("RESMON_BACKTRACE");
    c->backtrace_mode = BT_CFI;
    if (bt != NULL && *bt != '\0') {
        c->backtrace_mode = strcmp(bt, "none") == 0 ? BT_NONE : strcmp(bt, "fp") == 0 ? BT_FP
                          : strcmp(bt, "libunwind") == 0 ? BT_LIBUNWIND : strcmp(bt, "cfi") == 0 ? BT_CFI : -1;
        if (c->backtrace_mode < 0) {
            fprintf(stderr, "resmon: RESMON_BACKTRACE=%s is not cfi, fp, libunwind or none; using cfi\n", bt);
            c->backtrace_mode = BT_CFI;
        }
    }
    /* the original resmon's defaults */
    c->limits.memory_bytes = env_u64("RESMON_LIMIT_MEMORY", 128ull << 20);
    c->limits.cpu_percent = (uint32_t)env_u64("RESMON_LIMIT_CPU", 30);
    c->limits.threads = (uint32_t)env_u64("RESMON_LIMIT_THREADS", 100);
    c->limits.sync_objects = (uint32_t)env_u64("RESMON_LIMIT_SYNC", 180);
    c->limits.disk_bytes = env_u64("RESMON_LIMIT_DISK", 128ull << 20);
    c->limits.interval_ms = (uint32_t)env_u64("RESMON_INTERVAL_MS", 5000);
    if (c->limits.interval_ms < 10) {
        c->limits.interval_ms = 10;
    }
}

static void read_process_name(void) {
    FILE *f = fopen("/proc/self/comm", "r");
    if (f != NULL) {
        if (fgets(resmon_process_name, sizeof resmon_process_name, f) != NULL) {
            resmon_process_name[strcspn(resmon_process_name, "\n")] = '\0';
        }
        fclose(f);
    }
    if (resmon_process_name[0] == '\0') {
        strcpy(resmon_process_name, "unknown");
    }
}

/* set in a child of fork: libc's own locks (time zone, ...) may be held forever there */
static int forked_child;

/* fork: the child must not inherit a lock held by another thread of the parent */
static void before_fork(void) {
    rt_lock();
}

static void after_fork_parent(void) {
    rt_unlock();
}

static void after_fork_child(void) {
    rt_unlock();
    forked_child = 1;
    cached_tid = 0;
    monitor_running = 0; /* threads do not survive fork */
    /* the monitor may have held its mutex at the fork: the child starts from fresh ones (assigned, not
     * pthread_*_init, which the tracker's own hooks would record) */
    pthread_mutex_t fresh_mutex = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t fresh_cond = PTHREAD_COND_INITIALIZER;
    monitor_mutex = fresh_mutex;
    monitor_wake = fresh_cond;
    /* the child has no monitor thread; its table stays a copy of the parent's (pid updated) */
    if (rt_header() != NULL) {
        rt_header()->process_id = (uint64_t)getpid();
    }
    resmon_cfi_after_fork_child();
}

static void fatal_signal(int sig) {
    /* async-signal-safe only: the table image writer uses open/write/rename (and its descriptor is not the
     * program's: busy keeps it out of the table) */
    resmon_busy++;
    resmon_write_table_image(RT_FLAG_FATAL_SIGNAL);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* SIGUSR2: ask for a heap snapshot; the monitor thread writes it (a handler may not take locks) */
static void snapshot_signal(int sig) {
    snapshot_requested = 1;
}

static void at_exit(void) {
    if (!resmon_active) {
        return;
    }
    resmon_busy++;
    stop_monitor();
    int joined = 0;
    if (monitor_running && real_pthread_join != NULL) {
        real_pthread_join(monitor_thread, NULL); /* its last cycle must not land after the exit report */
        monitor_running = 0;
        joined = 1;
    }
    resmon_suppress_settle();
    resmon_modules_check(); /* the table's module list, before glibc's clean-up may touch the loader's state */
    if (snapshot_requested) { /* a SIGUSR2 the monitor did not get to: just before exit, or with no monitor */
        snapshot_requested = 0;
        resmon_write_heap_snapshot("SIGUSR2");
    }
    if (!forked_child) {
        /* the last time the time zone may be read: the clean-up frees its state. Not in a child of fork: another
         * thread of the parent may have held glibc's time zone lock at the fork (the monitor reads the clock),
         * and the child would wait for it forever; the child keeps the parent's offset */
        resmon_clock_refresh();
    }
    resmon_busy--;
    resmon_runtime_cleanup(joined); /* the C runtime's one-time allocations go before anything is written */
    resmon_busy++;
    /* files first: the report's closing line ends the run for logscan, so their notes must come before it */
    resmon_write_heap_snapshot("exit");
    resmon_write_table_image(RT_FLAG_CLEAN_EXIT);
    resmon_log_report(1);
    resmon_active = 0;
    resmon_busy--;
}

/* RESMON_SNAPSHOT_DIR is created, parents too, like resmon_client's --out-dir; a failure is said in the log
 * and on stderr, once (every later write then says it failed in the log). */
static void make_snapshot_dir(void) {
    char path[sizeof resmon_config.snapshot_dir];
    memcpy(path, resmon_config.snapshot_dir, sizeof path);
    if (path[0] == '\0') {
        return;
    }
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0777); /* the umask decides, as for mkdir -p; an existing one is fine */
            *p = '/';
        }
    }
    if (mkdir(path, 0777) == 0) {
        return;
    }
    int error = errno;
    struct stat st;
    if (error == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        return;
    }
    const char *why = error == EEXIST ? "not a directory" : strerror(error);
    resmon_logf("snapshot failed: cannot create directory %s (%s)", path, why);
    fprintf(stderr, "resmon: cannot create RESMON_SNAPSHOT_DIR=%s (%s): no heap snapshots or table images will"
                    " be written\n", path, why);
}

static void init_once_body(void) {
    resmon_busy++;
    resmon_resolve_heap();
    resmon_resolve_other();
    resmon_resolve_cxx();
    read_config();
    if (resmon_config.backtrace_mode == BT_LIBUNWIND) {
        load_libunwind();
    }
    if (resmon_config.backtrace_mode == BT_CFI && resmon_cfi_init() != 0) {
        fprintf(stderr, "resmon: no memory for the unwinder's tables; walking frame pointers instead\n");
        resmon_config.backtrace_mode = BT_FP;
    }
    read_process_name();
    rt_set_max_records(env_u64("RESMON_MAX_RECORDS", 0));
    if (rt_init(resmon_process_name, (uint64_t)getpid(), &resmon_config.limits) != 0) {
        resmon_busy--;
        return;
    }
    resmon_suppress_init();
    resmon_log_open();
    make_snapshot_dir();
    resmon_modules_check(); /* the table's module list (docs/formats/resmon-table.md) */
    pthread_atfork(before_fork, after_fork_parent, after_fork_child);
    atexit(at_exit);
    int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = fatal_signal;
        sa.sa_flags = SA_RESETHAND | SA_NODEFER;
        struct sigaction old;
        if (sigaction(fatal[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
            sigaction(fatal[i], &sa, NULL); /* only where the program has no handler of its own */
        }
    }
    struct sigaction old;
    if (sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = snapshot_signal;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGUSR2, &sa, NULL);
    }
    resmon_active = 1;
    resmon_start_monitor();
    resmon_busy--;
}

void resmon_init(void) {
    pthread_once(&init_once, init_once_body);
}

__attribute__((constructor)) static void resmon_constructor(void) {
    resmon_init();
}

int resmon_backtrace(void *caller, void *frame, uint64_t *frames) {
    int depth = 0;
    frames[depth++] = (uint64_t)(uintptr_t)caller;
    if (resmon_config.backtrace_mode == BT_NONE || frame == NULL) {
        return depth;
    }
    if (resmon_config.backtrace_mode == BT_LIBUNWIND && unw_backtrace_fn != NULL) {
        /* the unwinder starts inside the tracker: skip to the hook's return address, keep what follows */
        void *buf[RT_MAX_FRAMES + 8];
        int n = unw_backtrace_fn(buf, RT_MAX_FRAMES + 8);
        int at = 0;
        while (at < n && buf[at] != caller) {
            at++;
        }
        for (at++; at < n && depth < resmon_config.depth; at++) {
            frames[depth++] = (uint64_t)(uintptr_t)buf[at];
        }
        return depth;
    }
    /* the hook (built with frame pointers) saved its caller's rbp at [frame]; its caller's stack pointer, once
     * the hook returned, is just above the hook's return address */
    uintptr_t *fp = frame;
    if (resmon_config.backtrace_mode == BT_CFI) {
        int n = resmon_cfi_backtrace((uintptr_t)caller, (uintptr_t)frame + 16, fp[0], frames, depth,
                                     resmon_config.depth);
        if (n >= 0) {
            return n;
        }
    }
    /* Walk saved frame pointers from the hook's frame: [fp] = caller's fp, [fp + 8] = return address. A chain
     * through code built without frame pointers ends at the first implausible link. */
    uintptr_t lo = (uintptr_t)fp;
    fp = (uintptr_t *)fp[0]; /* the traced function's frame */
    while (depth < resmon_config.depth && fp != NULL) {
        uintptr_t f = (uintptr_t)fp;
        if (f <= lo || f - lo > (8u << 20) || (f & 7) != 0) {
            break;
        }
        uintptr_t ret = fp[1];
        if (ret < 4096) {
            break;
        }
        frames[depth++] = ret;
        lo = f;
        fp = (uintptr_t *)fp[0];
    }
    return depth;
}

/* ---- the monitor thread ---- */

static void *monitor(void *arg) {
    resmon_busy++; /* nothing this thread does is the program's */
    uint32_t ms = resmon_config.limits.interval_ms;
    pthread_mutex_lock(&monitor_mutex);
    while (!monitor_stop) {
        pthread_mutex_unlock(&monitor_mutex);
        resmon_suppress_settle(); /* call sites first seen since the last cycle: their records may go */
        resmon_clock_refresh();
        resmon_log_periodic();
        pthread_mutex_lock(&monitor_mutex);
        uint32_t left = ms;
        while (left > 0 && !monitor_stop) {
            if (snapshot_requested) {
                snapshot_requested = 0;
                pthread_mutex_unlock(&monitor_mutex);
                resmon_suppress_settle();
                resmon_write_heap_snapshot("SIGUSR2");
                pthread_mutex_lock(&monitor_mutex);
            }
            resmon_modules_check(); /* a module loaded since the last tick joins the table's list */
            /* ticks of at most 100 ms: a SIGUSR2 flag is seen within one */
            uint32_t step = left > 100 ? 100 : left;
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += (long)step * 1000000L;
            until.tv_sec += until.tv_nsec / 1000000000L;
            until.tv_nsec %= 1000000000L;
            pthread_cond_timedwait(&monitor_wake, &monitor_mutex, &until);
            left -= step;
        }
    }
    pthread_mutex_unlock(&monitor_mutex);
    return NULL;
}

static void stop_monitor(void) {
    pthread_mutex_lock(&monitor_mutex);
    monitor_stop = 1;
    pthread_cond_signal(&monitor_wake);
    pthread_mutex_unlock(&monitor_mutex);
}

extern int (*real_pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

void resmon_start_monitor(void) {
    monitor_running = real_pthread_create != NULL && real_pthread_create(&monitor_thread, NULL, monitor, NULL) == 0;
}

void resmon_write_table_image(uint32_t flags) {
    const char *dir = resmon_config.snapshot_dir;
    if (dir[0] == '\0' || rt_header() == NULL) {
        return;
    }
    /* built by hand: snprintf is not async-signal-safe */
    char path[1200];
    size_t n = strlen(dir);
    if (n > 1000) {
        return;
    }
    memcpy(path, dir, n);
    const char *prefix = "/resmon-";
    memcpy(path + n, prefix, 8);
    n += 8;
    char digits[24];
    int d = 0;
    uint64_t pid = rt_header()->process_id;
    do {
        digits[d++] = (char)('0' + pid % 10);
        pid /= 10;
    } while (pid > 0);
    while (d > 0) {
        path[n++] = digits[--d];
    }
    memcpy(path + n, ".rmt", 5);
    if (rt_write_image(path, flags) != 0 && !(flags & RT_FLAG_FATAL_SIGNAL)) {
        resmon_logf("snapshot failed: cannot write %s", path); /* not from a signal handler: snprintf */
    }
}
