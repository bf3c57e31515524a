/*
 * resmon_client.exe: runs a program with resmon.dll injected, as its debugger. Every debug string goes to a
 * DebugView-layout log; a crash leaves a minidump carrying the resmon table in a user stream (0x4C4B0001,
 * docs/formats/resmon-table.md); snapshots are requested through the DLL's event. The contract with the DLL
 * is ../README.md; usage and exit codes are in usage() below.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <dbghelp.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resmon_table.h"

/* exit codes besides the target's own */
enum {
    RC_USAGE = 2,            /* bad arguments */
    RC_SNAPSHOT_FAILED = 1,  /* --snapshot PID: no resmon event in that process */
    RC_CLIENT_FAILED = 121,  /* the target could not be started or debugged */
    RC_CRASHED_NO_DUMP = 122, /* the target crashed; the dump could not be written */
    RC_CRASHED = 123,        /* the target crashed; the dump was written */
};

#define USER_STREAM_TABLE 0x4C4B0001u

/* limits on what a corrupt table can make the client read or allocate */
#define MAX_CHUNKS_TOTAL 1000000u            /* chunks over all four lists (the contract: 1,000,000 per list) */
#define MAX_CHUNK_BYTES (64ull << 20)        /* record_size x capacity of one chunk (the contract's cap) */
#define MAX_IMAGE_BYTES (1024ull << 20)      /* the whole image */
#define MAX_HEADER_BYTES 65536u              /* header_size of a later minor */
#define MAX_DEBUG_STRING 65536u              /* bytes read from one OutputDebugString */
#define MAX_MODULES 4096u                    /* DLL bases remembered from LOAD_DLL events */
#define INJECT_TIMEOUT_MS 30000u             /* LoadLibraryW in the target must finish within this */

static const char *prog = "resmon_client";

static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
}

static char *utf8(const wchar_t *w) {
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

/* ---- options ---- */

struct options {
    const wchar_t *dll;
    const wchar_t *out_dir;
    const wchar_t *log;
    int full_dump;
    int table_stream;
    double snapshot_every;
    int target_arg; /* index in argv of target.exe */
};

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
static void log_message(DWORD pid, const char *text, size_t n) {
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

/* ---- the target's memory ---- */

static HANDLE target;

static int peek(uint64_t va, void *buf, size_t n) {
    SIZE_T got = 0;
    return ReadProcessMemory(target, (LPCVOID)(uintptr_t)va, buf, n, &got) && got == n ? 0 : -1;
}

/*
 * The address the data export `name` of the module at `base` holds in the target, read through the module's
 * export directory in the target's memory (an image is mapped at its RVAs). 0 when absent.
 */
static uint64_t remote_export(uint64_t base, const char *name) {
    IMAGE_DOS_HEADER dos;
    IMAGE_NT_HEADERS64 nt;
    if (peek(base, &dos, sizeof dos) != 0 || dos.e_magic != IMAGE_DOS_SIGNATURE || dos.e_lfanew <= 0
        || dos.e_lfanew > 0x10000 || peek(base + (uint32_t)dos.e_lfanew, &nt, sizeof nt) != 0
        || nt.Signature != IMAGE_NT_SIGNATURE || nt.OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC
        || nt.OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_EXPORT) {
        return 0;
    }
    IMAGE_DATA_DIRECTORY dir = nt.OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    IMAGE_EXPORT_DIRECTORY exp;
    if (dir.VirtualAddress == 0 || dir.Size < sizeof exp || peek(base + dir.VirtualAddress, &exp, sizeof exp) != 0) {
        return 0;
    }
    size_t want = strlen(name) + 1;
    DWORD count = exp.NumberOfNames < 65536 ? exp.NumberOfNames : 65536;
    for (DWORD i = 0; i < count; i++) {
        uint32_t name_rva;
        char got[64];
        if (peek(base + exp.AddressOfNames + 4ull * i, &name_rva, 4) != 0
            || peek(base + name_rva, got, want) != 0 || memcmp(got, name, want) != 0) {
            continue;
        }
        uint16_t ordinal;
        uint32_t rva;
        if (peek(base + exp.AddressOfNameOrdinals + 2ull * i, &ordinal, 2) != 0 || ordinal >= exp.NumberOfFunctions
            || peek(base + exp.AddressOfFunctions + 4ull * ordinal, &rva, 4) != 0 || rva == 0) {
            return 0;
        }
        return base + rva;
    }
    return 0;
}

/* ---- the table image ---- */

struct image {
    unsigned char *bytes;
    size_t length, capacity;
    uint32_t ranges;
};

static int image_reserve(struct image *im, uint64_t more) {
    if (im->length + more > MAX_IMAGE_BYTES) {
        return -1;
    }
    if (im->length + more > im->capacity) {
        size_t c = im->capacity ? im->capacity : 65536;
        while (c < im->length + more) {
            c *= 2;
        }
        unsigned char *b = realloc(im->bytes, c);
        if (b == NULL) {
            return -1;
        }
        im->bytes = b;
        im->capacity = c;
    }
    return 0;
}

/* Appends the range {va, length, bytes read from the target, pad}; -1 when it cannot be read or is too big. */
static int image_range(struct image *im, uint64_t va, uint64_t length) {
    uint64_t padded = (length + 7) & ~7ull;
    if (image_reserve(im, 16 + padded) != 0) {
        return -1;
    }
    unsigned char *p = im->bytes + im->length;
    memcpy(p, &va, 8);
    memcpy(p + 8, &length, 8);
    memset(p + 16 + length, 0, padded - length);
    if (peek(va, p + 16, (size_t)length) != 0) {
        return -1;
    }
    im->length += 16 + padded;
    im->ranges++;
    return 0;
}

/* visited chunk VAs: open addressing, sized for MAX_CHUNKS_TOTAL at under half load */
#define SEEN_SLOTS (1u << 21)
static uint64_t *seen;

static int seen_add(uint64_t va) {
    uint64_t h = (va >> 3) * 0x9E3779B97F4A7C15ull;
    for (uint32_t i = (uint32_t)(h >> 43) & (SEEN_SLOTS - 1);; i = (i + 1) & (SEEN_SLOTS - 1)) {
        if (seen[i] == va) {
            return 1;
        }
        if (seen[i] == 0) {
            seen[i] = va;
            return 0;
        }
    }
}

static const uint32_t min_record[RT_KINDS + 1] = {0, 176, 208, 160, 160};

/*
 * Copies the table whose header is at `header_va` out of the target as a table image (LKRMIMG1). A chunk that
 * does not validate ends its list (with a warning); what was read before stays. NULL when the header is bad.
 */
static unsigned char *copy_table(uint64_t header_va, size_t *length) {
    struct rt_header h;
    if (peek(header_va, &h, sizeof h) != 0) {
        say("table: the header at 0x%016llx cannot be read", (unsigned long long)header_va);
        return NULL;
    }
    uint8_t magic[16] = {'L', 'K', 'R', 'E', 'S', 'M', 'O', 'N'};
    for (int i = 0; i < 8; i++) {
        magic[8 + i] = (uint8_t)~magic[i];
    }
    if (memcmp(h.magic, magic, 16) != 0 || h.version_major != RT_VERSION_MAJOR || h.header_size < sizeof h
        || h.header_size > MAX_HEADER_BYTES || h.self_va != header_va || (h.pointer_size != 4 && h.pointer_size != 8)) {
        say("table: no valid table header at 0x%016llx (magic, version %u, header size %u, self_va 0x%016llx)",
            (unsigned long long)header_va, h.version_major, h.header_size, (unsigned long long)h.self_va);
        return NULL;
    }
    struct image im;
    memset(&im, 0, sizeof im);
    if (image_reserve(&im, 24) != 0) {
        return NULL;
    }
    im.length = 24;
    if (image_range(&im, header_va, h.header_size) != 0) {
        free(im.bytes);
        return NULL;
    }
    if (seen == NULL && (seen = calloc(SEEN_SLOTS, sizeof *seen)) == NULL) {
        free(im.bytes);
        return NULL;
    }
    memset(seen, 0, SEEN_SLOTS * sizeof *seen);
    uint32_t chunks = 0;
    for (int kind = 1; kind <= RT_KINDS; kind++) {
        for (uint64_t va = h.first_chunk_va[kind - 1]; va != 0;) {
            struct rt_chunk c;
            if (chunks >= MAX_CHUNKS_TOTAL) {
                say("table: more than %u chunks; the rest of list %d is left out", MAX_CHUNKS_TOTAL, kind);
                break;
            }
            if (seen_add(va)) {
                say("table: list %d loops back to the chunk at 0x%016llx; stopped there", kind, (unsigned long long)va);
                break;
            }
            if (peek(va, &c, sizeof c) != 0 || c.magic != RT_CHUNK_MAGIC || c.kind != (uint32_t)kind
                || c.record_size < min_record[kind] || c.used > c.capacity
                || (uint64_t)c.record_size * c.capacity > MAX_CHUNK_BYTES) {
                say("table: list %d: no valid chunk at 0x%016llx; the rest of the list is left out", kind,
                    (unsigned long long)va);
                break;
            }
            if (image_range(&im, va, sizeof c + (uint64_t)c.used * c.record_size) != 0) {
                say("table: list %d: the chunk at 0x%016llx cannot be read or the image would pass %llu MiB; "
                    "the rest of the list is left out", kind, (unsigned long long)va, MAX_IMAGE_BYTES >> 20);
                break;
            }
            chunks++;
            va = c.next_va;
        }
    }
    memcpy(im.bytes, "LKRMIMG1", 8);
    uint32_t version = 1;
    memcpy(im.bytes + 8, &version, 4);
    memcpy(im.bytes + 12, &im.ranges, 4);
    memcpy(im.bytes + 16, &header_va, 8);
    *length = im.length;
    return im.bytes;
}

/* ---- debugging the target ---- */

struct session {
    struct options opt;
    wchar_t out_dir[MAX_PATH];
    wchar_t log_path[MAX_PATH];
    wchar_t dll_path[MAX_PATH];
    int have_dll;
    DWORD pid;
    HANDLE main_thread;
    DWORD main_tid;
    uint64_t entry;
    unsigned char entry_byte;
    int entry_armed;
    int loader_breakpoint_seen;
    /* injection: 0 not yet, 1 in progress, 2 done (or given up) */
    int inject_state;
    DWORD inject_tid;
    HANDLE inject_thread;
    ULONGLONG inject_deadline;
    uint64_t resmon_base;
    uint64_t modules[MAX_MODULES];
    unsigned module_count;
    HANDLE snapshot_event;
    ULONGLONG next_snapshot;
    unsigned snapshots;
    int snapshot_warned;
};

static void module_add(struct session *s, uint64_t base) {
    if (s->module_count < MAX_MODULES) {
        s->modules[s->module_count++] = base;
    }
}

static void module_remove(struct session *s, uint64_t base) {
    for (unsigned i = 0; i < s->module_count; i++) {
        if (s->modules[i] == base) {
            s->modules[i] = s->modules[--s->module_count];
            return;
        }
    }
}

/* The ResMonTableAddress export in the target: of the injected DLL, else of any module that has it (a target
 * that loads resmon.dll itself). 0 when none. */
static uint64_t table_export(struct session *s) {
    uint64_t va = s->resmon_base ? remote_export(s->resmon_base, "ResMonTableAddress") : 0;
    for (unsigned i = 0; va == 0 && i < s->module_count; i++) {
        va = remote_export(s->modules[i], "ResMonTableAddress");
    }
    return va;
}

static void inject_start(struct session *s) {
    s->inject_state = 2;
    if (!s->have_dll) {
        return;
    }
    size_t bytes = (wcslen(s->dll_path) + 1) * sizeof(wchar_t);
    void *remote = VirtualAllocEx(target, NULL, bytes, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    /* kernel32 (and kernelbase, where LoadLibraryW lives) is mapped at the same address in every process */
    FARPROC load = GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "LoadLibraryW");
    SIZE_T put = 0;
    if (remote == NULL || load == NULL || !WriteProcessMemory(target, remote, s->dll_path, bytes, &put) || put != bytes) {
        say("warning: could not inject %s (error %lu writing to the target); it runs without resmon",
            utf8(s->dll_path), GetLastError());
        return;
    }
    s->inject_thread = CreateRemoteThread(target, NULL, 0, (LPTHREAD_START_ROUTINE)(void (*)(void))load, remote, 0,
                                          &s->inject_tid);
    if (s->inject_thread == NULL) {
        say("warning: could not inject %s (CreateRemoteThread: error %lu); the target runs without resmon",
            utf8(s->dll_path), GetLastError());
        return;
    }
    s->inject_state = 1;
    s->inject_deadline = GetTickCount64() + INJECT_TIMEOUT_MS;
}

static void inject_finish(struct session *s, int timed_out) {
    s->inject_state = 2;
    if (timed_out) {
        say("warning: LoadLibraryW(%s) has not returned in the target after %u s; resuming it anyway",
            utf8(s->dll_path), INJECT_TIMEOUT_MS / 1000);
    } else {
        DWORD code = 0;
        GetExitCodeThread(s->inject_thread, &code);
        /* the thread's exit code is the low half of the HMODULE */
        for (unsigned i = 0; code != 0 && i < s->module_count; i++) {
            if ((uint32_t)s->modules[i] == code && remote_export(s->modules[i], "ResMonTableAddress") != 0) {
                s->resmon_base = s->modules[i];
            }
        }
        if (code == 0) {
            say("warning: LoadLibraryW(%s) failed in the target; it runs without resmon", utf8(s->dll_path));
        } else if (s->resmon_base == 0) {
            say("warning: %s was loaded but exports no ResMonTableAddress; a crash dump will have no table stream",
                utf8(s->dll_path));
        }
    }
    CloseHandle(s->inject_thread);
    s->inject_thread = NULL;
    ResumeThread(s->main_thread);
}

/* Sets the target's snapshot event; opens it on first use (the DLL creates it once installed). */
static int request_snapshot(struct session *s) {
    if (s->snapshot_event == NULL) {
        wchar_t name[64];
        swprintf(name, 64, L"Local\\resmon-snapshot-%lu", (unsigned long)s->pid);
        s->snapshot_event = OpenEventW(EVENT_MODIFY_STATE, FALSE, name);
        if (s->snapshot_event == NULL) {
            return -1;
        }
    }
    return SetEvent(s->snapshot_event) ? 0 : -1;
}

static int is_fatal_first_chance(DWORD code) {
    /* raised by __fastfail and the heap's corruption check: no handler runs, there is no second chance */
    return code == 0xC0000409u /* STATUS_STACK_BUFFER_OVERRUN */ || code == 0xC0000374u /* STATUS_HEAP_CORRUPTION */
           || code == 0xC0000602u /* STATUS_FAIL_FAST_EXCEPTION */;
}

static const wchar_t *dump_flags_name(int full) {
    return full ? L"full" : L"normal";
}

/* Writes the dump for the exception in `ev`; 0 on success, with the path in `path`. */
static int write_dump(struct session *s, const DEBUG_EVENT *ev, wchar_t *path, size_t path_len) {
    swprintf(path, path_len, L"%ls\\resmon-%lu.dmp", s->out_dir, (unsigned long)s->pid);
    wchar_t tmp[MAX_PATH + 8];
    swprintf(tmp, MAX_PATH + 8, L"%ls.tmp", path);

    EXCEPTION_RECORD rec = ev->u.Exception.ExceptionRecord;
    CONTEXT ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.ContextFlags = CONTEXT_ALL;
    HANDLE thread = OpenThread(THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION, FALSE, ev->dwThreadId);
    if (thread == NULL || !GetThreadContext(thread, &ctx)) {
        say("warning: the crashing thread's context cannot be read (error %lu)", GetLastError());
    }
    if (thread != NULL) {
        CloseHandle(thread);
    }
    EXCEPTION_POINTERS ep = {&rec, &ctx};
    /* the pointers are the client's own (ClientPointers FALSE): the record came with the debug event */
    MINIDUMP_EXCEPTION_INFORMATION mei = {ev->dwThreadId, &ep, FALSE};

    unsigned char *table = NULL;
    size_t table_len = 0;
    MINIDUMP_USER_STREAM stream = {USER_STREAM_TABLE, 0, NULL};
    MINIDUMP_USER_STREAM_INFORMATION streams = {0, &stream};
    if (s->opt.table_stream) {
        uint64_t export_va = table_export(s);
        uint64_t header_va = 0;
        if (export_va == 0) {
            say("warning: no module in the target exports ResMonTableAddress; the dump has no table stream");
        } else if (peek(export_va, &header_va, 8) != 0 || header_va == 0) {
            say("warning: resmon.dll had not installed its table (ResMonTableAddress is 0); no table stream");
        } else if ((table = copy_table(header_va, &table_len)) != NULL) {
            stream.BufferSize = (ULONG)table_len;
            stream.Buffer = table;
            streams.UserStreamCount = 1;
        }
    }
    MINIDUMP_TYPE type = s->opt.full_dump
                             ? (MINIDUMP_TYPE)(MiniDumpWithFullMemory | MiniDumpWithFullMemoryInfo | MiniDumpWithThreadInfo
                                               | MiniDumpWithHandleData | MiniDumpWithUnloadedModules)
                             : (MINIDUMP_TYPE)(MiniDumpNormal | MiniDumpWithDataSegs
                                               | MiniDumpWithIndirectlyReferencedMemory | MiniDumpWithHandleData
                                               | MiniDumpWithUnloadedModules | MiniDumpWithProcessThreadData
                                               | MiniDumpWithFullMemoryInfo | MiniDumpWithThreadInfo);
    HANDLE f = CreateFileW(tmp, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        say("cannot create %s (error %lu)", utf8(tmp), GetLastError());
        free(table);
        return -1;
    }
    ULONGLONG t0 = GetTickCount64();
    BOOL ok = MiniDumpWriteDump(target, s->pid, f, type, &mei, streams.UserStreamCount ? &streams : NULL, NULL);
    DWORD err = GetLastError();
    ok = ok && FlushFileBuffers(f);
    LARGE_INTEGER size = {0};
    GetFileSizeEx(f, &size);
    CloseHandle(f);
    free(table);
    if (!ok || !MoveFileExW(tmp, path, MOVEFILE_REPLACE_EXISTING)) {
        say("writing the dump failed (MiniDumpWriteDump/rename: error %lu)", ok ? GetLastError() : err);
        DeleteFileW(tmp);
        return -1;
    }
    say("%ls dump: %s (%lld bytes, %s, written in %.1f s)", dump_flags_name(s->opt.full_dump), utf8(path),
        (long long)size.QuadPart,
        streams.UserStreamCount ? "with the resmon table stream" : "without a table stream",
        (double)(GetTickCount64() - t0) / 1000.0);
    return 0;
}

static void debug_string(const DEBUG_EVENT *ev) {
    const OUTPUT_DEBUG_STRING_INFO *o = &ev->u.DebugString;
    size_t units = o->nDebugStringLength;
    if (units == 0 || o->lpDebugStringData == NULL) {
        return;
    }
    static char text[MAX_DEBUG_STRING * 3 + 1];
    if (o->fUnicode) {
        static wchar_t wide[MAX_DEBUG_STRING + 1];
        if (units > MAX_DEBUG_STRING) {
            units = MAX_DEBUG_STRING;
        }
        SIZE_T got = 0;
        ReadProcessMemory(target, o->lpDebugStringData, wide, units * sizeof(wchar_t), &got);
        units = got / sizeof(wchar_t);
        int n = units ? WideCharToMultiByte(CP_UTF8, 0, wide, (int)units, text, (int)sizeof text, NULL, NULL) : 0;
        if (n > 0) {
            log_message(ev->dwProcessId, text, (size_t)n);
        }
    } else {
        if (units > MAX_DEBUG_STRING) {
            units = MAX_DEBUG_STRING;
        }
        SIZE_T got = 0;
        ReadProcessMemory(target, o->lpDebugStringData, text, units, &got);
        if (got == 0) {
            return;
        }
        /* The log is UTF-8. An ANSI string that is not valid UTF-8 is in the target's code page (Wine and older
         * Windows also deliver OutputDebugStringW this way): "caf\xE9" in cp1252 becomes "caf\xC3\xA9". */
        static wchar_t wide[MAX_DEBUG_STRING + 1];
        if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, (int)got, NULL, 0) == 0) {
            int w = MultiByteToWideChar(CP_ACP, 0, text, (int)got, wide, MAX_DEBUG_STRING);
            int n = w > 0 ? WideCharToMultiByte(CP_UTF8, 0, wide, w, text, (int)sizeof text, NULL, NULL) : 0;
            got = n > 0 ? (size_t)n : got;
        }
        log_message(ev->dwProcessId, text, got);
    }
}

typedef BOOL(WINAPI *wait_fn)(LPDEBUG_EVENT, DWORD);

/* Runs the debug loop until the target exits; returns the client's exit code. */
static int debug_loop(struct session *s) {
    /* WaitForDebugEventEx reports OutputDebugStringW as Unicode; plain WaitForDebugEvent as ANSI */
    wait_fn wait = (wait_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "WaitForDebugEventEx");
    if (wait == NULL) {
        wait = WaitForDebugEvent;
    }
    int crashed = 0, dumped = 0;
    DWORD exit_code = 0;
    wchar_t dump_path[MAX_PATH + 32] = L"";
    ULONGLONG kill_deadline = 0;
    for (;;) {
        DWORD timeout = INFINITE;
        ULONGLONG now = GetTickCount64();
        if (s->opt.snapshot_every > 0 && !crashed) {
            timeout = s->next_snapshot > now ? (DWORD)(s->next_snapshot - now) : 0;
        }
        if (s->inject_state == 1) {
            DWORD left = s->inject_deadline > now ? (DWORD)(s->inject_deadline - now) : 0;
            timeout = left < timeout ? left : timeout;
        }
        if (kill_deadline) {
            timeout = kill_deadline > now ? (DWORD)(kill_deadline - now) : 0;
        }
        DEBUG_EVENT ev;
        if (!wait(&ev, timeout)) {
            now = GetTickCount64();
            if (kill_deadline && now >= kill_deadline) {
                say("warning: the target did not end after it was terminated; giving up on it");
                break;
            }
            if (s->inject_state == 1 && now >= s->inject_deadline) {
                inject_finish(s, 1);
            }
            if (s->opt.snapshot_every > 0 && now >= s->next_snapshot) {
                s->next_snapshot = now + (ULONGLONG)(s->opt.snapshot_every * 1000.0);
                if (request_snapshot(s) == 0) {
                    s->snapshots++;
                } else if (!s->snapshot_warned++) {
                    say("warning: no snapshot requested: the target has no resmon snapshot event (yet); "
                        "trying again every %.3g s", s->opt.snapshot_every);
                }
            }
            continue;
        }
        DWORD cont = DBG_CONTINUE;
        switch (ev.dwDebugEventCode) {
        case CREATE_PROCESS_DEBUG_EVENT: {
            CREATE_PROCESS_DEBUG_INFO *c = &ev.u.CreateProcessInfo;
            if (c->hFile) {
                CloseHandle(c->hFile);
            }
            s->main_thread = c->hThread;
            s->main_tid = ev.dwThreadId;
            s->entry = (uint64_t)(uintptr_t)c->lpStartAddress;
            /* injecting at the loader breakpoint deadlocks under Wine: inject at the exe's entry point */
            unsigned char int3 = 0xCC;
            SIZE_T n = 0;
            if (s->have_dll && s->entry != 0 && peek(s->entry, &s->entry_byte, 1) == 0
                && WriteProcessMemory(target, (void *)(uintptr_t)s->entry, &int3, 1, &n) && n == 1) {
                FlushInstructionCache(target, (void *)(uintptr_t)s->entry, 1);
                s->entry_armed = 1;
            } else if (s->have_dll) {
                say("warning: cannot set a breakpoint at the target's entry point (error %lu); it runs without "
                    "resmon", GetLastError());
                s->inject_state = 2;
            }
            break;
        }
        case LOAD_DLL_DEBUG_EVENT:
            if (ev.u.LoadDll.hFile) {
                CloseHandle(ev.u.LoadDll.hFile);
            }
            module_add(s, (uint64_t)(uintptr_t)ev.u.LoadDll.lpBaseOfDll);
            break;
        case UNLOAD_DLL_DEBUG_EVENT:
            module_remove(s, (uint64_t)(uintptr_t)ev.u.UnloadDll.lpBaseOfDll);
            if ((uint64_t)(uintptr_t)ev.u.UnloadDll.lpBaseOfDll == s->resmon_base) {
                s->resmon_base = 0;
            }
            break;
        case CREATE_THREAD_DEBUG_EVENT:
            break; /* the handle belongs to the debug session, which closes it */
        case EXIT_THREAD_DEBUG_EVENT:
            if (s->inject_state == 1 && ev.dwThreadId == s->inject_tid) {
                inject_finish(s, 0);
            }
            break;
        case OUTPUT_DEBUG_STRING_EVENT:
            debug_string(&ev);
            break;
        case EXCEPTION_DEBUG_EVENT: {
            EXCEPTION_RECORD *r = &ev.u.Exception.ExceptionRecord;
            int first = ev.u.Exception.dwFirstChance != 0;
            if (r->ExceptionCode == EXCEPTION_BREAKPOINT && s->entry_armed
                && (uint64_t)(uintptr_t)r->ExceptionAddress == s->entry) {
                /* our int3: put the byte back, run the instruction again, and park the thread until the DLL is in */
                s->entry_armed = 0;
                SIZE_T n = 0;
                WriteProcessMemory(target, (void *)(uintptr_t)s->entry, &s->entry_byte, 1, &n);
                FlushInstructionCache(target, (void *)(uintptr_t)s->entry, 1);
                CONTEXT ctx;
                memset(&ctx, 0, sizeof ctx);
                ctx.ContextFlags = CONTEXT_CONTROL;
                if (GetThreadContext(s->main_thread, &ctx)) {
#ifdef _WIN64
                    ctx.Rip = s->entry;
#else
                    ctx.Eip = (DWORD)s->entry;
#endif
                    SetThreadContext(s->main_thread, &ctx);
                }
                if (SuspendThread(s->main_thread) == (DWORD)-1) {
                    say("warning: cannot park the main thread (error %lu)", GetLastError());
                }
                inject_start(s);
                if (s->inject_state != 1) {
                    ResumeThread(s->main_thread);
                }
                break;
            }
            if (first && !is_fatal_first_chance(r->ExceptionCode)) {
                /* the loader's breakpoint is ours to pass; anything else (a DebugBreak of the target's own, C++
                 * exceptions, guard pages...) goes to the target's handlers, and comes back as a second chance
                 * when none takes it */
                if (r->ExceptionCode == EXCEPTION_BREAKPOINT && !s->loader_breakpoint_seen) {
                    s->loader_breakpoint_seen = 1;
                } else {
                    cont = DBG_EXCEPTION_NOT_HANDLED;
                }
                break;
            }
            if (crashed) {
                break;
            }
            crashed = 1;
            say("the target crashed: exception 0x%08lX at 0x%016llX in thread %lu (%s chance)",
                (unsigned long)r->ExceptionCode, (unsigned long long)(uintptr_t)r->ExceptionAddress,
                (unsigned long)ev.dwThreadId, first ? "first" : "second");
            dumped = write_dump(s, &ev, dump_path, sizeof dump_path / sizeof dump_path[0]) == 0;
            TerminateProcess(target, r->ExceptionCode);
            kill_deadline = GetTickCount64() + 10000;
            exit_code = r->ExceptionCode;
            break;
        }
        case EXIT_PROCESS_DEBUG_EVENT:
            if (ev.dwProcessId == s->pid && !crashed) {
                exit_code = ev.u.ExitProcess.dwExitCode;
            }
            break;
        default:
            break;
        }
        ContinueDebugEvent(ev.dwProcessId, ev.dwThreadId, cont);
        if (ev.dwDebugEventCode == EXIT_PROCESS_DEBUG_EVENT && ev.dwProcessId == s->pid) {
            break;
        }
    }
    if (crashed) {
        if (dumped) {
            say("crash dump: %s", utf8(dump_path));
        }
        say("log: %s", utf8(s->log_path));
        return dumped ? RC_CRASHED : RC_CRASHED_NO_DUMP;
    }
    say("the target exited with code %lu; log: %s", (unsigned long)exit_code, utf8(s->log_path));
    return (int)exit_code;
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
    target = pi.hProcess;
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
