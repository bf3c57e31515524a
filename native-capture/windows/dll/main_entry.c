/*
 * The baseline when main is entered. The baseline at __getmainargs comes before the C++ static constructors
 * (mingw-w64 runs them from __main, after the arguments are copied): with libstdc++ linked statically they
 * allocate the exception emergency pool (74,752 bytes on x64) and iostream's and the program's own globals.
 * So, when the exe's COFF symbol table names main (wmain, WinMain, wWinMain), everything made until the first
 * hooked call with main on the stack is start-up too, and forgotten then. A stripped exe keeps the baseline at
 * __getmainargs alone (native-capture/windows/README.md).
 *
 * The same symbol table gives the one runtime allocator that runs inside main: libgcc's emulated TLS, linked
 * in with static libstdc++ (its per-thread arrays, freed when a thread ends, and a semaphore and a block for
 * the main thread, never freed). What a hook is called for from its object file is not recorded.
 */
#include "resmon_dll.h"

#include <string.h>

static uint64_t main_lo, main_hi;     /* main's code in the exe, as loaded; 0 when the exe names no main */
static uint64_t emutls_lo, emutls_hi; /* the code of libgcc's emutls.o in the exe; 0 when not linked in */
static volatile LONG main_pending;

#pragma pack(push, 1)
struct coff_symbol {
    union {
        char short_name[8];
        struct {
            uint32_t zeros;
            uint32_t offset;
        } long_name;
    } name;
    uint32_t value;
    int16_t section;
    uint16_t type;
    uint8_t storage_class;
    uint8_t aux_count;
};
#pragma pack(pop)

static int read_at(HANDLE f, uint64_t offset, void *buf, DWORD n) {
    LARGE_INTEGER at;
    at.QuadPart = (LONGLONG)offset;
    DWORD got;
    return SetFilePointerEx(f, at, NULL, FILE_BEGIN) && ReadFile(f, buf, n, &got, NULL) && got == n;
}

static const char *const mains[] = {
#ifdef _WIN64
    "main", "wmain", "WinMain", "wWinMain"
#else
    "_main", "_wmain", "_WinMain@16", "_wWinMain@16"
#endif
};
static const char *const emutls[] = {
#ifdef _WIN64
    "__emutls_get_address"
#else
    "___emutls_get_address"
#endif
};

/* Whether symbol `s` has one of the `count` names. */
static int named(const struct coff_symbol *s, const char *strings, uint32_t strings_size, const char *const *names,
                 size_t count) {
    char name[32];
    if (s->name.long_name.zeros == 0) {
        if (s->name.long_name.offset >= strings_size) {
            return 0;
        }
        strncpy(name, strings + s->name.long_name.offset, sizeof name - 1);
        name[sizeof name - 1] = '\0';
    } else {
        memcpy(name, s->name.short_name, 8);
        name[8] = '\0';
    }
    for (size_t i = 0; i < count; i++) {
        if (strcmp(name, names[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The index of the first function symbol with one of the names, or -1. */
static int find_function(const struct coff_symbol *syms, uint32_t count, int sections, const char *strings,
                         uint32_t strings_size, const char *const *names, size_t name_count) {
    for (uint32_t i = 0; i < count; i += 1u + syms[i].aux_count) {
        if (syms[i].section > 0 && syms[i].section <= sections && (syms[i].type & 0x20)
            && named(&syms[i], strings, strings_size, names, name_count)) {
            return (int)i;
        }
    }
    return -1;
}

/* The code of the object file that defined function symbol `at`: the section symbol (".text", static, its
 * auxiliary record's first field the length) of its section whose range holds it. 0 in *lo when none does. */
static void object_range(const struct coff_symbol *syms, uint32_t count, const struct coff_symbol *at,
                         uint64_t section_base, uint64_t *lo, uint64_t *hi) {
    for (uint32_t i = 0; i + 1 < count; i += 1u + syms[i].aux_count) {
        uint32_t length;
        memcpy(&length, &syms[i + 1], sizeof length);
        if (syms[i].section == at->section && syms[i].storage_class == IMAGE_SYM_CLASS_STATIC
            && syms[i].aux_count == 1 && memcmp(syms[i].name.short_name, ".text", 6) == 0
            && syms[i].value <= at->value && at->value - syms[i].value < length) {
            *lo = section_base + syms[i].value;
            *hi = *lo + length;
            return;
        }
    }
}

/* main's range from the symbol table: from its value to the next function's in the same section */
static void find_main(HANDLE f, const IMAGE_NT_HEADERS *nt, const IMAGE_SECTION_HEADER *sections) {
    uint32_t count = nt->FileHeader.NumberOfSymbols;
    uint64_t table = nt->FileHeader.PointerToSymbolTable;
    uint32_t strings_size = 0;
    if (table == 0 || count == 0 || count > (64u << 20) / sizeof(struct coff_symbol)
        || !read_at(f, table + (uint64_t)count * sizeof(struct coff_symbol), &strings_size, 4)
        || strings_size > (64u << 20)) {
        return;
    }
    size_t bytes = (size_t)count * sizeof(struct coff_symbol) + strings_size;
    char *buf = HeapAlloc(GetProcessHeap(), 0, bytes);
    if (buf == NULL) {
        return;
    }
    if (read_at(f, table, buf, (DWORD)bytes)) {
        const struct coff_symbol *syms = (const struct coff_symbol *)buf;
        const char *strings = buf + (size_t)count * sizeof(struct coff_symbol);
        uint64_t image = (uint64_t)(uintptr_t)GetModuleHandleA(NULL);
        int n_sections = nt->FileHeader.NumberOfSections;
        int found = find_function(syms, count, n_sections, strings, strings_size, emutls, 1);
        if (found >= 0) {
            object_range(syms, count, &syms[found], image + sections[syms[found].section - 1].VirtualAddress,
                         &emutls_lo, &emutls_hi);
        }
        found = find_function(syms, count, n_sections, strings, strings_size, mains, sizeof mains / sizeof mains[0]);
        if (found >= 0) {
            const struct coff_symbol *m = &syms[found];
            uint32_t end = UINT32_MAX;
            for (uint32_t i = 0; i < count; i += 1u + syms[i].aux_count) {
                if (syms[i].section == m->section && syms[i].value > m->value && syms[i].value < end
                    && (syms[i].storage_class == IMAGE_SYM_CLASS_EXTERNAL
                        || syms[i].storage_class == IMAGE_SYM_CLASS_STATIC)) {
                    end = syms[i].value;
                }
            }
            const IMAGE_SECTION_HEADER *s = &sections[m->section - 1];
            uint64_t base = image + s->VirtualAddress;
            main_lo = base + m->value;
            main_hi = base + (end != UINT32_MAX ? end : s->Misc.VirtualSize);
        }
    }
    HeapFree(GetProcessHeap(), 0, buf);
}

void resmon_main_find(void) {
    char path[MAX_PATH];
    if (GetModuleFileNameA(NULL, path, sizeof path) == 0) {
        return;
    }
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        return;
    }
    /* the headers as loaded: the same bytes as the file's */
    const BYTE *image = (const BYTE *)GetModuleHandleA(NULL);
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(image + ((const IMAGE_DOS_HEADER *)image)->e_lfanew);
    find_main(f, nt, IMAGE_FIRST_SECTION(nt));
    CloseHandle(f);
}

void resmon_main_wait(void) {
    if (main_lo != 0) {
        InterlockedExchange(&main_pending, 1);
    }
}

void resmon_main_check(void) {
    if (main_pending == 0) {
        return;
    }
    void *raw[64];
    USHORT n = RtlCaptureStackBackTrace(0, 64, raw, NULL);
    for (USHORT i = 0; i < n; i++) {
        uint64_t a = (uint64_t)(uintptr_t)raw[i];
        if (a > main_lo && a <= main_hi) { /* a return address: just past a call */
            if (InterlockedExchange(&main_pending, 0) == 1) {
                rt_forget_all();
            }
            return;
        }
    }
}

int resmon_runtime_tls(const uint64_t *frames, int depth) {
    for (int i = 0; i < depth && emutls_lo != 0; i++) {
        if (frames[i] >= emutls_lo && frames[i] < emutls_hi) {
            return 1;
        }
    }
    return 0;
}
