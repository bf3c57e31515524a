/*
 * The hooks: each calls the real function (what the import slot held) and records or forgets what it
 * created. The C runtime's heap functions exist once per runtime DLL (msvcrt, the UCRT, an msvcrNNN), and a
 * block must go back to the runtime that made it, so those hooks come in one copy per runtime family.
 */
#include "resmon_dll.h"

#include <stdio.h>
#include <string.h>

#define FAMILIES 3 /* msvcrt.dll; the UCRT (ucrtbase.dll, api-ms-win-crt-*); one msvcrNNN.dll */

typedef unsigned(__stdcall *thread_start_fn)(void *);
struct crt {
    void *(__cdecl *malloc)(size_t);
    void *(__cdecl *calloc)(size_t, size_t);
    void *(__cdecl *realloc)(void *, size_t);
    void(__cdecl *free)(void *);
    uintptr_t(__cdecl *beginthreadex)(void *, unsigned, thread_start_fn, void *, unsigned, unsigned *);
    void(__cdecl *exit)(int);
    int(__cdecl *getmainargs)(int *, char ***, char ***, int, void *);
    int(__cdecl *wgetmainargs)(int *, wchar_t ***, wchar_t ***, int, void *);
    int *(__cdecl *p_argc)(void);
    void *(__cdecl *aligned_malloc)(size_t, size_t);
    void(__cdecl *aligned_free)(void *);
};
static struct crt crt[FAMILIES];
static char other_crt[64]; /* the msvcrNNN.dll family's DLL, once one was seen */

static LPVOID(WINAPI *real_HeapAlloc)(HANDLE, DWORD, SIZE_T);
static LPVOID(WINAPI *real_HeapReAlloc)(HANDLE, DWORD, LPVOID, SIZE_T);
static BOOL(WINAPI *real_HeapFree)(HANDLE, DWORD, LPVOID);
static BOOL(WINAPI *real_HeapDestroy)(HANDLE);
static LPVOID(WINAPI *real_VirtualAlloc)(LPVOID, SIZE_T, DWORD, DWORD);
static BOOL(WINAPI *real_VirtualFree)(LPVOID, SIZE_T, DWORD);
static HANDLE(WINAPI *real_CreateThread)(LPSECURITY_ATTRIBUTES, SIZE_T, LPTHREAD_START_ROUTINE, LPVOID, DWORD,
                                         LPDWORD);
static void(WINAPI *real_ExitThread)(DWORD);
static void(WINAPI *real_ExitProcess)(UINT);
static BOOL(WINAPI *real_CloseHandle)(HANDLE);
static HANDLE(WINAPI *real_CreateEventA)(LPSECURITY_ATTRIBUTES, BOOL, BOOL, LPCSTR);
static HANDLE(WINAPI *real_CreateEventW)(LPSECURITY_ATTRIBUTES, BOOL, BOOL, LPCWSTR);
static HANDLE(WINAPI *real_CreateEventExA)(LPSECURITY_ATTRIBUTES, LPCSTR, DWORD, DWORD);
static HANDLE(WINAPI *real_CreateEventExW)(LPSECURITY_ATTRIBUTES, LPCWSTR, DWORD, DWORD);
static HANDLE(WINAPI *real_CreateMutexA)(LPSECURITY_ATTRIBUTES, BOOL, LPCSTR);
static HANDLE(WINAPI *real_CreateMutexW)(LPSECURITY_ATTRIBUTES, BOOL, LPCWSTR);
static HANDLE(WINAPI *real_CreateMutexExA)(LPSECURITY_ATTRIBUTES, LPCSTR, DWORD, DWORD);
static HANDLE(WINAPI *real_CreateMutexExW)(LPSECURITY_ATTRIBUTES, LPCWSTR, DWORD, DWORD);
static HANDLE(WINAPI *real_CreateSemaphoreA)(LPSECURITY_ATTRIBUTES, LONG, LONG, LPCSTR);
static HANDLE(WINAPI *real_CreateSemaphoreW)(LPSECURITY_ATTRIBUTES, LONG, LONG, LPCWSTR);
static HANDLE(WINAPI *real_CreateSemaphoreExA)(LPSECURITY_ATTRIBUTES, LONG, LONG, LPCSTR, DWORD, DWORD);
static HANDLE(WINAPI *real_CreateSemaphoreExW)(LPSECURITY_ATTRIBUTES, LONG, LONG, LPCWSTR, DWORD, DWORD);
static HANDLE(WINAPI *real_OpenEventA)(DWORD, BOOL, LPCSTR);
static HANDLE(WINAPI *real_OpenEventW)(DWORD, BOOL, LPCWSTR);
static HANDLE(WINAPI *real_OpenMutexA)(DWORD, BOOL, LPCSTR);
static HANDLE(WINAPI *real_OpenMutexW)(DWORD, BOOL, LPCWSTR);
static HANDLE(WINAPI *real_OpenSemaphoreA)(DWORD, BOOL, LPCSTR);
static HANDLE(WINAPI *real_OpenSemaphoreW)(DWORD, BOOL, LPCWSTR);
static HANDLE(WINAPI *real_CreateFileA)(LPCSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE);
static HANDLE(WINAPI *real_CreateFileW)(LPCWSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE);
static HMODULE(WINAPI *real_LoadLibraryA)(LPCSTR);
static HMODULE(WINAPI *real_LoadLibraryW)(LPCWSTR);
static HMODULE(WINAPI *real_LoadLibraryExA)(LPCSTR, HANDLE, DWORD);
static HMODULE(WINAPI *real_LoadLibraryExW)(LPCWSTR, HANDLE, DWORD);

/* ---- recording ---- */

/*
 * mingw-w64's start-up code copies argv into argc + 1 blocks it never frees, after asking the CRT for the
 * arguments and before main: right after the baseline, that many allocations made near the code that asked
 * (the same object file) are start-up, not leaks.
 */
static volatile LONG startup_blocks;
static uintptr_t startup_site;

static void startup_copies(int argc, void *site) {
    startup_site = (uintptr_t)site;
    InterlockedExchange(&startup_blocks, argc >= 0 && argc < 100000 ? argc + 1 : 0);
}

static int is_startup_copy(void *caller) {
    uintptr_t c = (uintptr_t)caller;
    uintptr_t distance = c > startup_site ? c - startup_site : startup_site - c;
    return distance < 4096 && InterlockedDecrement(&startup_blocks) >= 0;
}

static void heap_added(void *p, size_t size, uint16_t subtype, uint64_t tag, void *caller) {
    if (p == NULL || !resmon_active || (startup_blocks > 0 && is_startup_copy(caller))) {
        return;
    }
    resmon_main_check();
    uint64_t frames[RT_MAX_FRAMES];
    int depth = resmon_cxx_runtime_alloc(caller, frames, &subtype);
    if (depth < 0) {
        return;
    }
    if (depth == 0) {
        depth = resmon_backtrace(caller, frames);
    }
    if (resmon_runtime_tls(frames, depth)) {
        return;
    }
    rt_heap_alloc((uint64_t)(uintptr_t)p, size, subtype, tag, GetCurrentThreadId(), frames, depth);
}

static void heap_removed(void *p) {
    if (p != NULL && resmon_active) {
        rt_heap_free((uint64_t)(uintptr_t)p);
    }
}

void resmon_heap_added(void *p, size_t size, uint16_t subtype, void *caller) {
    heap_added(p, size, subtype, 0, caller);
}

void resmon_heap_removed(void *p) {
    heap_removed(p);
}

static struct rt_record *object_added(int kind, uint16_t subtype, HANDLE h, uint32_t attributes, void *caller) {
    if (h == NULL || h == INVALID_HANDLE_VALUE || !resmon_active) {
        return NULL;
    }
    resmon_main_check();
    uint64_t frames[RT_MAX_FRAMES];
    int depth = resmon_backtrace(caller, frames);
    if (resmon_runtime_tls(frames, depth)) {
        return NULL;
    }
    rt_lock();
    struct rt_record *r = rt_add(kind, subtype, (uint64_t)(uintptr_t)h, GetCurrentThreadId(), frames, depth);
    if (r != NULL) {
        r->attributes = attributes;
    }
    rt_unlock();
    return r;
}

static void thread_added(HANDLE h, DWORD id, void *start, void *caller) {
    if (h == NULL || !resmon_active) {
        return;
    }
    resmon_main_check();
    uint64_t frames[RT_MAX_FRAMES];
    int depth = resmon_backtrace(caller, frames);
    rt_lock();
    struct rt_thread_record *t = (struct rt_thread_record *)rt_add(RT_THREAD, RT_THREAD_RUNNING,
                                                                   (uint64_t)(uintptr_t)h, GetCurrentThreadId(),
                                                                   frames, depth);
    if (t != NULL) {
        t->thread_id = id != 0 ? id : GetThreadId(h);
        t->start_va = (uint64_t)(uintptr_t)start;
        t->create_time_ns = rt_now_ns();
    }
    rt_unlock();
}

/* ---- the C runtime, one set of hooks per family ---- */

#define CRT_HOOKS(F)                                                                                            \
    static void *__cdecl malloc_##F(size_t n) {                                                                 \
        void *p = crt[F].malloc(n);                                                                            \
        heap_added(p, n, RT_MALLOC, 0, __builtin_return_address(0));                                           \
        return p;                                                                                              \
    }                                                                                                          \
    static void *__cdecl calloc_##F(size_t n, size_t size) {                                                   \
        void *p = crt[F].calloc(n, size);                                                                      \
        heap_added(p, n * size, RT_CALLOC, 0, __builtin_return_address(0));                                    \
        return p;                                                                                              \
    }                                                                                                          \
    /* the old block is forgotten before the call: once freed, its address may be handed out at once */      \
    static void *__cdecl realloc_##F(void *old, size_t n) {                                                    \
        void *caller = __builtin_return_address(0);                                                           \
        heap_removed(old);                                                                                     \
        void *p = crt[F].realloc(old, n);                                                                      \
        heap_added(p != NULL ? p : (n != 0 ? old : NULL), n, RT_REALLOC, 0, caller);                          \
        return p;                                                                                              \
    }                                                                                                          \
    static void __cdecl free_##F(void *p) {                                                                    \
        heap_removed(p);                                                                                       \
        crt[F].free(p);                                                                                        \
    }                                                                                                          \
    static uintptr_t __cdecl beginthreadex_##F(void *sa, unsigned stack, thread_start_fn start, void *arg,    \
                                               unsigned flags, unsigned *id) {                                 \
        unsigned tid = 0;                                                                                      \
        uintptr_t h = crt[F].beginthreadex(sa, stack, start, arg, flags, &tid);                               \
        thread_added((HANDLE)h, tid, (void *)start, __builtin_return_address(0));                             \
        if (id != NULL) {                                                                                      \
            *id = tid;                                                                                         \
        }                                                                                                      \
        return h;                                                                                              \
    }                                                                                                          \
    static void __cdecl exit_##F(int code) {                                                                   \
        resmon_exit_starting();                                                                                \
        crt[F].exit(code);                                                                                     \
    }                                                                                                          \
    static int __cdecl getmainargs_##F(int *argc, char ***argv, char ***env, int glob, void *info) {           \
        int rc = crt[F].getmainargs(argc, argv, env, glob, info);                                              \
        resmon_baseline();                                                                                     \
        startup_copies(*argc, __builtin_return_address(0));                                                    \
        return rc;                                                                                             \
    }                                                                                                          \
    static int __cdecl wgetmainargs_##F(int *argc, wchar_t ***argv, wchar_t ***env, int glob, void *info) {    \
        int rc = crt[F].wgetmainargs(argc, argv, env, glob, info);                                             \
        resmon_baseline();                                                                                     \
        startup_copies(*argc, __builtin_return_address(0));                                                    \
        return rc;                                                                                             \
    }                                                                                                          \
    static int *__cdecl p_argc_##F(void) {                                                                     \
        resmon_baseline();                                                                                     \
        return crt[F].p_argc();                                                                                \
    }                                                                                                          \
    /* (statically linked libstdc++'s aligned operator new calls it) */                                       \
    static void *__cdecl aligned_malloc_##F(size_t n, size_t alignment) {                                      \
        void *p = crt[F].aligned_malloc(n, alignment);                                                        \
        heap_added(p, n, RT_ALIGNED_ALLOC, 0, __builtin_return_address(0));                                    \
        return p;                                                                                              \
    }                                                                                                          \
    static void __cdecl aligned_free_##F(void *p) {                                                            \
        heap_removed(p);                                                                                       \
        crt[F].aligned_free(p);                                                                                \
    }

CRT_HOOKS(0)
CRT_HOOKS(1)
CRT_HOOKS(2)

#define CRT_ENTRY(F)                                                                                            \
    {malloc_##F, calloc_##F, realloc_##F, free_##F, beginthreadex_##F, exit_##F, getmainargs_##F,              \
     wgetmainargs_##F, p_argc_##F, aligned_malloc_##F, aligned_free_##F}
#define CRT_FUNCTIONS 11
static void *const crt_hooks[FAMILIES][CRT_FUNCTIONS] = {CRT_ENTRY(0), CRT_ENTRY(1), CRT_ENTRY(2)};
static const char *const crt_names[CRT_FUNCTIONS] = {"malloc", "calloc", "realloc", "free", "_beginthreadex",
                                                     "exit", "__getmainargs", "__wgetmainargs", "__p___argc",
                                                     "_aligned_malloc", "_aligned_free"};
/* the ones a C++ runtime DLL's imports are patched for: its heap blocks */
static const unsigned char runtime_crt_functions[] = {0, 1, 2, 3, 9, 10};

/* ---- heaps ---- */

static LPVOID WINAPI hook_HeapAlloc(HANDLE heap, DWORD flags, SIZE_T n) {
    LPVOID p = real_HeapAlloc(heap, flags, n);
    heap_added(p, n, RT_HEAPALLOC, (uint64_t)(uintptr_t)heap, __builtin_return_address(0));
    return p;
}

static LPVOID WINAPI hook_HeapReAlloc(HANDLE heap, DWORD flags, LPVOID old, SIZE_T n) {
    void *caller = __builtin_return_address(0);
    heap_removed(old);
    LPVOID p = real_HeapReAlloc(heap, flags, old, n);
    heap_added(p != NULL ? p : old, n, RT_HEAPALLOC, (uint64_t)(uintptr_t)heap, caller);
    return p;
}

static BOOL WINAPI hook_HeapFree(HANDLE heap, DWORD flags, LPVOID p) {
    heap_removed(p);
    return real_HeapFree(heap, flags, p);
}

/* A destroyed heap takes its blocks with it: they are forgotten, as resmon does, not reported as leaks. */
static BOOL WINAPI hook_HeapDestroy(HANDLE heap) {
    struct rt_header *h = rt_header();
    if (resmon_active && h != NULL) {
        rt_lock();
        for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[RT_HEAP - 1]; c != NULL;
             c = (struct rt_chunk *)(uintptr_t)c->next_va) {
            for (uint32_t i = 0; i < c->used; i++) {
                struct rt_heap_record *b = (struct rt_heap_record *)((char *)(c + 1) + (size_t)i * c->record_size);
                if (b->common.state != 0 && b->common.subtype == RT_HEAPALLOC && b->tag == (uint64_t)(uintptr_t)heap) {
                    rt_heap_free(b->common.handle); /* under rt_lock: takes no stripe lock */
                }
            }
        }
        rt_unlock();
    }
    return real_HeapDestroy(heap);
}

/* Reserved or committed regions, by the address VirtualAlloc returned, until released (tag: the process id, as
 * resmon prints it for "Virtual"). Committing inside a region already reserved is not a new region. */
static LPVOID WINAPI hook_VirtualAlloc(LPVOID at, SIZE_T n, DWORD type, DWORD protect) {
    LPVOID p = real_VirtualAlloc(at, n, type, protect);
    if (p != NULL && (type & MEM_RESERVE || at == NULL)) {
        heap_added(p, n, RT_MMAP, GetCurrentProcessId(), __builtin_return_address(0));
    }
    return p;
}

static BOOL WINAPI hook_VirtualFree(LPVOID p, SIZE_T n, DWORD type) {
    if (type & MEM_RELEASE) {
        heap_removed(p);
    }
    return real_VirtualFree(p, n, type);
}

/* ---- threads, handles, sync objects, files ---- */

static HANDLE WINAPI hook_CreateThread(LPSECURITY_ATTRIBUTES sa, SIZE_T stack, LPTHREAD_START_ROUTINE start,
                                       LPVOID arg, DWORD flags, LPDWORD id) {
    DWORD tid = 0;
    HANDLE h = real_CreateThread(sa, stack, start, arg, flags, &tid);
    thread_added(h, tid, (void *)start, __builtin_return_address(0));
    if (id != NULL) {
        *id = tid;
    }
    return h;
}

static void WINAPI hook_ExitThread(DWORD code) {
    resmon_thread_exiting(GetCurrentThreadId());
    real_ExitThread(code);
}

static void WINAPI hook_ExitProcess(UINT code) {
    resmon_exit_starting();
    real_ExitProcess(code);
}

/* the record goes before the handle: once closed, its value may be handed out again at once */
static BOOL WINAPI hook_CloseHandle(HANDLE h) {
    if (resmon_active && h != NULL) {
        rt_lock();
        for (int kind = RT_THREAD; kind <= RT_HANDLE; kind++) {
            struct rt_record *r = rt_find(kind, (uint64_t)(uintptr_t)h);
            if (r != NULL) {
                rt_remove(r);
                break;
            }
        }
        rt_unlock();
    }
    return real_CloseHandle(h);
}

#define EVENT_ATTRIBUTES(manual, initial) (((manual) ? RT_ATTR_MANUAL_RESET : 0) | ((initial) ? RT_ATTR_INITIALLY_SET : 0))
#define SYNC(subtype, attributes, h) object_added(RT_SYNC, subtype, h, attributes, __builtin_return_address(0))

static HANDLE WINAPI hook_CreateEventA(LPSECURITY_ATTRIBUTES sa, BOOL manual, BOOL initial, LPCSTR name) {
    HANDLE h = real_CreateEventA(sa, manual, initial, name);
    SYNC(RT_EVENT, EVENT_ATTRIBUTES(manual, initial), h);
    return h;
}
static HANDLE WINAPI hook_CreateEventW(LPSECURITY_ATTRIBUTES sa, BOOL manual, BOOL initial, LPCWSTR name) {
    HANDLE h = real_CreateEventW(sa, manual, initial, name);
    SYNC(RT_EVENT, EVENT_ATTRIBUTES(manual, initial), h);
    return h;
}
static HANDLE WINAPI hook_CreateEventExA(LPSECURITY_ATTRIBUTES sa, LPCSTR name, DWORD flags, DWORD access) {
    HANDLE h = real_CreateEventExA(sa, name, flags, access);
    SYNC(RT_EVENT, EVENT_ATTRIBUTES(flags & CREATE_EVENT_MANUAL_RESET, flags & CREATE_EVENT_INITIAL_SET), h);
    return h;
}
static HANDLE WINAPI hook_CreateEventExW(LPSECURITY_ATTRIBUTES sa, LPCWSTR name, DWORD flags, DWORD access) {
    HANDLE h = real_CreateEventExW(sa, name, flags, access);
    SYNC(RT_EVENT, EVENT_ATTRIBUTES(flags & CREATE_EVENT_MANUAL_RESET, flags & CREATE_EVENT_INITIAL_SET), h);
    return h;
}
static HANDLE WINAPI hook_CreateMutexA(LPSECURITY_ATTRIBUTES sa, BOOL owned, LPCSTR name) {
    HANDLE h = real_CreateMutexA(sa, owned, name);
    SYNC(RT_MUTEX, owned ? RT_ATTR_INITIALLY_SET : 0, h);
    return h;
}
static HANDLE WINAPI hook_CreateMutexW(LPSECURITY_ATTRIBUTES sa, BOOL owned, LPCWSTR name) {
    HANDLE h = real_CreateMutexW(sa, owned, name);
    SYNC(RT_MUTEX, owned ? RT_ATTR_INITIALLY_SET : 0, h);
    return h;
}
static HANDLE WINAPI hook_CreateMutexExA(LPSECURITY_ATTRIBUTES sa, LPCSTR name, DWORD flags, DWORD access) {
    HANDLE h = real_CreateMutexExA(sa, name, flags, access);
    SYNC(RT_MUTEX, flags & CREATE_MUTEX_INITIAL_OWNER ? RT_ATTR_INITIALLY_SET : 0, h);
    return h;
}
static HANDLE WINAPI hook_CreateMutexExW(LPSECURITY_ATTRIBUTES sa, LPCWSTR name, DWORD flags, DWORD access) {
    HANDLE h = real_CreateMutexExW(sa, name, flags, access);
    SYNC(RT_MUTEX, flags & CREATE_MUTEX_INITIAL_OWNER ? RT_ATTR_INITIALLY_SET : 0, h);
    return h;
}
static HANDLE WINAPI hook_CreateSemaphoreA(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCSTR name) {
    HANDLE h = real_CreateSemaphoreA(sa, initial, maximum, name);
    SYNC(RT_SEMAPHORE, RT_ATTR_SEMAPHORE((uint32_t)initial, (uint32_t)maximum), h);
    return h;
}
static HANDLE WINAPI hook_CreateSemaphoreW(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCWSTR name) {
    HANDLE h = real_CreateSemaphoreW(sa, initial, maximum, name);
    SYNC(RT_SEMAPHORE, RT_ATTR_SEMAPHORE((uint32_t)initial, (uint32_t)maximum), h);
    return h;
}
static HANDLE WINAPI hook_CreateSemaphoreExA(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCSTR name,
                                             DWORD flags, DWORD access) {
    HANDLE h = real_CreateSemaphoreExA(sa, initial, maximum, name, flags, access);
    SYNC(RT_SEMAPHORE, RT_ATTR_SEMAPHORE((uint32_t)initial, (uint32_t)maximum), h);
    return h;
}
static HANDLE WINAPI hook_CreateSemaphoreExW(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCWSTR name,
                                             DWORD flags, DWORD access) {
    HANDLE h = real_CreateSemaphoreExW(sa, initial, maximum, name, flags, access);
    SYNC(RT_SEMAPHORE, RT_ATTR_SEMAPHORE((uint32_t)initial, (uint32_t)maximum), h);
    return h;
}

/* Opened named objects are handles to close like created ones; like resmon, their creation details are
 * unknown here and print as zeros. */
#define OPEN_HOOK(fn, char_t, subtype)                                                                          \
    static HANDLE WINAPI hook_##fn(DWORD access, BOOL inherit, const char_t *name) {                          \
        HANDLE h = real_##fn(access, inherit, name);                                                           \
        SYNC(subtype, 0, h);                                                                                   \
        return h;                                                                                              \
    }
OPEN_HOOK(OpenEventA, char, RT_EVENT)
OPEN_HOOK(OpenEventW, wchar_t, RT_EVENT)
OPEN_HOOK(OpenMutexA, char, RT_MUTEX)
OPEN_HOOK(OpenMutexW, wchar_t, RT_MUTEX)
OPEN_HOOK(OpenSemaphoreA, char, RT_SEMAPHORE)
OPEN_HOOK(OpenSemaphoreW, wchar_t, RT_SEMAPHORE)

static HANDLE WINAPI hook_CreateFileA(LPCSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
                                      DWORD disposition, DWORD flags, HANDLE model) {
    HANDLE h = real_CreateFileA(path, access, share, sa, disposition, flags, model);
    object_added(RT_HANDLE, RT_WIN_FILE, h, 0, __builtin_return_address(0));
    return h;
}
static HANDLE WINAPI hook_CreateFileW(LPCWSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
                                      DWORD disposition, DWORD flags, HANDLE model) {
    HANDLE h = real_CreateFileW(path, access, share, sa, disposition, flags, model);
    object_added(RT_HANDLE, RT_WIN_FILE, h, 0, __builtin_return_address(0));
    return h;
}

/* ---- modules loaded later ---- */

static HMODULE loaded(HMODULE m) {
    if (m != NULL && resmon_active) {
        resmon_modules_refresh();
        resmon_patch_modules();
    }
    return m;
}

/* A module line for a module that was not loaded before, so its return addresses resolve too. */
static HMODULE newly_loaded(HMODULE before, HMODULE m) {
    if (m != NULL && before == NULL && resmon_active) {
        resmon_log_module(m);
    }
    return loaded(m);
}
static HMODULE WINAPI hook_LoadLibraryA(LPCSTR name) {
    HMODULE before = GetModuleHandleA(name);
    return newly_loaded(before, real_LoadLibraryA(name));
}
static HMODULE WINAPI hook_LoadLibraryW(LPCWSTR name) {
    HMODULE before = GetModuleHandleW(name);
    return newly_loaded(before, real_LoadLibraryW(name));
}
/* (a module loaded as a data file is not in the module list: neither patched nor given a module line) */
static HMODULE WINAPI hook_LoadLibraryExA(LPCSTR name, HANDLE file, DWORD flags) {
    HMODULE before = GetModuleHandleA(name);
    return newly_loaded(before, real_LoadLibraryExA(name, file, flags));
}
static HMODULE WINAPI hook_LoadLibraryExW(LPCWSTR name, HANDLE file, DWORD flags) {
    HMODULE before = GetModuleHandleW(name);
    return newly_loaded(before, real_LoadLibraryExW(name, file, flags));
}

/* ---- the hook table ---- */

#define SYSTEM_HOOK(fn) {#fn, (void *)hook_##fn, (void **)&real_##fn}
static const struct {
    const char *name;
    void *hook;
    void **real;
} system_hooks[] = {
    SYSTEM_HOOK(HeapAlloc), SYSTEM_HOOK(HeapReAlloc), SYSTEM_HOOK(HeapFree), SYSTEM_HOOK(HeapDestroy),
    SYSTEM_HOOK(VirtualAlloc), SYSTEM_HOOK(VirtualFree), SYSTEM_HOOK(CreateThread),
    SYSTEM_HOOK(ExitThread), SYSTEM_HOOK(ExitProcess), SYSTEM_HOOK(CloseHandle), SYSTEM_HOOK(CreateEventA),
    SYSTEM_HOOK(CreateEventW), SYSTEM_HOOK(CreateEventExA), SYSTEM_HOOK(CreateEventExW), SYSTEM_HOOK(CreateMutexA),
    SYSTEM_HOOK(CreateMutexW), SYSTEM_HOOK(CreateMutexExA), SYSTEM_HOOK(CreateMutexExW),
    SYSTEM_HOOK(CreateSemaphoreA), SYSTEM_HOOK(CreateSemaphoreW), SYSTEM_HOOK(CreateSemaphoreExA),
    SYSTEM_HOOK(CreateSemaphoreExW), SYSTEM_HOOK(OpenEventA), SYSTEM_HOOK(OpenEventW), SYSTEM_HOOK(OpenMutexA),
    SYSTEM_HOOK(OpenMutexW), SYSTEM_HOOK(OpenSemaphoreA), SYSTEM_HOOK(OpenSemaphoreW), SYSTEM_HOOK(CreateFileA), SYSTEM_HOOK(CreateFileW), SYSTEM_HOOK(LoadLibraryA),
    SYSTEM_HOOK(LoadLibraryW), SYSTEM_HOOK(LoadLibraryExA), SYSTEM_HOOK(LoadLibraryExW),
};

static int starts_with_i(const char *s, const char *prefix) {
    return _strnicmp(s, prefix, strlen(prefix)) == 0;
}

/* The C runtime family of an imported DLL, or -1. */
static int family_of(const char *dll) {
    if (_stricmp(dll, "msvcrt.dll") == 0) {
        return 0;
    }
    if (_stricmp(dll, "ucrtbase.dll") == 0 || _stricmp(dll, "ucrtbased.dll") == 0
        || starts_with_i(dll, "api-ms-win-crt-")) {
        return 1;
    }
    if (starts_with_i(dll, "msvcr")) {
        if (other_crt[0] == '\0') {
            strncpy(other_crt, dll, sizeof other_crt - 1);
        }
        return _stricmp(dll, other_crt) == 0 ? 2 : -1; /* a second msvcrNNN in one process is left alone */
    }
    return -1;
}

/* The hook of C runtime function `name` of family `family`, remembering `original` as the real one, or NULL. */
static void *crt_hook(int family, int i, void *original) {
    void **reals = (void **)&crt[family];
    if (reals[i] == NULL) {
        reals[i] = original;
    }
    return crt_hooks[family][i];
}

void *resmon_hook_for(const char *dll, const char *name, void *original) {
    int family = family_of(dll);
    void *cxx = resmon_cxx_hook_for(family, dll, name, original);
    if (cxx != NULL) {
        return cxx;
    }
    if (family >= 0) {
        for (int i = 0; i < CRT_FUNCTIONS; i++) {
            if (strcmp(name, crt_names[i]) == 0) {
                return crt_hook(family, i, original);
            }
        }
        return NULL;
    }
    for (size_t i = 0; i < sizeof system_hooks / sizeof system_hooks[0]; i++) {
        if (strcmp(name, system_hooks[i].name) == 0) {
            if (*system_hooks[i].real == NULL) {
                *system_hooks[i].real = original;
            }
            return system_hooks[i].hook;
        }
    }
    return NULL;
}

void *resmon_runtime_hook_for(const char *dll, const char *name, void *original) {
    int family = family_of(dll);
    for (size_t i = 0; family >= 0 && i < sizeof runtime_crt_functions; i++) {
        if (strcmp(name, crt_names[runtime_crt_functions[i]]) == 0) {
            return crt_hook(family, runtime_crt_functions[i], original);
        }
    }
    return NULL;
}
