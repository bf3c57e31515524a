/*
 * The kernel-mode tracker (resmon_km.h): wrappers that record a driver's pool blocks, events and system threads
 * in the resmon table, and resmon's report through the kernel debugger's print routine. Built into the driver
 * together with table.c and report_table.c, all with -DRESMON_NT_KERNEL.
 */
#define RESMON_KM_NO_REDIRECT /* here the names mean the kernel's own functions */
#include "resmon_km.h"

#include "report_table.h"
#include "resmon_table.h"

#include <stdarg.h>
#include <string.h>

/*
 * Where the report goes. DbgPrint itself prints as DPFLTR_DEFAULT_ID at INFO level, which Windows Vista and
 * later drop unless the Debug Print Filter is changed; the error level reaches DebugView and WinDbg as is.
 */
#ifndef RESMON_KM_DPFLTR_ID
#define RESMON_KM_DPFLTR_ID DPFLTR_IHVDRIVER_ID
#endif
#ifndef RESMON_KM_DPFLTR_LEVEL
#define RESMON_KM_DPFLTR_LEVEL DPFLTR_ERROR_LEVEL
#endif

#define NONE_POOL_TAG 0x656E6F4Eu /* "None": the tag ExAllocatePool gives a block */

/* "NAME.sys|resmon| ", given to the print routine as a prefix, never as a format: a '%' in a name is harmless */
static char prefix[RT_NAME_BYTES + 16];

/* the driver image's first byte, as GNU ld and MSVC's linker name it: the library is linked into the driver */
extern const unsigned char __ImageBase[];

static uint32_t current_tid(void) {
    return (uint32_t)(uintptr_t)PsGetCurrentThreadId();
}

/* One report line, one print call (a line is one DebugView record). The format gets its "\n" appended here. */
static void print_line(const char *fmt, ...) {
    char format[192];
    size_t n = strlen(fmt);
    va_list args;
    va_start(args, fmt);
    if (n + 2 <= sizeof format) {
        memcpy(format, fmt, n);
        format[n] = '\n';
        format[n + 1] = '\0';
        fmt = format;
    }
    vDbgPrintExWithPrefix(prefix, RESMON_KM_DPFLTR_ID, RESMON_KM_DPFLTR_LEVEL, fmt, args);
    va_end(args);
}

/* Name given, else "\Driver\NAME" -> "NAME.sys" (non-ASCII characters become '?'). */
static void module_name(PDRIVER_OBJECT driver, PCSTR name, char *out, size_t size) {
    size_t n = 0;
    if (name != NULL) {
        while (name[n] != '\0' && n + 1 < size) {
            out[n] = name[n];
            n++;
        }
    } else if (driver != NULL && driver->DriverName.Buffer != NULL) {
        const WCHAR *s = driver->DriverName.Buffer;
        size_t length = driver->DriverName.Length / sizeof(WCHAR);
        size_t start = 0;
        for (size_t i = 0; i < length; i++) {
            if (s[i] == L'\\') {
                start = i + 1;
            }
        }
        for (size_t i = start; i < length && n + 5 < size; i++) {
            out[n++] = s[i] >= 0x20 && s[i] < 0x7F ? (char)s[i] : '?';
        }
        memcpy(out + n, ".sys", 4);
        n += 4;
    } else {
        static const char unknown[] = "driver.sys";
        memcpy(out, unknown, sizeof unknown - 1);
        n = sizeof unknown - 1;
    }
    out[n] = '\0';
}

NTSTATUS ResMonKmInstall(PDRIVER_OBJECT DriverObject, PCSTR Name) {
    char name[RT_NAME_BYTES];
    module_name(DriverObject, Name, name, sizeof name);
    if (rt_init(name, (uint64_t)(uintptr_t)PsGetCurrentProcessId(), NULL) != 0) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    size_t n = strlen(name);
    memcpy(prefix, name, n);
    memcpy(prefix + n, "|resmon| ", sizeof "|resmon| ");
    /* the module line of docs/formats/resmon.md §9: return addresses become offsets into the .sys */
    /* SizeOfImage: e_lfanew at 0x3C, then "PE\0\0", the 20-byte file header, 56 bytes into the optional one
     * (the DDK headers have no IMAGE_NT_HEADERS) */
    uint32_t nt, image_size;
    memcpy(&nt, __ImageBase + 0x3C, 4);
    memcpy(&image_size, __ImageBase + nt + 4 + 20 + 56, 4);
    print_line("module 0x%016llX size %lu %s", (unsigned long long)(uintptr_t)__ImageBase,
               (unsigned long)image_size, name);
    return STATUS_SUCCESS;
}

/* In ntifs.h, which a plain WDM driver does not include. */
NTSYSAPI NTSTATUS NTAPI ZwWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout);

/*
 * Thread records learn whether their thread has ended (a handle waited on with a zero timeout is signaled), so
 * the exit report names only threads still running as active. The wait must run at PASSIVE_LEVEL, outside the
 * table's spin lock: the handles are copied out first.
 */
static void update_threads(void) {
    enum { MAX = 64 };
    uint64_t handles[MAX];
    int n = 0;
    rt_lock();
    for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)rt_header()->first_chunk_va[RT_THREAD - 1];
         c != NULL && n < MAX; c = (struct rt_chunk *)(uintptr_t)c->next_va) {
        for (uint32_t i = 0; i < c->used && n < MAX; i++) {
            const struct rt_record *r = (const struct rt_record *)((const char *)(c + 1) + (size_t)i * c->record_size);
            if (r->state != 0 && r->subtype == RT_THREAD_RUNNING) {
                handles[n++] = r->handle;
            }
        }
    }
    rt_unlock();
    for (int i = 0; i < n; i++) {
        LARGE_INTEGER now = {.QuadPart = 0};
        if (ZwWaitForSingleObject((HANDLE)(uintptr_t)handles[i], FALSE, &now) != STATUS_SUCCESS) {
            continue;
        }
        rt_lock();
        struct rt_thread_record *t = (struct rt_thread_record *)rt_find(RT_THREAD, handles[i]);
        if (t != NULL) {
            t->common.subtype = RT_THREAD_EXITED;
            t->exit_time_ns = rt_now_ns();
        }
        rt_unlock();
    }
}

static void report(int at_exit) {
    if (rt_header() == NULL) {
        return;
    }
    if (KeGetCurrentIrql() == PASSIVE_LEVEL) {
        update_threads();
    }
    rt_lock();
    rt_refresh_totals();
    rt_report_table(rt_header(), at_exit, print_line);
    rt_unlock();
}

VOID ResMonKmLogAllResources(VOID) {
    report(0);
}

VOID ResMonKmUninstall(VOID) {
    report(1);
    rt_fini(); /* the table is pool memory too: a driver unloaded without freeing it leaks it until reboot */
}

/* ---- the wrappers: noinline, so __builtin_return_address(0) is the call site in the driver ---- */

static void track_pool(PVOID p, SIZE_T size, POOL_TYPE type, ULONG tag, void *call_site) {
    if (p == NULL) {
        return;
    }
    uint64_t frame = (uint64_t)(uintptr_t)call_site;
    struct rt_heap_record *h = rt_heap_alloc((uint64_t)(uintptr_t)p, size, RT_POOL, tag, current_tid(), &frame, 1);
    if (h != NULL) {
        /* set after the record went live: a report printing at this very moment may name NonPagedPool (0) for
         * a block of another pool; rt_lock around every allocation would cost far more than that is worth */
        h->common.attributes = (uint32_t)type;
    }
}

__attribute__((noinline)) PVOID NTAPI ResMonKmExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes) {
    PVOID p = ExAllocatePool(PoolType, NumberOfBytes);
    track_pool(p, NumberOfBytes, PoolType, NONE_POOL_TAG, __builtin_return_address(0));
    return p;
}

__attribute__((noinline)) PVOID NTAPI ResMonKmExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                                    ULONG Tag) {
    PVOID p = (ExAllocatePoolWithTag)(PoolType, NumberOfBytes, Tag); /* the function, not mingw's macro */
    track_pool(p, NumberOfBytes, PoolType, Tag, __builtin_return_address(0));
    return p;
}

/* Forgotten before the block goes back: once freed, another CPU may get the same address and record it. */
VOID NTAPI ResMonKmExFreePool(PVOID P) {
    rt_heap_free((uint64_t)(uintptr_t)P);
    ExFreePool(P);
}

VOID NTAPI ResMonKmExFreePoolWithTag(PVOID P, ULONG Tag) {
    rt_heap_free((uint64_t)(uintptr_t)P);
    ExFreePoolWithTag(P, Tag);
}

static struct rt_record *add_locked(int kind, uint16_t subtype, HANDLE handle, void *call_site) {
    uint64_t frame = (uint64_t)(uintptr_t)call_site;
    return rt_add(kind, subtype, (uint64_t)(uintptr_t)handle, current_tid(), &frame, 1);
}

__attribute__((noinline)) NTSTATUS NTAPI ResMonKmZwCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                                              POBJECT_ATTRIBUTES ObjectAttributes,
                                                              EVENT_TYPE EventType, BOOLEAN InitialState) {
    NTSTATUS status = ZwCreateEvent(EventHandle, DesiredAccess, ObjectAttributes, EventType, InitialState);
    if (NT_SUCCESS(status) && rt_header() != NULL) {
        /* a notification event stays set until reset: Win32's manual-reset event */
        uint32_t attributes = (EventType == NotificationEvent ? RT_ATTR_MANUAL_RESET : 0) |
                              (InitialState ? RT_ATTR_INITIALLY_SET : 0);
        rt_lock();
        struct rt_record *r = add_locked(RT_SYNC, RT_EVENT, *EventHandle, __builtin_return_address(0));
        if (r != NULL) {
            r->attributes = attributes;
        }
        rt_unlock();
    }
    return status;
}

__attribute__((noinline)) NTSTATUS NTAPI ResMonKmPsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
                                                                     POBJECT_ATTRIBUTES ObjectAttributes,
                                                                     HANDLE ProcessHandle, PCLIENT_ID ClientId,
                                                                     PKSTART_ROUTINE StartRoutine,
                                                                     PVOID StartContext) {
    CLIENT_ID own = {0}; /* asked for even when the caller is not: the report names the thread id */
    PCLIENT_ID id = ClientId != NULL ? ClientId : &own;
    NTSTATUS status = PsCreateSystemThread(ThreadHandle, DesiredAccess, ObjectAttributes, ProcessHandle, id,
                                           StartRoutine, StartContext);
    if (NT_SUCCESS(status) && rt_header() != NULL) {
        /* the record lives as long as the handle: a system thread that has ended still holds its thread
         * object until the handle is closed */
        rt_lock();
        struct rt_thread_record *t = (struct rt_thread_record *)add_locked(
            RT_THREAD, RT_THREAD_RUNNING, *ThreadHandle, __builtin_return_address(0));
        if (t != NULL) {
            t->thread_id = (uint64_t)(uintptr_t)id->UniqueThread;
            t->start_va = (uint64_t)(uintptr_t)StartRoutine;
        }
        rt_unlock();
    }
    return status;
}

/* Forgotten before the handle is closed: once closed, its value may come back from another create at once. */
NTSTATUS NTAPI ResMonKmZwClose(HANDLE Handle) {
    if (rt_header() != NULL) {
        uint64_t key = (uint64_t)(uintptr_t)Handle;
        rt_lock();
        struct rt_record *r = rt_find(RT_SYNC, key);
        rt_remove(r != NULL ? r : rt_find(RT_THREAD, key));
        rt_unlock();
    }
    return ZwClose(Handle);
}
