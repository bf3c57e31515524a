/*
 * The log libresmon writes, in DebugView's saved-log layout with resmon's line shapes (docs/formats/resmon.md)
 * so logscan reads it like a Windows capture: the loaded modules at start, the periodic usage lines with limit
 * updates, and the exit report of everything still alive. Two additions to resmon's shapes, documented there:
 * "module" lines and a "handle usage" section for descriptors.
 */

#include "tracker.h"
#include "report_table.h"

#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static int log_fd = 2;
static unsigned long long sequence;
static uint64_t log_start_ns;
static uint64_t last_cpu_ns;
static uint64_t last_wall_ns;
static int cpu_started; /* the first cycle only starts the count: see resmon_log_periodic */

static uint64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The longest build id a module line carries whole (docs/formats/resmon.md §9: a longer one is left out). */
#define LINE_ID_BYTES 64

/* "module 0xBASE size N [buildid HEX] PATH" (docs/formats/resmon.md §9) */
static int module_line(struct dl_phdr_info *info, size_t size, void *data) {
    uint64_t lo;
    uint64_t hi;
    if (!resmon_module_range(info, &lo, &hi)) {
        return 0;
    }
    char exe[PATH_MAX];
    const char *path = resmon_module_path(info, exe, sizeof exe);
    uint8_t id[LINE_ID_BYTES];
    size_t id_len = resmon_module_build_id(info, id, sizeof id);
    char field[9 + 2 * LINE_ID_BYTES + 1] = "";
    if (id_len > 0 && id_len <= LINE_ID_BYTES) {
        memcpy(field, "buildid ", 8);
        for (size_t i = 0; i < id_len; i++) {
            snprintf(field + 8 + 2 * i, 3, "%02x", id[i]);
        }
        field[8 + 2 * id_len] = ' ';
        field[9 + 2 * id_len] = '\0';
    }
    resmon_logf("module 0x%016llX size %llu %s%s", (unsigned long long)lo, (unsigned long long)(hi - lo), field,
                path);
    return 0;
}

void resmon_log_open(void) {
    if (resmon_config.log_path[0] != '\0') {
        int fd = open(resmon_config.log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            log_fd = fd;
        } else {
            fprintf(stderr, "resmon: cannot open RESMON_LOG=%s; logging to stderr\n", resmon_config.log_path);
        }
    }
    log_start_ns = mono_ns();
    dl_iterate_phdr(module_line, NULL);
}

void resmon_logf(const char *fmt, ...) {
    char line[1400];
    double elapsed = (double)(mono_ns() - log_start_ns) / 1e9;
    unsigned long long seq = __atomic_add_fetch(&sequence, 1, __ATOMIC_RELAXED);
    int n = snprintf(line, sizeof line, "%08llu\t%.8f\t[%d] %s|resmon| ", seq, elapsed, (int)getpid(),
                     resmon_process_name);
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof line - (size_t)n - 2, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2) {
        n = (int)sizeof line - 2;
    }
    line[n++] = '\n';
    ssize_t w = write(log_fd, line, (size_t)n); /* one write per line: lines of threads never interleave */
    (void)w;
}

void resmon_log_periodic(void) {
    struct rt_header *h = rt_header();
    if (h == NULL) {
        return;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    uint64_t user = (uint64_t)ru.ru_utime.tv_sec * 1000000000ull + (uint64_t)ru.ru_utime.tv_usec * 1000ull;
    uint64_t sys = (uint64_t)ru.ru_stime.tv_sec * 1000000000ull + (uint64_t)ru.ru_stime.tv_usec * 1000ull;
    uint64_t now = mono_ns();
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t wall = (now - last_wall_ns) * (uint64_t)(cpus > 0 ? cpus : 1);
    /* like resmon: a share of the whole machine, all CPUs. The first cycle, at start-up, only starts the count
     * (as resmon.dll's does): a share of the few microseconds since the start would be the loader's and the
     * tracker's set-up, not the program's, and often over any limit. The first share covers a full interval. */
    unsigned cpu = !cpu_started || wall == 0 ? 0 : (unsigned)((user + sys - last_cpu_ns) * 100 / wall);
    cpu_started = 1;
    last_cpu_ns = user + sys;
    last_wall_ns = now;
    uint64_t disk = resmon_proc_value("/proc/self/io", "wchar:"); /* bytes written so far, 0 when unknown */

    rt_refresh_totals();
    rt_report_usage(h, (uint32_t)getpid(), cpu, disk, resmon_logf);
}

void resmon_log_report(int at_exit) {
    if (rt_header() == NULL) {
        return;
    }
    rt_refresh_totals();
    rt_lock();
    rt_report_table(rt_header(), at_exit, resmon_logf);
    rt_unlock();
}
