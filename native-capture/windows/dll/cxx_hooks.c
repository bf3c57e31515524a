/*
 * C++ operator new and delete, when the program imports them from a runtime DLL: Itanium names from the C++
 * runtime (mingw-w64's libstdc++-6.dll, llvm-mingw's libc++.dll) and MSVC names from the C runtimes that
 * export them (msvcrt.dll, msvcrNNN.dll). The exe's own call site is recorded, typed New, New[] or New align.
 * (A statically linked libstdc++ has operator new inside the exe, calling malloc through the import table:
 * the malloc hooks record it, frame 0 inside operator new, and the whole stack lets the reader fold past it.)
 *
 * libstdc++-6.dll also allocates for the program from inside itself (std::string's _M_create calls its own
 * operator new directly), so its own imports of malloc, calloc, realloc and free are patched too. A block
 * its operator new makes is recorded from the frame that called operator new, and a block the program's
 * call to operator new makes through our hook is not recorded twice (a per-thread flag set around the call).
 */
#include "resmon_dll.h"

#include <psapi.h>
#include <string.h>

/* the Itanium mangling of size_t, and the MSVC decorations that depend on the pointer size */
#ifdef _WIN64
#define SZ "y"
#define MS_NEW(op) "??" op "@YAPEAX_K@Z"
#define MS_NEW_DEBUG(op) "??" op "@YAPEAX_KHPEBDH@Z"
#define MS_DELETE(op) "??" op "@YAXPEAX@Z"
#define MS_DELETE_DEBUG(op) "??" op "@YAXPEAXHPEBDH@Z"
#else
#define SZ "j"
#define MS_NEW(op) "??" op "@YAPAXI@Z"
#define MS_NEW_DEBUG(op) "??" op "@YAPAXIHPBDH@Z"
#define MS_DELETE(op) "??" op "@YAXPAX@Z"
#define MS_DELETE_DEBUG(op) "??" op "@YAXPAXHPBDH@Z"
#endif

#define FORMS 20    /* the operators of one runtime, new forms first */
#define NEW_FORMS 8 /* (the MSVC runtimes export 4 of each) */
#define FAMILIES 3  /* 0 msvcrt.dll, 1 one msvcrNNN.dll, 2 the C++ runtime DLL (Itanium names) */
#define ITANIUM 2

static const char *const itanium_names[FORMS] = {
    "_Znw" SZ, "_Zna" SZ, "_Znw" SZ "RKSt9nothrow_t", "_Zna" SZ "RKSt9nothrow_t", "_Znw" SZ "St11align_val_t",
    "_Zna" SZ "St11align_val_t", "_Znw" SZ "St11align_val_tRKSt9nothrow_t",
    "_Zna" SZ "St11align_val_tRKSt9nothrow_t",
    "_ZdlPv", "_ZdaPv", "_ZdlPv" SZ, "_ZdaPv" SZ, "_ZdlPvRKSt9nothrow_t", "_ZdaPvRKSt9nothrow_t",
    "_ZdlPvSt11align_val_t", "_ZdaPvSt11align_val_t", "_ZdlPv" SZ "St11align_val_t", "_ZdaPv" SZ "St11align_val_t",
    "_ZdlPvSt11align_val_tRKSt9nothrow_t", "_ZdaPvSt11align_val_tRKSt9nothrow_t"};
/* msvcrt.dll and msvcrNNN.dll export new, new[] and their debug forms (size, block type, file, line), delete and
 * delete[] (msvcr120 also debug ones); the sized, nothrow and aligned forms live in MSVC's static libraries */
static const char *const msvc_names[FORMS] = {
    MS_NEW("2"), MS_NEW("_U"), MS_NEW_DEBUG("2"), MS_NEW_DEBUG("_U"), NULL, NULL, NULL, NULL,
    MS_DELETE("3"), MS_DELETE("_V"), MS_DELETE_DEBUG("3"), MS_DELETE_DEBUG("_V"), NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL};
static const uint16_t itanium_types[NEW_FORMS] = {RT_NEW, RT_NEW_ARRAY, RT_NEW, RT_NEW_ARRAY,
                                                  RT_NEW_ALIGNED, RT_NEW_ARRAY_ALIGNED, RT_NEW_ALIGNED,
                                                  RT_NEW_ARRAY_ALIGNED};
static const uint16_t msvc_types[NEW_FORMS] = {RT_NEW, RT_NEW_ARRAY, RT_NEW, RT_NEW_ARRAY};

/*
 * Every form takes at most four pointer-sized arguments and is cdecl (on x64 the one convention): a hook that
 * takes and passes on four is correct for all of them, the extra ones being ignored by the callee.
 */
typedef void *(__cdecl *operator_fn)(uintptr_t, uintptr_t, uintptr_t, uintptr_t);
static operator_fn real[FAMILIES][FORMS];

static HMODULE runtime;              /* the C++ runtime DLL, once the program was seen importing from it */
static uint64_t runtime_lo, runtime_hi;
static uintptr_t runtime_new[NEW_FORMS]; /* its operator new entry points */
static DWORD in_new = TLS_OUT_OF_INDEXES; /* per thread: inside a hook's call of the runtime's operator new */

#define NEW_HOOK(F, I)                                                                                          \
    static void *__cdecl new_##F##_##I(uintptr_t n, uintptr_t a, uintptr_t b, uintptr_t c) {                   \
        if (F == ITANIUM) {                                                                                    \
            TlsSetValue(in_new, (void *)1);                                                                    \
        }                                                                                                      \
        void *p = real[F][I](n, a, b, c);                                                                      \
        if (F == ITANIUM) {                                                                                    \
            TlsSetValue(in_new, NULL);                                                                         \
        }                                                                                                      \
        resmon_heap_added(p, n, F == ITANIUM ? itanium_types[I] : msvc_types[I], __builtin_return_address(0)); \
        return p;                                                                                              \
    }
#define DELETE_HOOK(F, I)                                                                                       \
    static void *__cdecl delete_##F##_##I(uintptr_t p, uintptr_t a, uintptr_t b, uintptr_t c) {                \
        resmon_heap_removed((void *)p);                                                                        \
        return real[F][I](p, a, b, c);                                                                         \
    }
#define FAMILY_HOOKS(F)                                                                                         \
    NEW_HOOK(F, 0) NEW_HOOK(F, 1) NEW_HOOK(F, 2) NEW_HOOK(F, 3) NEW_HOOK(F, 4) NEW_HOOK(F, 5) NEW_HOOK(F, 6)    \
    NEW_HOOK(F, 7) DELETE_HOOK(F, 8) DELETE_HOOK(F, 9) DELETE_HOOK(F, 10) DELETE_HOOK(F, 11)                   \
    DELETE_HOOK(F, 12) DELETE_HOOK(F, 13) DELETE_HOOK(F, 14) DELETE_HOOK(F, 15) DELETE_HOOK(F, 16)             \
    DELETE_HOOK(F, 17) DELETE_HOOK(F, 18) DELETE_HOOK(F, 19)
FAMILY_HOOKS(0)
FAMILY_HOOKS(1)
FAMILY_HOOKS(2)

#define FAMILY_ENTRY(F)                                                                                         \
    {new_##F##_0, new_##F##_1, new_##F##_2, new_##F##_3, new_##F##_4, new_##F##_5, new_##F##_6, new_##F##_7,    \
     delete_##F##_8, delete_##F##_9, delete_##F##_10, delete_##F##_11, delete_##F##_12, delete_##F##_13,        \
     delete_##F##_14, delete_##F##_15, delete_##F##_16, delete_##F##_17, delete_##F##_18, delete_##F##_19}
static void *const hooks[FAMILIES][FORMS] = {FAMILY_ENTRY(0), FAMILY_ENTRY(1), FAMILY_ENTRY(2)};

/* The C++ runtime: its range, its operator new entry points, and the flag, set up once. */
static int adopt_runtime(const char *dll) {
    HMODULE m = GetModuleHandleA(dll);
    MODULEINFO info;
    if (m == NULL || !GetModuleInformation(GetCurrentProcess(), m, &info, sizeof info)) {
        return 0;
    }
    if (runtime != NULL) {
        return m == runtime; /* a second C++ runtime in one process is left alone */
    }
    in_new = TlsAlloc();
    if (in_new == TLS_OUT_OF_INDEXES) {
        return 0;
    }
    for (int i = 0; i < NEW_FORMS; i++) {
        runtime_new[i] = (uintptr_t)(void *)GetProcAddress(m, itanium_names[i]);
    }
    runtime_lo = (uint64_t)(uintptr_t)info.lpBaseOfDll;
    runtime_hi = runtime_lo + info.SizeOfImage;
    runtime = m;
    return 1;
}

void *resmon_cxx_hook_for(int crt_family, const char *dll, const char *name, void *original) {
    int family;
    const char *const *names;
    if (crt_family == 0 || crt_family == 2) {
        family = crt_family == 0 ? 0 : 1;
        names = msvc_names;
    } else if (crt_family < 0 && name[0] == '_' && name[1] == 'Z' && (name[2] == 'n' || name[2] == 'd')) {
        family = ITANIUM;
        names = itanium_names;
    } else {
        return NULL;
    }
    for (int i = 0; i < FORMS; i++) {
        if (names[i] != NULL && strcmp(name, names[i]) == 0) {
            if (family == ITANIUM && !adopt_runtime(dll)) {
                return NULL;
            }
            if (real[family][i] == NULL) {
                real[family][i] = (operator_fn)(uintptr_t)original;
            }
            return hooks[family][i];
        }
    }
    return NULL;
}

HMODULE resmon_cxx_runtime(void) {
    return runtime;
}

/* Which of the runtime's operator new forms holds `address` (a return address), or -1. */
static int new_form_at(uint64_t address) {
    if (address < runtime_lo || address >= runtime_hi) {
        return -1;
    }
#ifdef _WIN64
    DWORD64 base;
    PRUNTIME_FUNCTION f = RtlLookupFunctionEntry(address, &base, NULL);
    uintptr_t begin = f != NULL ? (uintptr_t)(base + f->BeginAddress) : 0;
    for (int i = 0; i < NEW_FORMS; i++) {
        if (runtime_new[i] != 0 && runtime_new[i] == begin) {
            return i;
        }
    }
#else
    /* no function table on x86: operator new is a few instructions before its call of malloc */
    for (int i = 0; i < NEW_FORMS; i++) {
        if (runtime_new[i] != 0 && address > runtime_new[i] && address - runtime_new[i] < 64) {
            return i;
        }
    }
#endif
    return -1;
}

int resmon_cxx_runtime_alloc(void *caller, uint64_t *frames, uint16_t *subtype) {
    if (runtime == NULL || new_form_at((uint64_t)(uintptr_t)caller) < 0) {
        return 0;
    }
    DWORD error = GetLastError(); /* (TlsGetValue clears it: the program's must survive its malloc) */
    void *inside = TlsGetValue(in_new);
    SetLastError(error);
    if (inside != NULL) {
        return -1; /* the hook of the program's call records it */
    }
    /* past operator new's frames (new[] calls new): the one who called it is the call site */
    uint64_t raw[RT_MAX_FRAMES + 2];
    int n = resmon_backtrace_frames(caller, raw, resmon_config.depth + 2);
    int skip = 0;
    int form;
    while (skip < n - 1 && (form = new_form_at(raw[skip])) >= 0) {
        *subtype = itanium_types[form];
        skip++;
    }
    int depth = n - skip < resmon_config.depth ? n - skip : resmon_config.depth;
    memcpy(frames, raw + skip, (size_t)depth * sizeof *frames);
    return depth;
}
