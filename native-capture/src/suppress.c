/*
 * The suppression list: resources made at a call site inside a listed function or module are not leaks, and
 * are not kept in the table (so the exit report, the snapshots, the table image and a dump of the process agree).
 *
 * An entry names a function as the dynamic symbol table spells it (C++ names mangled; a trailing '*' matches a
 * prefix), or a module when it contains '/' or ".so" (its file name, e.g. libfoo.so.1, or its path as loaded).
 * The call site is the hook's return address (frame 0 of the record): the function that called malloc, open,
 * pthread_mutex_init... Matching frame 0 only keeps the cost flat, and is what a one-time allocator looks like:
 * the function that makes the block.
 *
 * Call sites are named with dladdr, which sees exported functions only (a program's own need -rdynamic), once
 * per address, and the verdict is kept in a small lock-free table: a hook pays one lookup. A hook never calls
 * dladdr itself: dladdr takes the loader's lock, which dlopen holds while a library's constructors run, and
 * the hook's caller may hold a lock such a constructor waits for (a deadlock a tracker must not add). So a call
 * site seen for the first time is recorded and marked pending; resmon_suppress_settle (the monitor thread each
 * cycle, a snapshot, exit) names the pending sites and, when one is suppressed, removes its records from the
 * table. From then on the hooks skip that site. Only a table image written from a fatal-signal handler can hold
 * records of a suppressed site seen for the first time since the last cycle.
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

/* Verdicts by call site: (address << 2 | state), 0 = empty. Open addressing with a bounded probe; a site that
 * finds no room is never suppressed (16384 distinct call sites are far more than a program's allocators). */
#define CACHE_BITS 14
#define CACHE_SLOTS (1u << CACHE_BITS)
#define CACHE_PROBES 16
enum verdict { PENDING = 1, KEEP = 2, SUPPRESS = 3 };
static uint64_t *cache;
static int sweeps_owed; /* sweeps still to make after a site was found suppressed (atomic) */

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

static enum verdict look_up(uint64_t site) {
    Dl_info info;
    /* the call instruction, not what follows it: after a call that does not return, that is the next function */
    if (dladdr((void *)(uintptr_t)(site - 1), &info) == 0) {
        return KEEP;
    }
    for (int i = 0; i < entry_count; i++) {
        if (matches(&entries[i], &info)) {
            return SUPPRESS;
        }
    }
    return KEEP;
}

int resmon_suppressed(uint64_t site) {
    if (cache == NULL || site == 0) {
        return 0;
    }
    size_t slot = (size_t)((site * 0x9E3779B97F4A7C15ull) >> (64 - CACHE_BITS)); /* the product's top bits */
    for (int probe = 0; probe < CACHE_PROBES; probe++, slot = (slot + 1) & (CACHE_SLOTS - 1)) {
        uint64_t e = __atomic_load_n(&cache[slot], __ATOMIC_ACQUIRE);
        if (e == 0) {
            uint64_t expected = 0;
            /* taken meanwhile by another thread (for this site or another): look again */
            if (__atomic_compare_exchange_n(&cache[slot], &expected, site << 2 | PENDING, 0, __ATOMIC_RELEASE,
                                            __ATOMIC_RELAXED)) {
                return 0;
            }
            e = expected;
        }
        if (e >> 2 == site) {
            return (e & 3) == SUPPRESS;
        }
    }
    return 0;
}

/* The verdict on a record's call site, as far as it is known. */
static int suppressed_site(const struct rt_record *r) {
    return r->depth > 0 && resmon_suppressed(r->frames[0]);
}

/* Removes the records of suppressed call sites: under the table lock, no libc call. */
static void sweep(void) {
    struct rt_header *h = rt_header();
    rt_lock();
    for (int kind = RT_HEAP; kind <= RT_HANDLE; kind++) {
        for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[kind - 1]; c != NULL;
             c = (struct rt_chunk *)(uintptr_t)c->next_va) {
            for (uint32_t i = 0; i < c->used; i++) {
                struct rt_record *r = (struct rt_record *)((char *)(c + 1) + (size_t)i * c->record_size);
                if (r->state != 0 && suppressed_site(r)) {
                    if (kind == RT_HEAP) {
                        rt_heap_free(r->handle); /* with the stripe's totals */
                    } else {
                        rt_remove(r);
                    }
                }
            }
        }
    }
    rt_unlock();
}

void resmon_suppress_settle(void) {
    if (cache == NULL || rt_header() == NULL) {
        return;
    }
    int busy = resmon_busy++;
    int found = 0;
    for (size_t slot = 0; slot < CACHE_SLOTS; slot++) {
        uint64_t e = __atomic_load_n(&cache[slot], __ATOMIC_ACQUIRE);
        if ((e & 3) == PENDING) {
            enum verdict v = look_up(e >> 2);
            /* two threads may settle at once: the first one's word stands, the verdict is the same */
            if (__atomic_compare_exchange_n(&cache[slot], &e, (e & ~(uint64_t)3) | v, 0, __ATOMIC_RELEASE,
                                            __ATOMIC_RELAXED)) {
                found |= v == SUPPRESS;
            }
        }
    }
    /* twice: a hook that saw the site pending just before may add its record just after the first sweep */
    if (found) {
        __atomic_store_n(&sweeps_owed, 2, __ATOMIC_RELAXED);
    }
    if (__atomic_load_n(&sweeps_owed, __ATOMIC_RELAXED) > 0) {
        __atomic_sub_fetch(&sweeps_owed, 1, __ATOMIC_RELAXED);
        sweep();
    }
    resmon_busy = busy;
}
