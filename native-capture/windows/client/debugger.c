/*
 * The debug session: resmon_client.exe runs the target as its debugger (DEBUG_ONLY_THIS_PROCESS), because a
 * debugger sees every debug string and every crash before the target's own handlers end it. The loop injects
 * resmon.dll at the exe's entry point, remembers the loaded modules (to find ResMonTableAddress), sets the
 * DLL's snapshot event every --snapshot-every seconds, hands each debug string to the log, and on a crash
 * writes the minidump (with the table copied by table_copy.c in user stream 0x4C4B0001) and ends the target.
 */
#include "client.h"

#include <dbghelp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define USER_STREAM_TABLE 0x4C4B0001u
#define INJECT_TIMEOUT_MS 30000u /* LoadLibraryW in the target must finish within this */

/* ---- modules and injection ---- */

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
    uint64_t va = s->resmon_base ? remote_export(s->process, s->resmon_base, "ResMonTableAddress") : 0;
    for (unsigned i = 0; va == 0 && i < s->module_count; i++) {
        va = remote_export(s->process, s->modules[i], "ResMonTableAddress");
    }
    return va;
}

static void inject_start(struct session *s) {
    s->inject_state = 2;
    if (!s->have_dll) {
        return;
    }
    size_t bytes = (wcslen(s->dll_path) + 1) * sizeof(wchar_t);
    void *remote = VirtualAllocEx(s->process, NULL, bytes, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    /* kernel32 (and kernelbase, where LoadLibraryW lives) is mapped at the same address in every process */
    FARPROC load = GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "LoadLibraryW");
    SIZE_T put = 0;
    if (remote == NULL || load == NULL || !WriteProcessMemory(s->process, remote, s->dll_path, bytes, &put)
        || put != bytes) {
        say("warning: could not inject %s (error %lu writing to the target); it runs without resmon",
            utf8(s->dll_path), GetLastError());
        return;
    }
    s->inject_thread = CreateRemoteThread(s->process, NULL, 0, (LPTHREAD_START_ROUTINE)(void (*)(void))load, remote, 0,
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
            if ((uint32_t)s->modules[i] == code
                && remote_export(s->process, s->modules[i], "ResMonTableAddress") != 0) {
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

/* ---- snapshots and the crash dump ---- */

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
        } else if (peek(s->process, export_va, &header_va, 8) != 0 || header_va == 0) {
            say("warning: resmon.dll had not installed its table (ResMonTableAddress is 0); no table stream");
        } else if ((table = copy_table(s->process, header_va, &table_len)) != NULL) {
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
    BOOL ok = MiniDumpWriteDump(s->process, s->pid, f, type, &mei, streams.UserStreamCount ? &streams : NULL, NULL);
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

/* ---- debug strings ---- */

/* Reads the debug string of `ev` out of the target and logs it, as UTF-8. */
static void debug_string(struct session *s, const DEBUG_EVENT *ev) {
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
        ReadProcessMemory(s->process, o->lpDebugStringData, wide, units * sizeof(wchar_t), &got);
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
        ReadProcessMemory(s->process, o->lpDebugStringData, text, units, &got);
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

/* ---- the loop ---- */

typedef BOOL(WINAPI *wait_fn)(LPDEBUG_EVENT, DWORD);

int debug_loop(struct session *s) {
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
            if (s->have_dll && s->entry != 0 && peek(s->process, s->entry, &s->entry_byte, 1) == 0
                && WriteProcessMemory(s->process, (void *)(uintptr_t)s->entry, &int3, 1, &n) && n == 1) {
                FlushInstructionCache(s->process, (void *)(uintptr_t)s->entry, 1);
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
            debug_string(s, &ev);
            break;
        case EXCEPTION_DEBUG_EVENT: {
            EXCEPTION_RECORD *r = &ev.u.Exception.ExceptionRecord;
            int first = ev.u.Exception.dwFirstChance != 0;
            if (r->ExceptionCode == EXCEPTION_BREAKPOINT && s->entry_armed
                && (uint64_t)(uintptr_t)r->ExceptionAddress == s->entry) {
                /* our int3: put the byte back, run the instruction again, and park the thread until the DLL is in */
                s->entry_armed = 0;
                SIZE_T n = 0;
                WriteProcessMemory(s->process, (void *)(uintptr_t)s->entry, &s->entry_byte, 1, &n);
                FlushInstructionCache(s->process, (void *)(uintptr_t)s->entry, 1);
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
            TerminateProcess(s->process, r->ExceptionCode);
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
