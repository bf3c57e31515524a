/*
 * What the parts of resmon_client.exe share. resmon_client.c reads the command line, writes the log and starts
 * the target; debugger.c runs the debug session (injection, snapshots, the crash dump); table_copy.c reads the
 * target's memory and copies the resmon table out of it. The state of one run is a struct session, passed to
 * whoever needs it; the log and the table copy's scratch space stay private to their files.
 */
#ifndef RESMON_CLIENT_H
#define RESMON_CLIENT_H

#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stddef.h>
#include <stdint.h>

/* exit codes besides the target's own */
enum {
    RC_USAGE = 2,             /* bad arguments */
    RC_SNAPSHOT_FAILED = 1,   /* --snapshot PID: no resmon event in that process */
    RC_CLIENT_FAILED = 121,   /* the target could not be started or debugged */
    RC_CRASHED_NO_DUMP = 122, /* the target crashed; the dump could not be written */
    RC_CRASHED = 123,         /* the target crashed; the dump was written */
};

#define MAX_DEBUG_STRING 65536u /* bytes read from one OutputDebugString */
#define MAX_MODULES 4096u       /* DLL bases remembered from LOAD_DLL events */

/* The command line's choices (see usage() in resmon_client.c). */
struct options {
    const wchar_t *dll;     /* --dll, or NULL: resmon.dll beside resmon_client.exe */
    const wchar_t *out_dir; /* --out-dir, or NULL: . */
    const wchar_t *log;     /* --log, or NULL: OUT-DIR\resmon-PID.log */
    int full_dump;          /* --dump full */
    int table_stream;       /* 0 with --no-table-stream */
    double snapshot_every;  /* --snapshot-every, in seconds; 0: none */
    int target_arg;         /* index in argv of target.exe */
};

/* One run of a target: filled in by wmain before the debug loop, then the debug loop's state. */
struct session {
    struct options opt;
    wchar_t out_dir[MAX_PATH];  /* absolute, without a trailing backslash */
    wchar_t log_path[MAX_PATH];
    wchar_t dll_path[MAX_PATH]; /* the resmon.dll to inject */
    int have_dll;               /* dll_path exists */
    HANDLE process;             /* the target, from CreateProcessW: read and written while it is debugged */
    DWORD pid;
    HANDLE main_thread;
    DWORD main_tid;
    uint64_t entry;             /* the exe's entry point, where the DLL is injected */
    unsigned char entry_byte;   /* what the int3 at `entry` replaced */
    int entry_armed;            /* the int3 is in place */
    int loader_breakpoint_seen;
    /* injection: 0 not yet, 1 in progress, 2 done (or given up) */
    int inject_state;
    DWORD inject_tid;
    HANDLE inject_thread;
    ULONGLONG inject_deadline;
    uint64_t resmon_base;       /* the injected resmon.dll, once loaded; 0 before and after */
    uint64_t modules[MAX_MODULES];
    unsigned module_count;
    HANDLE snapshot_event;      /* the DLL's Local\resmon-snapshot-PID, opened on first use */
    ULONGLONG next_snapshot;    /* GetTickCount64() time of the next --snapshot-every request */
    unsigned snapshots;         /* requests made */
    int snapshot_warned;
};

/* ---- the program (resmon_client.c) ---- */

/* Prints "resmon_client: " and the message, with a newline, on stderr. */
void say(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
/* `w` in UTF-8 ("?" when it cannot be converted), in one of four rotating static buffers. */
char *utf8(const wchar_t *w);
/* Writes the debug string `text` (n bytes) of process `pid` to the log, one record per line. */
void log_message(DWORD pid, const char *text, size_t n);

/* ---- the debug session (debugger.c) ---- */

/* Runs the debug loop until the target exits; returns the client's exit code. */
int debug_loop(struct session *s);

/* ---- the target's memory and its table (table_copy.c) ---- */

/* Reads n bytes at `va` in `process` into buf: 0 when all were read, else -1. */
int peek(HANDLE process, uint64_t va, void *buf, size_t n);
/* The address the data export `name` of the module at `base` in `process` holds; 0 when absent. */
uint64_t remote_export(HANDLE process, uint64_t base, const char *name);
/* The table whose header is at `header_va` in `process`, as a table image (LKRMIMG1) of *length bytes to
 * free(); NULL when the header is bad. */
unsigned char *copy_table(HANDLE process, uint64_t header_va, size_t *length);

#endif
