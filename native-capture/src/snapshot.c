/*
 * Heap snapshots in UMDH's snapshot-log format (docs/formats/umdh.md), so leakdiff compares them like
 * `umdh -p:PID -f:log.txt` output: the loaded modules, then every live block with its stack as raw
 * addresses, each stack printed the first time its trace id appears. Written on SIGUSR2 (by the monitor
 * thread within its next 100 ms tick, or at exit when that comes first: the signal handler only raises a flag)
 * and at exit, as RESMON_SNAPSHOT_DIR/resmon-PID-N.umdh; each is announced in the log, `snapshot written PATH`
 * (or `snapshot failed: ...`), as resmon.dll does.
 */
#include "tracker.h"
#include "report_table.h"

#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int snapshot_count;

struct out {
    int fd;
    char buf[65536];
    size_t used;
    int failed;
};

static void flush_out(struct out *o) {
    size_t at = 0;
    while (at < o->used && !o->failed) {
        ssize_t w = write(o->fd, o->buf + at, o->used - at);
        if (w <= 0) {
            o->failed = 1;
        } else {
            at += (size_t)w;
        }
    }
    o->used = 0;
}

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...) {
    if (sizeof o->buf - o->used < 2048) {
        flush_out(o);
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->used, sizeof o->buf - o->used, fmt, ap);
    va_end(ap);
    if (n > 0) {
        o->used += (size_t)n < sizeof o->buf - o->used ? (size_t)n : sizeof o->buf - o->used - 1;
    }
}

static int module_row(struct dl_phdr_info *info, size_t size, void *data) {
    uint64_t lo;
    uint64_t hi;
    resmon_module_range(info, &lo, &hi);
    char exe[PATH_MAX];
    const char *path = resmon_module_path(info, exe, sizeof exe);
    if (hi > lo && path[0] != '\0') {
        put(data, "//  %16llX %8llX %s\n", (unsigned long long)lo, (unsigned long long)(hi - lo), path);
    }
    return 0;
}

static void put_void(void *o, const char *fmt, ...) {
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    put(o, "%s", line);
}

/* The local time's offset from UTC, for the snapshots' Logtime. localtime_r is called only here, outside the
 * exit path: the exit snapshot comes after glibc's clean-up (__libc_freeres) has freed the time zone state, and
 * localtime_r then crashed a program that had used the time zone. */
static long utc_offset_s;

void resmon_clock_refresh(void) {
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) != NULL) {
        utc_offset_s = tm.tm_gmtoff;
    }
}

void resmon_write_heap_snapshot(const char *why) {
    struct rt_header *h = rt_header();
    const char *dir = resmon_config.snapshot_dir;
    if (h == NULL || dir[0] == '\0') {
        return;
    }
    char path[1200];
    char tmp[1210];
    snprintf(path, sizeof path, "%s/resmon-%llu-%d.umdh", dir, (unsigned long long)h->process_id, ++snapshot_count);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    struct out *o = mmap(NULL, sizeof *o, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (o == MAP_FAILED) {
        return;
    }
    o->used = 0;
    o->failed = 0;
    o->fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o->fd < 0) {
        munmap(o, sizeof *o);
        resmon_logf("snapshot failed: cannot write %s", path);
        return;
    }
    time_t now = time(NULL) + utc_offset_s;
    struct tm tm;
    gmtime_r(&now, &tm); /* local time from the offset read earlier: see resmon_clock_refresh */
    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
    put(o, "// \n// UMDH: version 6.1.7650.0: Logtime %04d-%02d-%02d %02d:%02d - Machine=%s - PID=%llu\n// \n",
        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, host,
        (unsigned long long)h->process_id);
    put(o, "// Written by Leakscope libresmon.so (%s) for %s: live tracked heap blocks, stacks as raw addresses.\n",
        why, resmon_process_name);
    put(o, "// Loaded modules: \n//     Base Size Module\n");
    dl_iterate_phdr(module_row, o);
    put(o, "//\n// Process modules enumerated.\n\n");
    put(o, "*- - - - - - - - - - Start of data for heap @ 0 - - - - - - - - - -\n\n");
    put(o, "REQUESTED bytes + OVERHEAD at ADDRESS by BackTraceID\n     STACK if not already dumped.\n\n");
    put(o, "*- - - - - - - - - - Heap 0 Hogs - - - - - - - - - -\n\n");

    rt_refresh_totals();
    rt_lock();
    rt_umdh_records(h, put_void, o);
    rt_unlock();
    put(o, "\n*- - - - - - - - - - End of data for heap @ 0 - - - - - - - - - -\n");
    flush_out(o);
    int failed = o->failed;
    close(o->fd);
    munmap(o, sizeof *o);
    if (failed || rename(tmp, path) != 0) {
        unlink(tmp);
        resmon_logf("snapshot failed: cannot write %s", path);
        return;
    }
    resmon_logf("snapshot written %s", path); /* resmon.dll's note, so a user sees a SIGUSR2 was answered */
}
