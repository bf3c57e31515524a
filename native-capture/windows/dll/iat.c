/*
 * Import-table patching: each watched module's calls to the hooked functions go through its import address
 * table, so replacing those slots redirects exactly the calls that module makes (resmon's model: one
 * module's resources, not the C runtime's or the system's own). Only the exe and RESMON_MODULES are watched.
 */
#include "resmon_dll.h"

#include <psapi.h>
#include <string.h>

#define MAX_PATCHED_MODULES 64
#define MAX_SLOTS 512

struct slot {
    void **address;
    void *original;
};

static HMODULE patched[MAX_PATCHED_MODULES];
static int patched_count;
static struct slot slots[MAX_SLOTS];
static int slot_count;
static CRITICAL_SECTION patch_lock;
static INIT_ONCE patch_lock_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK init_patch_lock(PINIT_ONCE once, PVOID param, PVOID *context) {
    InitializeCriticalSection(&patch_lock);
    return TRUE;
}

static int is_patched(HMODULE m) {
    for (int i = 0; i < patched_count; i++) {
        if (patched[i] == m) {
            return 1;
        }
    }
    return 0;
}

static void write_slot(void **address, void *value) {
    DWORD old;
    if (VirtualProtect(address, sizeof *address, PAGE_READWRITE, &old)) {
        *address = value;
        VirtualProtect(address, sizeof *address, old, &old);
    }
}

/* `runtime`: the C++ runtime DLL, patched for its heap imports only (resmon_runtime_hook_for) */
static void patch_module(HMODULE m, int runtime) {
    const BYTE *base = (const BYTE *)m;
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
    if (dos->e_magic != IMAGE_DOS_SIGNATURE) {
        return;
    }
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
    const IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    if (nt->Signature != IMAGE_NT_SIGNATURE || dir->VirtualAddress == 0) {
        return;
    }
    for (const IMAGE_IMPORT_DESCRIPTOR *d = (const IMAGE_IMPORT_DESCRIPTOR *)(base + dir->VirtualAddress);
         d->Name != 0; d++) {
        const char *dll = (const char *)(base + d->Name);
        if (d->OriginalFirstThunk == 0) {
            continue; /* no name table: the slots cannot be told apart */
        }
        const IMAGE_THUNK_DATA *names = (const IMAGE_THUNK_DATA *)(base + d->OriginalFirstThunk);
        void **iat = (void **)(base + d->FirstThunk);
        for (int i = 0; names[i].u1.AddressOfData != 0; i++) {
            if (IMAGE_SNAP_BY_ORDINAL(names[i].u1.Ordinal)) {
                continue;
            }
            const IMAGE_IMPORT_BY_NAME *byname = (const IMAGE_IMPORT_BY_NAME *)(base + names[i].u1.AddressOfData);
            const char *name = (const char *)byname->Name;
            void *hook = runtime ? resmon_runtime_hook_for(dll, name, iat[i]) : resmon_hook_for(dll, name, iat[i]);
            if (hook != NULL && iat[i] != hook && slot_count < MAX_SLOTS) {
                slots[slot_count].address = &iat[i];
                slots[slot_count].original = iat[i];
                slot_count++;
                write_slot(&iat[i], hook);
            }
        }
    }
}

/* Nonzero when the module's file name is in RESMON_MODULES (case-insensitive). */
static int wanted(HMODULE m) {
    if (m == GetModuleHandleA(NULL)) {
        return 1;
    }
    char path[MAX_PATH];
    if (resmon_config.modules[0] == '\0' || GetModuleFileNameA(m, path, sizeof path) == 0) {
        return 0;
    }
    const char *name = strrchr(path, '\\');
    name = name != NULL ? name + 1 : path;
    size_t n = strlen(name);
    for (const char *p = resmon_config.modules; *p != '\0';) {
        const char *end = strchr(p, ';');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        if (len == n && _strnicmp(p, name, n) == 0) {
            return 1;
        }
        p += len + (end != NULL);
    }
    return 0;
}

void resmon_patch_modules(void) {
    InitOnceExecuteOnce(&patch_lock_once, init_patch_lock, NULL, NULL);
    EnterCriticalSection(&patch_lock);
    HMODULE mods[1024];
    DWORD needed = 0;
    if (EnumProcessModules(GetCurrentProcess(), mods, sizeof mods, &needed)) {
        int n = (int)(needed / sizeof mods[0]);
        for (int i = 0; i < n && i < 1024; i++) {
            if (!is_patched(mods[i]) && patched_count < MAX_PATCHED_MODULES && wanted(mods[i])) {
                patched[patched_count++] = mods[i];
                patch_module(mods[i], 0);
            }
        }
    }
    /* the C++ runtime the program imports operator new from, once seen: its own calls of malloc and free */
    HMODULE runtime = resmon_cxx_runtime();
    if (runtime != NULL && !is_patched(runtime) && patched_count < MAX_PATCHED_MODULES) {
        patched[patched_count++] = runtime;
        patch_module(runtime, 1);
    }
    LeaveCriticalSection(&patch_lock);
}

void resmon_unpatch_modules(void) {
    InitOnceExecuteOnce(&patch_lock_once, init_patch_lock, NULL, NULL);
    EnterCriticalSection(&patch_lock);
    for (int i = slot_count - 1; i >= 0; i--) {
        write_slot(slots[i].address, slots[i].original);
    }
    slot_count = 0;
    patched_count = 0;
    LeaveCriticalSection(&patch_lock);
}
