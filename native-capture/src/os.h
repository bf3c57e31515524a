/*
 * What the table (table.c) needs from the system, for the three places it runs: Linux and other POSIX
 * processes (libresmon.so), Windows processes (resmon.dll) and the Windows kernel (the driver library).
 * Everything here is cheap and allocation-free: it runs inside allocation hooks.
 */
#ifndef RESMON_OS_H
#define RESMON_OS_H

#include <stddef.h>
#include <stdint.h>

/* A spin lock; `saved` keeps what the holder must restore (the kernel's IRQL), written only by the holder. */
typedef struct {
    volatile intptr_t held; /* a KSPIN_LOCK in the kernel */
    uintptr_t saved;
} rt_os_lock_t;

#if defined(RESMON_NT_KERNEL)
#include <ntddk.h>
#define RT_OS_HAS_FILES 0
#define RT_POOL_TAG 0x546D7352u /* "RsmT" in a pool dump: the table's own memory */

/* Chunks of 256 records (45 KB of heap records) instead of 4096: nonpaged pool is scarce, and each heap stripe
 * fills a chunk of its own. */
#define RT_OS_CHUNK_RECORDS 256u

static inline void *rt_os_map(size_t bytes) {
    /* parenthesized: mingw's wdm.h defines ExAllocatePoolWithTag(a,b,c) as ExAllocatePool(a,b) unless
     * POOL_TAGGING is defined, and memory allocated untagged ("None") must not be freed with our tag */
    void *p = (ExAllocatePoolWithTag)(NonPagedPool, bytes, RT_POOL_TAG);
    if (p != NULL) {
        RtlZeroMemory(p, bytes); /* the table relies on fresh memory being zero, as mmap and VirtualAlloc give */
    }
    return p;
}
static inline void rt_os_unmap(void *p, size_t bytes) {
    (void)bytes;
    ExFreePoolWithTag(p, RT_POOL_TAG);
}
/* the kernel's own spin lock, held at DISPATCH_LEVEL: a holder preempted on its CPU by a spinner would never
 * finish; the old IRQL is stored by the holder once it has the lock */
static inline void rt_os_lock(rt_os_lock_t *l) {
    KIRQL old;
    KeAcquireSpinLock((PKSPIN_LOCK)&l->held, &old); /* KeAcquireSpinLockRaiseToDpc on x64, hal's on x86 */
    l->saved = old;
}
static inline void rt_os_unlock(rt_os_lock_t *l) {
    KeReleaseSpinLock((PKSPIN_LOCK)&l->held, (KIRQL)l->saved);
}
static inline uintptr_t rt_os_self(void) {
    return (uintptr_t)PsGetCurrentThreadId();
}
/* interrupt time: 100 ns units since boot */
static inline uint64_t rt_os_monotonic_ns(void) {
    return (uint64_t)KeQueryInterruptTime() * 100u;
}
static inline uint64_t rt_os_coarse_ns(void) {
    return rt_os_monotonic_ns();
}
static inline uint64_t rt_os_realtime_ns(void) {
    LARGE_INTEGER t;
    KeQuerySystemTime(&t);
    return ((uint64_t)t.QuadPart - 116444736000000000ull) * 100u; /* FILETIME epoch 1601 -> 1970 */
}

#elif defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#define RT_OS_HAS_FILES 1
typedef HANDLE rt_os_file;
#define RT_OS_NO_FILE INVALID_HANDLE_VALUE

static inline void *rt_os_map(size_t bytes) {
    return VirtualAlloc(NULL, bytes, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
}
static inline void rt_os_unmap(void *p, size_t bytes) {
    (void)bytes;
    VirtualFree(p, 0, MEM_RELEASE);
}
static inline void rt_os_yield(void) {
    SwitchToThread();
}
static inline uintptr_t rt_os_self(void) {
    return (uintptr_t)GetCurrentThreadId(); /* a read of the TEB */
}
static inline uint64_t rt_os_monotonic_ns(void) {
    static LARGE_INTEGER frequency;
    if (frequency.QuadPart == 0) {
        QueryPerformanceFrequency(&frequency);
    }
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    uint64_t f = (uint64_t)frequency.QuadPart;
    uint64_t c = (uint64_t)t.QuadPart;
    return c / f * 1000000000ull + c % f * 1000000000ull / f;
}
/* the tick count: 10-16 ms of resolution at the cost of a memory read */
static inline uint64_t rt_os_coarse_ns(void) {
    return (uint64_t)GetTickCount64() * 1000000ull;
}
static inline uint64_t rt_os_realtime_ns(void) {
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    return (t - 116444736000000000ull) * 100u;
}
static inline rt_os_file rt_os_file_create(const char *path) {
    return CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
}
static inline int rt_os_file_write(rt_os_file f, const void *p, size_t n) {
    const char *b = p;
    while (n > 0) {
        DWORD chunk = n > 0x40000000u ? 0x40000000u : (DWORD)n;
        DWORD written = 0;
        if (!WriteFile(f, b, chunk, &written, NULL) || written == 0) {
            return -1;
        }
        b += written;
        n -= written;
    }
    return 0;
}
static inline int rt_os_file_close(rt_os_file f) {
    return CloseHandle(f) ? 0 : -1;
}
static inline int rt_os_file_replace(const char *from, const char *to) {
    return MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING) ? 0 : -1;
}
static inline void rt_os_file_remove(const char *path) {
    DeleteFileA(path);
}

#else /* POSIX */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#define RT_OS_HAS_FILES 1
typedef int rt_os_file;
#define RT_OS_NO_FILE (-1)

static inline void *rt_os_map(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}
static inline void rt_os_unmap(void *p, size_t bytes) {
    munmap(p, bytes);
}
static inline void rt_os_yield(void) {
    sched_yield();
}
static inline uintptr_t rt_os_self(void) {
    return (uintptr_t)pthread_self(); /* a read of the thread pointer */
}
static inline uint64_t rt_os_clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
static inline uint64_t rt_os_monotonic_ns(void) {
    return rt_os_clock_ns(CLOCK_MONOTONIC);
}
/* the coarse clock: a few ms of resolution at a fraction of the precise one's cost, for per-record times */
static inline uint64_t rt_os_coarse_ns(void) {
#ifdef CLOCK_MONOTONIC_COARSE
    return rt_os_clock_ns(CLOCK_MONOTONIC_COARSE);
#else
    return rt_os_clock_ns(CLOCK_MONOTONIC);
#endif
}
static inline uint64_t rt_os_realtime_ns(void) {
    return rt_os_clock_ns(CLOCK_REALTIME);
}
/* open/write/close/rename only: the image may be written from a fatal-signal handler */
static inline rt_os_file rt_os_file_create(const char *path) {
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}
static inline int rt_os_file_write(rt_os_file fd, const void *p, size_t n) {
    const char *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        b += w;
        n -= (size_t)w;
    }
    return 0;
}
static inline int rt_os_file_close(rt_os_file fd) {
    return close(fd);
}
static inline int rt_os_file_replace(const char *from, const char *to) {
    return rename(from, to);
}
static inline void rt_os_file_remove(const char *path) {
    unlink(path);
}
#endif

#if !defined(RESMON_NT_KERNEL)
/* Spinning yields the CPU after a while so a preempted holder can finish: the critical sections are a few
 * hundred nanoseconds, and an uncontended mutex costs as much as the work it guards. */
static inline void rt_os_lock(rt_os_lock_t *l) {
    for (unsigned spins = 0; __atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE) != 0;) {
        while (l->held != 0) {
            if (++spins < 1000) {
                __builtin_ia32_pause();
            } else {
                rt_os_yield();
            }
        }
    }
}
static inline void rt_os_unlock(rt_os_lock_t *l) {
    __atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}
#endif

#endif
