/*
 * libresmon.so's part of the table's module list (docs/formats/resmon-table.md, "The module list"): every
 * loaded object from dl_iterate_phdr with its address range, path and GNU build id (also what the log's module
 * lines and the snapshots' module tables print). dl_iterate_phdr holds the
 * loader's lock, and glibc frees memory while holding it, so nothing here holds a table lock while calling it:
 * the modules are collected into memory of our own first, then handed to rt_modules_sync.
 */
#include "tracker.h"
#include "unwind_cfi.h"

#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_MODULES 4096
#define PATHS_BYTES (1u << 20)

struct collected {
    struct rt_module_info mods[MAX_MODULES];
    int count;
    char paths[PATHS_BYTES];
    size_t paths_used;
};

/* Copies a path into the collection (the loader may free its own copy once dl_iterate_phdr returns). */
static const char *keep(struct collected *c, const char *s) {
    size_t n = strlen(s);
    if (n + 1 > PATHS_BYTES - c->paths_used) {
        return "";
    }
    char *at = c->paths + c->paths_used;
    memcpy(at, s, n + 1);
    c->paths_used += n + 1;
    return at;
}

/* From the PT_NOTE segments: mapped, as they lie in a PT_LOAD. */
size_t resmon_module_build_id(const struct dl_phdr_info *info, uint8_t *id, size_t cap) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE) {
            continue;
        }
        const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
        const char *end = p + ph->p_memsz;
        size_t align = ph->p_align == 8 ? 8 : 4;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
            const char *name = p + sizeof *n;
            const char *desc = name + ((n->n_namesz + align - 1) & ~(align - 1));
            const char *next = desc + ((n->n_descsz + align - 1) & ~(align - 1));
            if (next > end || next <= p) {
                break;
            }
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(name, "GNU", 4) == 0
                && n->n_descsz > 0) {
                size_t len = n->n_descsz > cap ? cap : n->n_descsz;
                memcpy(id, desc, len);
                return n->n_descsz;
            }
            p = next;
        }
    }
    return 0;
}

/* The table keeps at most RT_ID_BYTES of a build id. */
static void build_id(const struct dl_phdr_info *info, struct rt_module_info *m) {
    size_t n = resmon_module_build_id(info, m->id, RT_ID_BYTES);
    if (n > 0) {
        m->id_kind = RT_ID_GNU_BUILD_ID;
        m->id_length = (uint16_t)(n > RT_ID_BYTES ? RT_ID_BYTES : n);
    }
}

const char *resmon_module_path(const struct dl_phdr_info *info, char *buf, size_t size) {
    const char *path = info->dlpi_name;
    if (path != NULL && path[0] != '\0') {
        return path;
    }
    /* the main program */
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    buf[n > 0 ? n : 0] = '\0';
    /* started through the loader (`ld.so ./prog`): /proc/self/exe is the loader, and the kernel gave it no
     * interpreter base; argv[0], as the loader left it, names the program */
    int through_loader = getauxval(AT_BASE) == 0;
    if (n <= 0 || (through_loader && (size < PATH_MAX || realpath(program_invocation_name, buf) == NULL))) {
        snprintf(buf, size, "%s", program_invocation_name);
    }
    return buf;
}

int resmon_module_range(const struct dl_phdr_info *info, uint64_t *lo, uint64_t *hi) {
    *lo = UINT64_MAX;
    *hi = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD) {
            uint64_t a = info->dlpi_addr + ph->p_vaddr;
            *lo = a < *lo ? a : *lo;
            *hi = a + ph->p_memsz > *hi ? a + ph->p_memsz : *hi;
        }
    }
    return *hi > *lo;
}

static int collect(struct dl_phdr_info *info, size_t size, void *data) {
    struct collected *c = data;
    uint64_t lo;
    uint64_t hi;
    if (!resmon_module_range(info, &lo, &hi) || c->count == MAX_MODULES) {
        return 0;
    }
    struct rt_module_info *m = &c->mods[c->count++];
    memset(m, 0, sizeof *m);
    m->base = lo;
    m->size = hi - lo;
    char exe[PATH_MAX];
    m->path = keep(c, resmon_module_path(info, exe, sizeof exe));
    build_id(info, m);
    return 0;
}

void resmon_modules_refresh(void) {
    if (rt_header() == NULL) {
        return;
    }
    struct collected *c = mmap(NULL, sizeof *c, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c == MAP_FAILED) {
        return;
    }
    c->count = 0;
    c->paths_used = 0;
    dl_iterate_phdr(collect, c);
    rt_modules_sync(c->mods, c->count); /* after dl_iterate_phdr: no loader lock held */
    munmap(c, sizeof *c);
}

/* The loader's load and unload counters (dlpi_adds, dlpi_subs), read from the first object only. */
struct counters {
    unsigned long long adds;
    unsigned long long subs;
    int known;
};

static int read_counters(struct dl_phdr_info *info, size_t size, void *data) {
    struct counters *k = data;
    if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs) {
        k->adds = info->dlpi_adds;
        k->subs = info->dlpi_subs;
        k->known = 1;
    }
    return 1; /* one object is enough: the counters are the loader's */
}

void resmon_modules_check(void) {
    static unsigned long long last_adds;
    static unsigned long long last_subs;
    struct counters k = {0, 0, 0};
    dl_iterate_phdr(read_counters, &k);
    if (!k.known || k.adds != last_adds || k.subs != last_subs) {
        last_adds = k.adds;
        last_subs = k.subs;
        resmon_modules_refresh();
        resmon_resolve_cxx(); /* a C++ runtime loaded since: the C++ hooks' real functions */
        if (resmon_config.backtrace_mode == BT_CFI) {
            resmon_cfi_refresh(); /* the unwinder's own table of the modules */
        }
    }
}
