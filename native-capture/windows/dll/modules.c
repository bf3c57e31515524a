/*
 * The loaded modules' address ranges, for backtraces (Wine's RtlCaptureStackBackTrace returns junk after the
 * last real frame: the walk stops at the first address outside every module), for the module lines that
 * let logscan resolve return addresses, and for the table's module list (docs/formats/resmon-table.md, 1.1):
 * path, range, and the CodeView id (RSDS GUID, age and PDB path) and link timestamp read from the image in
 * memory, so dumpscan finds each module's symbols by identity.
 */
#include "resmon_dll.h"

#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODULES 1024

struct range {
    uint64_t lo;
    uint64_t hi;
};

static SRWLOCK modules_lock = SRWLOCK_INIT;
static struct range ranges[MAX_MODULES];
static int range_count;
static struct range self;

static int by_lo(const void *a, const void *b) {
    const struct range *x = a;
    const struct range *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The loaded modules (at most MAX_MODULES); returns how many. */
static int loaded_modules(HMODULE *mods) {
    DWORD needed = 0;
    if (!EnumProcessModules(GetCurrentProcess(), mods, MAX_MODULES * sizeof mods[0], &needed)) {
        return 0;
    }
    int n = (int)(needed / sizeof mods[0]);
    return n > MAX_MODULES ? MAX_MODULES : n;
}

/* The table's view of the modules: their identity, and room for their paths in UTF-8. */
struct table_modules {
    struct rt_module_info info[MAX_MODULES];
    char path[MAX_MODULES][MAX_PATH * 3];
    char pdb[MAX_MODULES][MAX_PATH];
};

/*
 * The link timestamp and, when the image has one, its CodeView RSDS record, read from the mapped headers.
 * Returns 0 when the headers cannot be read (then nothing is set).
 */
static int identity(HMODULE m, uint64_t size, struct rt_module_info *info, char *pdb, size_t pdb_size) {
    const BYTE *base = (const BYTE *)m;
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
    if (dos->e_magic != IMAGE_DOS_SIGNATURE || dos->e_lfanew <= 0 || (uint64_t)dos->e_lfanew + sizeof(IMAGE_NT_HEADERS) > size) {
        return 0;
    }
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
    if (nt->Signature != IMAGE_NT_SIGNATURE) {
        return 0;
    }
    info->timestamp = nt->FileHeader.TimeDateStamp;
    if (nt->OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_DEBUG) {
        return 1;
    }
    const IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_DEBUG];
    if (dir->VirtualAddress == 0 || (uint64_t)dir->VirtualAddress + dir->Size > size) {
        return 1;
    }
    const IMAGE_DEBUG_DIRECTORY *d = (const IMAGE_DEBUG_DIRECTORY *)(base + dir->VirtualAddress);
    for (DWORD i = 0; i < dir->Size / sizeof *d; i++) {
        /* a record outside every section is not mapped (AddressOfRawData 0): no id then */
        if (d[i].Type != IMAGE_DEBUG_TYPE_CODEVIEW || d[i].AddressOfRawData == 0 || d[i].SizeOfData < 24
            || (uint64_t)d[i].AddressOfRawData + d[i].SizeOfData > size) {
            continue;
        }
        const BYTE *cv = base + d[i].AddressOfRawData;
        if (memcmp(cv, "RSDS", 4) == 0) {
            info->id_kind = RT_ID_PE_RSDS;
            info->id_length = 16;
            memcpy(info->id, cv + 4, 16);
            memcpy(&info->age, cv + 20, 4);
            size_t n = strnlen((const char *)cv + 24, d[i].SizeOfData - 24);
            n = n < pdb_size - 1 ? n : pdb_size - 1;
            memcpy(pdb, cv + 24, n);
            pdb[n] = '\0';
            info->debug_file = n > 0 ? pdb : NULL; /* mingw's --build-id records no PDB path */
            return 1;
        }
    }
    return 1;
}

/* Every loaded module into the table's list: collected first, then handed over (no table lock meanwhile). */
static void sync_table(HMODULE *mods, int n) {
    struct table_modules *t = malloc(sizeof *t); /* the DLL's own C runtime is not hooked */
    if (t == NULL || rt_header() == NULL) {
        free(t);
        return;
    }
    int count = 0;
    for (int i = 0; i < n; i++) {
        MODULEINFO mi;
        WCHAR wide[MAX_PATH];
        DWORD len = GetModuleFileNameW(mods[i], wide, MAX_PATH);
        if (!GetModuleInformation(GetCurrentProcess(), mods[i], &mi, sizeof mi) || len == 0 || len >= MAX_PATH) {
            continue;
        }
        struct rt_module_info *info = &t->info[count];
        memset(info, 0, sizeof *info);
        info->base = (uint64_t)(uintptr_t)mi.lpBaseOfDll;
        info->size = mi.SizeOfImage;
        int bytes = WideCharToMultiByte(CP_UTF8, 0, wide, (int)len, t->path[count], sizeof t->path[count] - 1, NULL, NULL);
        t->path[count][bytes > 0 ? bytes : 0] = '\0';
        info->path = t->path[count];
        identity(mods[i], info->size, info, t->pdb[count], sizeof t->pdb[count]);
        count++;
    }
    rt_modules_sync(t->info, count);
    free(t);
}

void resmon_modules_refresh(void) {
    HMODULE mods[MAX_MODULES];
    HANDLE process = GetCurrentProcess();
    int n = loaded_modules(mods);
    struct range fresh[MAX_MODULES];
    int count = 0;
    for (int i = 0; i < n; i++) {
        MODULEINFO info;
        if (GetModuleInformation(process, mods[i], &info, sizeof info)) {
            fresh[count].lo = (uint64_t)(uintptr_t)info.lpBaseOfDll;
            fresh[count].hi = fresh[count].lo + info.SizeOfImage;
            count++;
        }
    }
    sync_table(mods, n);
    qsort(fresh, (size_t)count, sizeof fresh[0], by_lo);
    HMODULE me = NULL;
    GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCSTR)(void *)resmon_modules_refresh, &me);
    MODULEINFO mine = {0};
    GetModuleInformation(process, me, &mine, sizeof mine);
    AcquireSRWLockExclusive(&modules_lock);
    memcpy(ranges, fresh, (size_t)count * sizeof fresh[0]);
    range_count = count;
    self.lo = (uint64_t)(uintptr_t)mine.lpBaseOfDll;
    self.hi = self.lo + mine.SizeOfImage;
    ReleaseSRWLockExclusive(&modules_lock);
}

int resmon_in_module(uint64_t address) {
    AcquireSRWLockShared(&modules_lock);
    int lo = 0;
    int hi = range_count - 1;
    int found = 0;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (address < ranges[mid].lo) {
            hi = mid - 1;
        } else if (address >= ranges[mid].hi) {
            lo = mid + 1;
        } else {
            found = 1;
            break;
        }
    }
    ReleaseSRWLockShared(&modules_lock);
    return found;
}

int resmon_in_self(uint64_t address) {
    return address >= self.lo && address < self.hi;
}

int resmon_backtrace(void *caller, uint64_t *frames) {
    return resmon_backtrace_frames(caller, frames, resmon_config.depth);
}

__attribute__((noinline)) int resmon_backtrace_frames(void *caller, uint64_t *frames, int depth) {
    frames[0] = (uint64_t)(uintptr_t)caller;
    if (depth <= 1) {
        return 1;
    }
    /* the walk costs per frame (an unwind each): no more than the frames kept, the tracker's own (the hook,
     * the recording, this function) and the call site */
    void *raw[64];
    USHORT n = RtlCaptureStackBackTrace(0, depth + 8 < 64 ? (DWORD)depth + 8 : 64, raw, NULL);
    int out = 1;
    int i = 0;
    /* skip the tracker's own frames and the call site itself, already frames[0] */
    while (i < n && resmon_in_self((uint64_t)(uintptr_t)raw[i])) {
        i++;
    }
    if (i < n && raw[i] == caller) {
        i++;
    }
    for (; i < n && out < depth; i++) {
        uint64_t a = (uint64_t)(uintptr_t)raw[i];
        if (!resmon_in_module(a)) {
            break;
        }
        frames[out++] = a;
    }
    return out;
}

void resmon_each_module(void (*fn)(uint64_t base, uint64_t size, const char *path, void *arg), void *arg) {
    HMODULE mods[MAX_MODULES];
    HANDLE process = GetCurrentProcess();
    int n = loaded_modules(mods);
    for (int i = 0; i < n; i++) {
        MODULEINFO info;
        char path[MAX_PATH];
        if (GetModuleInformation(process, mods[i], &info, sizeof info)
            && GetModuleFileNameA(mods[i], path, sizeof path) > 0) {
            fn((uint64_t)(uintptr_t)info.lpBaseOfDll, info.SizeOfImage, path, arg);
        }
    }
}

/* Appends the PDB path's file name, bytes <= 0x20, 0x7F and '%' as %XX (docs/formats/resmon.md §9). */
static size_t put_pdb_name(char *out, size_t room, const char *pdb) {
    const char *name = pdb;
    for (const char *p = pdb; *p != '\0'; p++) {
        if (*p == '\\' || *p == '/') {
            name = p + 1;
        }
    }
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0' && n + 4 < room; p++) {
        n += (size_t)snprintf(out + n, room - n, *p <= 0x20 || *p == 0x7F || *p == '%' ? "%%%02X" : "%c", *p);
    }
    return n;
}

/* "module 0xBASE size N [debugid ID [pdb NAME]] [timestamp 0xSTAMP] PATH" (docs/formats/resmon.md §9) */
void resmon_log_module(HMODULE m) {
    MODULEINFO mi;
    char path[MAX_PATH];
    if (!GetModuleInformation(GetCurrentProcess(), m, &mi, sizeof mi)
        || GetModuleFileNameA(m, path, sizeof path) == 0) {
        return;
    }
    struct rt_module_info info;
    memset(&info, 0, sizeof info);
    char pdb[MAX_PATH];
    char fields[64 + 3 * MAX_PATH] = "";
    size_t n = 0;
    if (identity(m, mi.SizeOfImage, &info, pdb, sizeof pdb)) {
        if (info.id_kind == RT_ID_PE_RSDS) {
            const uint8_t *g = info.id; /* the GUID as stored: three little-endian fields, then 8 bytes */
            n += (size_t)snprintf(fields + n, sizeof fields - n, "debugid %08lX%04X%04X",
                                  (unsigned long)(g[0] | g[1] << 8 | g[2] << 16 | (uint32_t)g[3] << 24),
                                  g[4] | g[5] << 8, g[6] | g[7] << 8);
            for (int i = 8; i < 16; i++) {
                n += (size_t)snprintf(fields + n, sizeof fields - n, "%02X", g[i]);
            }
            n += (size_t)snprintf(fields + n, sizeof fields - n, "%lX ", (unsigned long)info.age);
            if (info.debug_file != NULL) {
                n += (size_t)snprintf(fields + n, sizeof fields - n, "pdb ");
                n += put_pdb_name(fields + n, sizeof fields - n - 1, info.debug_file);
                fields[n++] = ' ';
                fields[n] = '\0';
            }
        }
        snprintf(fields + n, sizeof fields - n, "timestamp 0x%08lX ", (unsigned long)info.timestamp);
    }
    resmon_logf("module 0x%016llX size %llu %s%s", (unsigned long long)(uintptr_t)mi.lpBaseOfDll,
                (unsigned long long)mi.SizeOfImage, fields, path);
}

void resmon_log_modules(void) {
    HMODULE mods[MAX_MODULES];
    int n = loaded_modules(mods);
    for (int i = 0; i < n; i++) {
        resmon_log_module(mods[i]);
    }
}
