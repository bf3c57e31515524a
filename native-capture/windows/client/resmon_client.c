/*
 * resmon_client.exe: runs a program with resmon.dll injected, as its debugger. Every debug string goes to a
 * DebugView-layout log; a crash leaves a minidump carrying the resmon table in a user stream (0x4C4B0001,
 * docs/formats/resmon-table.md); snapshots are requested through the DLL's event. The contract with the DLL
 * is ../README.md; usage and exit codes are in usage() below.
 *
 * This file is the program: options, the log writer, the target's command line, --snapshot PID and wmain.
 * The debug session is debugger.c; reading the target's memory and copying its table out is table_copy.c.
 */
#include "client.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- messages ---- */

static const char *prog = "resmon_client";

void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
}

char *utf8(const wchar_t *w) {
    static char buf[4][2048];
    static int slot;
    char *b = buf[slot++ & 3];
    if (WideCharToMultiByte(CP_UTF8, 0, w, -1, b, sizeof buf[0], NULL, NULL) == 0) {
        strcpy(b, "?");
    }
    return b;
}

static void usage(FILE *f) {
    fputs("usage: resmon_client.exe [options] target.exe [args...]\n"
          "       resmon_client.exe --snapshot PID\n"
          "\n"
          "Runs target.exe with resmon.dll injected, as its debugger: every debug string goes to a log in\n"
          "DebugView's layout (SEQ<TAB>SECONDS<TAB>[pid] message, readable by logscan); a crash leaves a\n"
          "minidump with the resmon table in user stream 0x4C4B0001 (dumpscan DUMP --resmon).\n"
          "\n"
          "  --dll PATH              resmon.dll to inject (default: the one beside resmon_client.exe)\n"
          "  --out-dir DIR           where the log, the dump and the snapshots go (default: .)\n"
          "  --log PATH              the log (default: OUT-DIR\\resmon-PID.log)\n"
          "  --dump normal|full      normal (default): threads, stacks, modules, the code around each\n"
          "                          thread's instruction pointer, the table stream; with Windows' dbghelp\n"
          "                          also data segments, indirectly referenced memory, handles and thread\n"
          "                          and memory-region info. full: all committed memory (MiniDumpWithFullMemory)\n"
          "  --no-table-stream       leave the table stream out (dumpscan then scans a full dump's memory)\n"
          "  --snapshot-every SEC    ask resmon.dll for a heap snapshot every SEC seconds while the target runs\n"
          "  --snapshot PID          ask the resmon.dll in process PID for a heap snapshot now, and exit\n"
          "  -h, --help              this help\n"
          "\n"
          "The target gets RESMON_AUTOSTART=1 and, unless already set, RESMON_SNAPSHOT_DIR=OUT-DIR.\n"
          "The dump is OUT-DIR\\resmon-PID.dmp (written to a .tmp name, then renamed).\n"
          "\n"
          "Exit status:\n"
          "  the target's exit code when it exits by itself\n"
          "  123  the target crashed; the dump was written (its path is printed on stderr)\n"
          "  122  the target crashed; the dump could not be written\n"
          "  121  the target could not be started or debugged\n"
          "  2    bad arguments\n"
          "  --snapshot: 0 the event was set, 1 no resmon.dll listens in that process\n",
          f);
}

/* ---- options (struct options is in client.h) ---- */

static int bad_usage(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(resmon_client.exe --help for usage)\n");
    va_end(ap);
    return RC_USAGE;
}

static int parse_pid(const wchar_t *s, DWORD *pid) {
    wchar_t *end;
    unsigned long v = wcstoul(s, &end, 10);
    if (end == s || *end != 0 || v == 0 || v > 0xFFFFFFFFul) {
        return -1;
    }
    *pid = (DWORD)v;
    return 0;
}

/* ---- the log ---- */

static HANDLE log_file = INVALID_HANDLE_VALUE;
static unsigned long long log_seq;
static LARGE_INTEGER clock_start, clock_freq;

static void log_write(const char *p, size_t n) {
    DWORD written;
    static int warned;
    if (log_file != INVALID_HANDLE_VALUE && n > 0 && !WriteFile(log_file, p, (DWORD)n, &written, NULL) && !warned++) {
        say("warning: writing the log failed (error %lu)", GetLastError());
    }
}

/* One record per line of `text` (n bytes, UTF-8 or ANSI), each written through at once: a killed client loses
 * nothing already seen. */
void log_message(DWORD pid, const char *text, size_t n) {
    LARGE_INTEGER now;
    QueryPerformanceCounter(&now);
    double elapsed = (double)(now.QuadPart - clock_start.QuadPart) / (double)clock_freq.QuadPart;
    while (n > 0 && (text[n - 1] == 0 || text[n - 1] == '\n' || text[n - 1] == '\r')) {
        n--; /* the trailing newline (and NUL) of the string */
    }
    static char out[MAX_DEBUG_STRING * 2 + 4096];
    size_t o = 0;
    size_t i = 0;
    do {
        size_t j = i;
        while (j < n && text[j] != '\n') {
            j++;
        }
        size_t e = j;
        while (e > i && text[e - 1] == '\r') {
            e--;
        }
        if (o + (e - i) + 64 > sizeof out) {
            log_write(out, o); /* a string of many short lines: write what is ready, go on */
            o = 0;
        }
        o += (size_t)snprintf(out + o, sizeof out - o, "%08llu\t%.8f\t[%lu] ", ++log_seq, elapsed,
                              (unsigned long)pid);
        for (size_t k = i; k < e; k++) {
            out[o++] = text[k] == 0 ? ' ' : text[k]; /* a NUL would make the log binary to its readers */
        }
        out[o++] = '\r';
        out[o++] = '\n';
        i = j + 1;
    } while (i < n);
    log_write(out, o);
}

/* ---- the target's command line ---- */

/* Appends `arg` quoted so that CommandLineToArgvW and the C runtime give it back unchanged. */
static int append_arg(wchar_t *cmd, size_t cap, size_t *len, const wchar_t *arg) {
    size_t n = *len;
#define PUT(ch)                                                                                                        \
    do {                                                                                                               \
        if (n + 2 >= cap) return -1;                                                                                   \
        cmd[n++] = (ch);                                                                                               \
    } while (0)
    if (n > 0) {
        PUT(L' ');
    }
    int quote = *arg == 0 || wcspbrk(arg, L" \t\n\v\"") != NULL;
    if (!quote) {
        for (const wchar_t *p = arg; *p; p++) {
            PUT(*p);
        }
    } else {
        PUT(L'"');
        for (const wchar_t *p = arg;; p++) {
            size_t slashes = 0;
            while (*p == L'\\') {
                p++;
                slashes++;
            }
            if (*p == 0) {
                for (size_t i = 0; i < slashes * 2; i++) PUT(L'\\');
                break;
            }
            if (*p == L'"') {
                for (size_t i = 0; i < slashes * 2 + 1; i++) PUT(L'\\');
            } else {
                for (size_t i = 0; i < slashes; i++) PUT(L'\\');
            }
            PUT(*p);
        }
        PUT(L'"');
    }
#undef PUT
    cmd[n] = 0;
    *len = n;
    return 0;
}

/* ---- --snapshot PID, and the program ---- */

/* Sets the snapshot event of the resmon.dll in process `pid_text`; the exit code of --snapshot PID. */
static int snapshot_once(const wchar_t *pid_text) {
    DWORD pid;
    if (parse_pid(pid_text, &pid) != 0) {
        return bad_usage("--snapshot needs a process id, not '%s'", utf8(pid_text));
    }
    wchar_t name[64];
    swprintf(name, 64, L"Local\\resmon-snapshot-%lu", (unsigned long)pid);
    HANDLE e = OpenEventW(EVENT_MODIFY_STATE, FALSE, name);
    if (e == NULL) {
        say("process %lu has no resmon snapshot event (%s: error %lu): is it running with resmon.dll installed?",
            (unsigned long)pid, utf8(name), GetLastError());
        return RC_SNAPSHOT_FAILED;
    }
    BOOL ok = SetEvent(e);
    CloseHandle(e);
    if (!ok) {
        say("cannot set %s (error %lu)", utf8(name), GetLastError());
        return RC_SNAPSHOT_FAILED;
    }
    say("snapshot requested from process %lu (resmon.dll writes it into its RESMON_SNAPSHOT_DIR)", (unsigned long)pid);
    return 0;
}

int wmain(int argc, wchar_t **argv) {
    struct session *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return RC_CLIENT_FAILED;
    }
    struct options *o = &s->opt;
    o->table_stream = 1;
    int i = 1;
    for (; i < argc && argv[i][0] == L'-'; i++) {
        const wchar_t *a = argv[i];
        const wchar_t *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (wcscmp(a, L"--") == 0) {
            i++;
            break;
        } else if (wcscmp(a, L"-h") == 0 || wcscmp(a, L"--help") == 0) {
            usage(stdout);
            return 0;
        } else if (wcscmp(a, L"--no-table-stream") == 0) {
            o->table_stream = 0;
            continue;
        }
        if (wcscmp(a, L"--dll") != 0 && wcscmp(a, L"--out-dir") != 0 && wcscmp(a, L"--log") != 0
            && wcscmp(a, L"--dump") != 0 && wcscmp(a, L"--snapshot") != 0 && wcscmp(a, L"--snapshot-every") != 0) {
            return bad_usage("unknown option %s", utf8(a));
        }
        if (v == NULL || *v == 0) {
            return bad_usage("%s needs a value", utf8(a));
        }
        i++;
        if (wcscmp(a, L"--dll") == 0) {
            o->dll = v;
        } else if (wcscmp(a, L"--out-dir") == 0) {
            o->out_dir = v;
        } else if (wcscmp(a, L"--log") == 0) {
            o->log = v;
        } else if (wcscmp(a, L"--dump") == 0) {
            if (wcscmp(v, L"normal") == 0) {
                o->full_dump = 0;
            } else if (wcscmp(v, L"full") == 0) {
                o->full_dump = 1;
            } else {
                return bad_usage("--dump takes normal or full, not '%s'", utf8(v));
            }
        } else if (wcscmp(a, L"--snapshot") == 0) {
            if (i + 1 < argc) {
                return bad_usage("--snapshot PID takes nothing after it");
            }
            return snapshot_once(v);
        } else {
            wchar_t *end;
            o->snapshot_every = wcstod(v, &end);
            if (end == v || *end != 0 || !(o->snapshot_every >= 0.001 && o->snapshot_every <= 86400.0 * 365)) {
                return bad_usage("--snapshot-every needs a number of seconds, not '%s'", utf8(v));
            }
        }
    }
    if (i >= argc) {
        return bad_usage("no target program given");
    }
    o->target_arg = i;

    /* the output directory, absolute (the target gets it as RESMON_SNAPSHOT_DIR) */
    const wchar_t *dir = o->out_dir ? o->out_dir : L".";
    if (!CreateDirectoryW(dir, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
        return bad_usage("cannot create the output directory %s (error %lu)", utf8(dir), GetLastError());
    }
    DWORD n = GetFullPathNameW(dir, MAX_PATH, s->out_dir, NULL);
    if (n == 0 || n >= MAX_PATH) {
        return bad_usage("output directory path too long: %s", utf8(dir));
    }
    size_t dl = wcslen(s->out_dir);
    if (dl > 3 && s->out_dir[dl - 1] == L'\\') {
        s->out_dir[dl - 1] = 0;
    }

    /* the DLL: --dll, or beside this program */
    if (o->dll) {
        n = GetFullPathNameW(o->dll, MAX_PATH, s->dll_path, NULL);
    } else {
        n = GetModuleFileNameW(NULL, s->dll_path, MAX_PATH);
        wchar_t *slash = wcsrchr(s->dll_path, L'\\');
        if (n > 0 && n < MAX_PATH && slash != NULL && (size_t)(slash - s->dll_path) + 12 < MAX_PATH) {
            wcscpy(slash + 1, L"resmon.dll");
        } else {
            n = 0;
        }
    }
    if (n == 0 || n >= MAX_PATH || GetFileAttributesW(s->dll_path) == INVALID_FILE_ATTRIBUTES) {
        if (o->dll) {
            return bad_usage("--dll %s: no such file", utf8(o->dll));
        }
        say("warning: %s not found: the target runs without resmon (only its debug strings and a crash dump)",
            utf8(s->dll_path));
    } else {
        s->have_dll = 1;
    }

    /* the target's command line and environment (inherited, plus ours) */
    static wchar_t cmd[32768];
    size_t len = 0;
    for (int k = o->target_arg; k < argc; k++) {
        if (append_arg(cmd, sizeof cmd / sizeof cmd[0], &len, argv[k]) != 0) {
            return bad_usage("the target's command line is longer than 32767 characters");
        }
    }
    SetEnvironmentVariableW(L"RESMON_AUTOSTART", L"1");
    if (GetEnvironmentVariableW(L"RESMON_SNAPSHOT_DIR", NULL, 0) == 0) {
        SetEnvironmentVariableW(L"RESMON_SNAPSHOT_DIR", s->out_dir);
    }

    QueryPerformanceFrequency(&clock_freq);
    QueryPerformanceCounter(&clock_start);
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, DEBUG_ONLY_THIS_PROCESS, NULL, NULL, &si, &pi)) {
        say("cannot start %s (error %lu)", utf8(argv[o->target_arg]), GetLastError());
        return RC_CLIENT_FAILED;
    }
    s->process = pi.hProcess;
    s->pid = pi.dwProcessId;
    CloseHandle(pi.hThread); /* the debug session's CREATE_PROCESS event brings its own handle */

    if (o->log) {
        n = GetFullPathNameW(o->log, MAX_PATH, s->log_path, NULL);
    } else {
        n = (DWORD)swprintf(s->log_path, MAX_PATH, L"%ls\\resmon-%lu.log", s->out_dir, (unsigned long)s->pid);
    }
    log_file = CreateFileW(s->log_path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    if (log_file == INVALID_HANDLE_VALUE) {
        say("warning: cannot create the log %s (error %lu); debug strings are not kept", utf8(s->log_path),
            GetLastError());
    }
    say("started %s (pid %lu); log: %s", utf8(argv[o->target_arg]), (unsigned long)s->pid, utf8(s->log_path));
    s->next_snapshot = GetTickCount64() + (ULONGLONG)(o->snapshot_every * 1000.0);
    int rc = debug_loop(s);
    if (s->snapshots) {
        say("%u snapshots requested", s->snapshots);
    }
    if (log_file != INVALID_HANDLE_VALUE) {
        CloseHandle(log_file);
    }
    return rc;
}
