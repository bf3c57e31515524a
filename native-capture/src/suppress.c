/*
 * The suppression list: resources made at a call site inside a listed function or module are not leaks, and
 * are never recorded (so the exit report, the snapshots, the table image and a dump of the process agree).
 *
 * An entry names a function as the dynamic symbol table spells it (C++ names mangled; a trailing '*' matches a
 * prefix), or a module when it contains '/' or ".so" (its file name, e.g. libfoo.so.1, or its path as loaded).
 * The call site is the hook's return address (frame 0 of the record): the function that called malloc, open,
 * pthread_mutex_init... It is named in-process with dladdr, which sees exported functions only (a program's
 * own need -rdynamic), once per address; the verdict is kept in a small lock-free table, so a hook pays one
 * lookup. Matching frame 0 only keeps that cost flat, and is what a one-time allocator looks like: the
 * function that makes the block.
 *
 * Entries come from the built-in list (with the baseline: RESMON_BASELINE unset or 1), RESMON_SUPPRESS
 * (entries separated by ';') and RESMON_SUPPRESS_FILE (one entry per line, '#' starts a comment).
 */
#include "tracker.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * The C runtime's one-time allocations that a function exported by name makes. glibc frees its own at exit
 * (baseline.c); these entries also keep them out of snapshots and dumps taken before, and out of the report of
 * a process that exits with threads still running, where it cannot. C++ runtime entries go here too.
 */
static const char *const builtin[] = {
    "_IO_file_doallocate", /* stdio buffers: stdin's, stdout's, stderr's, and each FILE's (freed with it) */
    /* the static result buffers of the non-reentrant lookups, reused and grown by every call (glibc 2.36: each
     * allocates its buffer itself, seen as frame 0) */
    "getpwnam", "getpwuid", "getgrnam", "getgrgid", "gethostbyname", "gethostbyname2", "gethostbyaddr",
    "getservbyname", "getservbyport", "getprotobyname", "getprotobynumber",
};

#define MAX_ENTRIES 256
#define NAME_BYTES 16384

enum entry_kind { FUNCTION, FUNCTION_PREFIX, MODULE_NAME, MODULE_PATH };

struct entry {
    const char *name;
    size_t length;
    enum entry_kind kind;
};

static struct entry entries[MAX_ENTRIES];
static int entry_count;
static int entries_dropped;
static char names[NAME_BYTES]; /* the user's entries, NUL-terminated */
static size_t names_used;

/* Verdicts by call site: (address << 1 | suppressed), 0 = empty. Open addressing with a bounded probe; a site
 * that finds no room is looked up each time (correct, slower). */
#define CACHE_BITS 14
#define CACHE_SLOTS (1u << CACHE_BITS)
#define CACHE_PROBES 16
static uint64_t *cache;

static void add_entry(const char *name, size_t length) {
    if (length == 0) {
        return;
    }
    if (entry_count == MAX_ENTRIES) {
        if (!entries_dropped) {
            fprintf(stderr, "resmon: more than %d suppression entries; '%.*s' and the rest are not used\n",
                    MAX_ENTRIES, (int)length, name);
        }
        entries_dropped = 1;
        return;
    }
    struct entry *e = &entries[entry_count++];
    e->name = name;
    e->length = length;
    if (memchr(name, '/', length) != NULL) {
        e->kind = MODULE_PATH;
    } else if (length >= 3 && memmem(name, length, ".so", 3) != NULL) {
        e->kind = MODULE_NAME;
    } else if (name[length - 1] == '*') {
        e->kind = FUNCTION_PREFIX;
        e->length--;
    } else {
        e->kind = FUNCTION;
    }
}

/* Copies the user's entries out of `text` (separated by `sep`; blanks around them and '#' comments dropped). */
static void add_entries(const char *text, size_t n, char sep, const char *source) {
    size_t at = 0;
    while (at < n) {
        size_t end = at;
        while (end < n && text[end] != sep && text[end] != '\n') {
            end++;
        }
        size_t stop = at;
        while (stop < end && text[stop] != '#') {
            stop++;
        }
        size_t a = at;
        while (a < stop && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r')) {
            a++;
        }
        while (stop > a && (text[stop - 1] == ' ' || text[stop - 1] == '\t' || text[stop - 1] == '\r')) {
            stop--;
        }
        if (stop > a) {
            if (names_used + (stop - a) + 1 > sizeof names) {
                fprintf(stderr, "resmon: %s: the suppression entries pass %d bytes; '%.*s' and the rest are not"
                                " used\n", source, NAME_BYTES, (int)(stop - a), text + a);
                return;
            }
            char *copy = names + names_used;
            memcpy(copy, text + a, stop - a);
            copy[stop - a] = '\0';
            names_used += stop - a + 1;
            add_entry(copy, stop - a);
        }
        at = end + 1;
    }
}

static void read_file(const char *path) {
    static char text[65536];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "resmon: cannot read RESMON_SUPPRESS_FILE=%s (%s): its entries are not used\n", path,
                strerror(errno));
        return;
    }
    size_t n = 0;
    ssize_t r;
    while (n < sizeof text && (r = read(fd, text + n, sizeof text - n)) > 0) {
        n += (size_t)r;
    }
    close(fd);
    if (n == sizeof text) {
        fprintf(stderr, "resmon: RESMON_SUPPRESS_FILE=%s is longer than %zu bytes: the rest is not used\n", path,
                sizeof text);
    }
    add_entries(text, n, '\n', path);
}

/* The program (the first object dl_iterate_phdr reports): where it is mapped, and its dynamic loader's file name
 * (PT_INTERP), which `loader` receives. dladdr names the program by its argv[0], not by its path. */
static const void *program_start;
static char program_path[1024];

static int read_program(struct dl_phdr_info *info, size_t size, void *loader) {
    uintptr_t lowest = UINTPTR_MAX;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && ph->p_vaddr < lowest) {
            lowest = ph->p_vaddr;
        }
        if (ph->p_type == PT_INTERP && loader != NULL) {
            const char *path = (const char *)(info->dlpi_addr + ph->p_vaddr);
            const char *slash = strrchr(path, '/');
            snprintf(loader, 256, "%s", slash != NULL ? slash + 1 : path);
        }
    }
    long page = sysconf(_SC_PAGESIZE);
    program_start = (const void *)((info->dlpi_addr + lowest) & ~(uintptr_t)(page > 0 ? page - 1 : 4095));
    ssize_t n = readlink("/proc/self/exe", program_path, sizeof program_path - 1);
    program_path[n > 0 ? n : 0] = '\0';
    return 1; /* the program only */
}

void resmon_suppress_init(void) {
    if (resmon_config.baseline) {
        for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
            add_entry(builtin[i], strlen(builtin[i]));
        }
    }
    char loader[256] = "";
    dl_iterate_phdr(read_program, loader);
    if (resmon_config.baseline && loader[0] != '\0') {
        /* The dynamic loader's own bookkeeping: link maps and scopes of loaded libraries (the C runtime loads
         * libgcc_s for pthread_exit, NSS modules for getpwnam...), TLS blocks of threads, dlerror messages. A
         * library a program loads and never unloads shows as a module line, not as blocks. */
        add_entries(loader, strlen(loader), ';', "PT_INTERP");
    }
    const char *list = getenv("RESMON_SUPPRESS");
    if (list != NULL) {
        add_entries(list, strlen(list), ';', "RESMON_SUPPRESS");
    }
    const char *file = getenv("RESMON_SUPPRESS_FILE");
    if (file != NULL && file[0] != '\0') {
        read_file(file);
    }
    if (entry_count > 0) {
        void *m = mmap(NULL, CACHE_SLOTS * sizeof *cache, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        cache = m == MAP_FAILED ? NULL : m;
    }
}

static int matches(const struct entry *e, const Dl_info *info) {
    switch (e->kind) {
    case FUNCTION:
        return info->dli_sname != NULL && strlen(info->dli_sname) == e->length
               && memcmp(info->dli_sname, e->name, e->length) == 0;
    case FUNCTION_PREFIX:
        return info->dli_sname != NULL && strncmp(info->dli_sname, e->name, e->length) == 0;
    case MODULE_PATH:
    case MODULE_NAME: {
        const char *path = info->dli_fbase == program_start && program_path[0] != '\0' ? program_path
                                                                                         : info->dli_fname;
        if (path == NULL) {
            return 0;
        }
        const char *slash = strrchr(path, '/');
        return strcmp(e->kind == MODULE_NAME && slash != NULL ? slash + 1 : path, e->name) == 0;
    }
    }
    return 0;
}

static int look_up(uint64_t site) {
    Dl_info info;
    /* the call instruction, not what follows it: after a call that does not return, that is the next function */
    if (dladdr((void *)(uintptr_t)(site - 1), &info) == 0) {
        return 0;
    }
    for (int i = 0; i < entry_count; i++) {
        if (matches(&entries[i], &info)) {
            return 1;
        }
    }
    return 0;
}

int resmon_suppressed(uint64_t site) {
    if (entry_count == 0 || site == 0) {
        return 0;
    }
    if (cache == NULL) {
        return look_up(site);
    }
    size_t slot = (size_t)((site * 0x9E3779B97F4A7C15ull) >> (64 - CACHE_BITS)); /* the product's top bits */
    for (int probe = 0; probe < CACHE_PROBES; probe++, slot = (slot + 1) & (CACHE_SLOTS - 1)) {
        uint64_t e = __atomic_load_n(&cache[slot], __ATOMIC_RELAXED);
        if (e == 0) {
            int verdict = look_up(site);
            uint64_t expected = 0;
            /* another thread may take the slot first (for this site or another): then this verdict is not kept */
            __atomic_compare_exchange_n(&cache[slot], &expected, site << 1 | (uint64_t)verdict, 0, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED);
            return verdict;
        }
        if (e >> 1 == site) {
            return (int)(e & 1);
        }
    }
    return look_up(site);
}
