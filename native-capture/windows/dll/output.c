/*
 * What resmon.dll prints and writes: report lines through OutputDebugString (DebugView or resmon_client adds
 * the pid and time), the periodic usage lines, the resource report, UMDH-format heap snapshots and the table
 * image. The DLL's own C runtime calls are not hooked (only watched modules' import tables are), so stdio is
 * safe here.
 */
#include "resmon_dll.h"
#include "report_table.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static HANDLE log_file = INVALID_HANDLE_VALUE;
static volatile LONG log_sequence;
static uint64_t log_start_ns;

void resmon_log_open(void) {
    if (resmon_config.log_path[0] != '\0' && log_file == INVALID_HANDLE_VALUE) {
        log_file = CreateFileA(resmon_config.log_path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                               OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        log_start_ns = rt_now_ns();
    }
}

/* The line as DebugView saves it, "SEQ<TAB>SECONDS<TAB>[pid] text", in one write so threads never interleave. */
static void log_write(const char *text) {
    char record[1200];
    int n = snprintf(record, sizeof record, "%08lu\t%.8f\t[%lu] %s", (unsigned long)InterlockedIncrement(&log_sequence),
                     (double)(rt_now_ns() - log_start_ns) / 1e9, GetCurrentProcessId(), text);
    if (n > 0) {
        DWORD written;
        WriteFile(log_file, record, n < (int)sizeof record ? (DWORD)n : (DWORD)sizeof record - 1, &written, NULL);
    }
}

void resmon_logf(const char *fmt, ...) {
    char line[1100];
    int n = snprintf(line, sizeof line, "%s|resmon| ", resmon_process_name);
    if (n < 0 || n >= (int)sizeof line) {
        n = 0;
    }
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    n = m < 0 ? n : (n + m > (int)sizeof line - 2 ? (int)sizeof line - 2 : n + m);
    line[n++] = '\n';
    line[n] = '\0';
    OutputDebugStringA(line); /* one call per line: one DebugView record */
    if (log_file != INVALID_HANDLE_VALUE) {
        log_write(line);
    }
}

static uint64_t filetime_ns(FILETIME t) {
    return ((((uint64_t)t.dwHighDateTime << 32) | t.dwLowDateTime)) * 100u;
}

static uint64_t last_process_ns;
static uint64_t last_system_ns;

void resmon_log_periodic(void) {
    struct rt_header *h = rt_header();
    if (h == NULL) {
        return;
    }
    /* like resmon: the process's CPU time over the machine's (all CPUs, idle included) */
    FILETIME created, exited, kernel, user, idle, sys_kernel, sys_user;
    unsigned cpu = 0;
    if (GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)
        && GetSystemTimes(&idle, &sys_kernel, &sys_user)) {
        uint64_t process = filetime_ns(kernel) + filetime_ns(user);
        uint64_t system = filetime_ns(sys_kernel) + filetime_ns(sys_user); /* kernel time includes idle */
        if (last_system_ns != 0 && system > last_system_ns) {
            cpu = (unsigned)((process - last_process_ns) * 100 / (system - last_system_ns));
        }
        last_process_ns = process;
        last_system_ns = system;
    }
    IO_COUNTERS io;
    uint64_t disk = GetProcessIoCounters(GetCurrentProcess(), &io) ? io.WriteTransferCount : 0;
    rt_refresh_totals();
    rt_report_usage(h, GetCurrentProcessId(), cpu, disk, resmon_logf);
}

/* Thread records learn here whether their thread still runs: a thread that returned from its start routine
 * never passed through a hook. */
static void update_threads(struct rt_header *h) {
    for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[RT_THREAD - 1]; c != NULL;
         c = (struct rt_chunk *)(uintptr_t)c->next_va) {
        for (uint32_t i = 0; i < c->used; i++) {
            struct rt_thread_record *t = (struct rt_thread_record *)((char *)(c + 1) + (size_t)i * c->record_size);
            DWORD code;
            if (t->common.state != 0 && t->common.subtype == RT_THREAD_RUNNING
                && GetExitCodeThread((HANDLE)(uintptr_t)t->common.handle, &code) && code != STILL_ACTIVE) {
                t->common.subtype = RT_THREAD_EXITED;
                t->exit_time_ns = rt_now_ns();
            }
        }
    }
}

void resmon_log_report(int at_exit) {
    struct rt_header *h = rt_header();
    if (h == NULL) {
        return;
    }
    rt_refresh_totals();
    rt_lock();
    update_threads(h);
    rt_report_table(h, at_exit, resmon_logf);
    rt_unlock();
}

/* ---- heap snapshots ---- */

static void put_file(void *arg, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf((FILE *)arg, fmt, ap);
    va_end(ap);
}

static void module_row(uint64_t base, uint64_t size, const char *path, void *arg) {
    fprintf((FILE *)arg, "//  %16llX %8llX %s\n", (unsigned long long)base, (unsigned long long)size, path);
}

void resmon_write_heap_snapshot(const char *why) {
    static LONG count;
    struct rt_header *h = rt_header();
    const char *dir = resmon_config.snapshot_dir;
    if (h == NULL || dir[0] == '\0') {
        return;
    }
    char path[MAX_PATH + 64];
    char tmp[MAX_PATH + 80];
    snprintf(path, sizeof path, "%s\\resmon-%lu-%ld.umdh", dir, GetCurrentProcessId(), InterlockedIncrement(&count));
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        resmon_logf("snapshot failed: cannot write %s", tmp);
        return;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 16);
    SYSTEMTIME now;
    GetLocalTime(&now);
    char host[MAX_COMPUTERNAME_LENGTH + 1] = "unknown";
    DWORD host_len = sizeof host;
    GetComputerNameA(host, &host_len);
    fprintf(f, "// \n// UMDH: version 6.1.7650.0: Logtime %04u-%02u-%02u %02u:%02u - Machine=%s - PID=%lu\n// \n",
            now.wYear, now.wMonth, now.wDay, now.wHour, now.wMinute, host, GetCurrentProcessId());
    fprintf(f, "// Written by Leakscope resmon.dll (%s) for %s: live tracked heap blocks, stacks as raw addresses.\n",
            why, resmon_process_name);
    fprintf(f, "// Loaded modules: \n//     Base Size Module\n");
    resmon_each_module(module_row, f);
    fprintf(f, "//\n// Process modules enumerated.\n\n");
    fprintf(f, "*- - - - - - - - - - Start of data for heap @ 0 - - - - - - - - - -\n\n");
    fprintf(f, "REQUESTED bytes + OVERHEAD at ADDRESS by BackTraceID\n     STACK if not already dumped.\n\n");
    fprintf(f, "*- - - - - - - - - - Heap 0 Hogs - - - - - - - - - -\n\n");
    rt_refresh_totals();
    rt_lock();
    rt_umdh_records(h, put_file, f);
    rt_unlock();
    fprintf(f, "\n*- - - - - - - - - - End of data for heap @ 0 - - - - - - - - - -\n");
    int failed = ferror(f) != 0;
    failed |= fclose(f) != 0;
    if (failed || !MoveFileExA(tmp, path, MOVEFILE_REPLACE_EXISTING)) {
        DeleteFileA(tmp);
        resmon_logf("snapshot failed: cannot write %s", path);
        return;
    }
    resmon_logf("snapshot written %s", path);
}

void resmon_write_table_image(uint32_t flags) {
    if (resmon_config.snapshot_dir[0] == '\0' || rt_header() == NULL) {
        return;
    }
    char path[MAX_PATH + 32];
    snprintf(path, sizeof path, "%s\\resmon-%lu.rmt", resmon_config.snapshot_dir, GetCurrentProcessId());
    if (rt_write_image(path, flags) != 0) {
        resmon_logf("snapshot failed: cannot write %s", path);
    }
}

void resmon_make_snapshot_dir(void) {
    char path[MAX_PATH];
    snprintf(path, sizeof path, "%s", resmon_config.snapshot_dir);
    if (path[0] == '\0') {
        return;
    }
    for (char *p = path + 1; *p != '\0'; p++) {
        if ((*p == '\\' || *p == '/') && p[-1] != ':' && p[-1] != '\\') { /* not C:\ nor \\server */
            char c = *p;
            *p = '\0';
            CreateDirectoryA(path, NULL); /* a parent that exists is fine */
            *p = c;
        }
    }
    if (CreateDirectoryA(path, NULL)) {
        return;
    }
    DWORD error = GetLastError();
    DWORD attributes = GetFileAttributesA(path);
    if (error == ERROR_ALREADY_EXISTS && attributes != INVALID_FILE_ATTRIBUTES
        && (attributes & FILE_ATTRIBUTE_DIRECTORY)) {
        return;
    }
    char why[64] = "not a directory";
    if (error != ERROR_ALREADY_EXISTS) {
        snprintf(why, sizeof why, "error %lu", error);
    }
    resmon_logf("snapshot failed: cannot create directory %s (%s)", path, why);
    /* and where a user running the program sees it, when it has a console or a redirected stderr */
    char message[MAX_PATH + 160];
    int n = snprintf(message, sizeof message, "resmon: cannot create RESMON_SNAPSHOT_DIR=%s (%s): no heap snapshots"
                     " or table images will be written\n", path, why);
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    DWORD written;
    if (err != NULL && err != INVALID_HANDLE_VALUE && n > 0) {
        WriteFile(err, message, n < (int)sizeof message ? (DWORD)n : (DWORD)sizeof message - 1, &written, NULL);
    }
}
