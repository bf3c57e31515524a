/*
 * The tracking table (docs/formats/resmon-table.md): a header and per-kind chunk lists that a dump reader can
 * walk, plus a private hash index from handle to record that the format does not describe. Everything is
 * allocated with mmap, never malloc: inside an LD_PRELOAD tracker malloc is the function being traced.
 */

#include "resmon_table.h"
#include "os.h"

#include <string.h>

#ifdef RT_OS_CHUNK_RECORDS
#define CHUNK_RECORDS RT_OS_CHUNK_RECORDS
#else
#define CHUNK_RECORDS 4096u
#endif

struct entry {
    uint64_t key;
    struct rt_record *value;
};

/* Per kind: where new records go, the chunk list's tail, and the index. */
struct kind_state {
    uint32_t record_size;
    struct rt_chunk *tail;
    struct rt_record *free_list; /* freed slots, linked through their handle field */
    /* open addressing, linear probing, no tombstones (backward-shift deletion); key and value side by side,
     * one cache line per probe */
    struct entry *entries;
    size_t slots; /* power of two, 0 before first use */
    size_t count;
};

static struct rt_header *header;
static uint64_t max_records;
static uint64_t records[RT_KINDS]; /* live records per kind, for the cap (atomic) */
static struct kind_state kinds[RT_KINDS];

/*
 * Heap records, the busy kind, are striped by address: each stripe has its own lock, index, free list and
 * chunk being filled, so threads allocating at once rarely meet. Chunks of all stripes hang on the one heap
 * list of the format. rt_lock() takes every lock (walks of the whole table); a heap call made while holding
 * it takes no stripe lock again.
 */
#define STRIPES 16
/* Totals a stripe keeps under its own lock: shared counters would need an atomic instruction each, and those
 * cost more than the rest of a record. They are folded into the header by rt_refresh_totals(). */
struct counters {
    uint64_t allocations;
    uint64_t allocated;
    uint64_t frees;
    uint64_t freed;
    uint64_t histogram[RT_BUCKETS];
    int64_t live; /* bytes of this stripe's live records */
    uint64_t ops;
};
struct stripe {
    rt_os_lock_t lock;
    struct kind_state state;
    struct counters totals;
    char pad[64];
};
static struct stripe stripes[STRIPES];
static rt_os_lock_t chunk_list_lock;
static struct rt_chunk *heap_list_tail;
/* the thread holding every lock (rt_lock), 0 for none: its heap calls take no stripe lock again */
static volatile uintptr_t all_holder;
static rt_os_lock_t table_lock;
static uint64_t start_monotonic_ns;
/* The module list (1.1): its own lock, so appending never waits for the table; rt_lock() takes it too. */
static rt_os_lock_t module_lock;
static struct rt_module_chunk *module_tail;
static int modules_synced; /* after the first sync, new modules get a load time */
/* The magic is assembled at run time from this and a mask the compiler cannot fold away, so the tracker's own
 * code and data never hold the 16 bytes a memory scan looks for. */
static const uint64_t magic_masked = 0x4E4F4D5345524B4Cull ^ 0xA55AA55AA55AA55Aull;
static volatile uint64_t magic_mask = 0xA55AA55AA55AA55Aull;

uint64_t rt_now_ns(void) {
    return rt_os_monotonic_ns() - start_monotonic_ns;
}

/* Record times: the coarse clock costs a fraction of the precise one, per allocation. */
static uint64_t record_time_ns(void) {
    uint64_t t = rt_os_coarse_ns();
    return t > start_monotonic_ns ? t - start_monotonic_ns : 0;
}

static void *map(size_t bytes) {
    return rt_os_map(bytes);
}

int rt_init(const char *process_name, uint64_t pid, const struct rt_limits *limits) {
    if (header != NULL) {
        return 0;
    }
    struct rt_header *h = map(sizeof(struct rt_header));
    if (h == NULL) {
        return -1;
    }
    uint64_t magic = magic_masked ^ magic_mask;
    uint64_t magic_not = ~magic;
    memcpy(h->magic, &magic, 8);
    memcpy(h->magic_not, &magic_not, 8);
    h->version_major = RT_VERSION_MAJOR;
    h->version_minor = RT_VERSION_MINOR;
    h->header_size = sizeof(struct rt_header);
    h->self_va = (uint64_t)(uintptr_t)h;
    h->pointer_size = sizeof(void *);
    h->process_id = pid;
    h->start_time_ns = rt_os_realtime_ns();
    h->update_time_ns = h->start_time_ns;
    if (process_name != NULL) {
        strncpy(h->process_name, process_name, RT_NAME_BYTES - 1);
    }
    if (limits != NULL) {
        h->limit_memory_bytes = limits->memory_bytes;
        h->limit_cpu_percent = limits->cpu_percent;
        h->limit_threads = limits->threads;
        h->limit_sync_objects = limits->sync_objects;
        h->interval_ms = limits->interval_ms;
        h->limit_disk_bytes = limits->disk_bytes;
    }
    h->histogram_buckets = RT_BUCKETS;
    kinds[RT_HEAP - 1].record_size = sizeof(struct rt_heap_record);
    for (int i = 0; i < STRIPES; i++) {
        stripes[i].state.record_size = sizeof(struct rt_heap_record);
    }
    kinds[RT_THREAD - 1].record_size = sizeof(struct rt_thread_record);
    kinds[RT_SYNC - 1].record_size = sizeof(struct rt_record);
    kinds[RT_HANDLE - 1].record_size = sizeof(struct rt_record);
    start_monotonic_ns = rt_os_monotonic_ns();
    header = h;
    return 0;
}

static void free_index(struct kind_state *k) {
    if (k->slots != 0) {
        rt_os_unmap(k->entries, k->slots * sizeof *k->entries);
    }
}

void rt_fini(void) {
    struct rt_header *h = header;
    if (h == NULL) {
        return;
    }
    header = NULL;
    for (int kind = 1; kind <= RT_KINDS; kind++) {
        struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[kind - 1];
        while (c != NULL) {
            struct rt_chunk *next = (struct rt_chunk *)(uintptr_t)c->next_va;
            rt_os_unmap(c, sizeof *c + (size_t)c->capacity * c->record_size);
            c = next;
        }
    }
    for (struct rt_module_chunk *m = (struct rt_module_chunk *)(uintptr_t)h->module_list_va; m != NULL;) {
        struct rt_module_chunk *next = (struct rt_module_chunk *)(uintptr_t)m->next_va;
        rt_os_unmap(m, sizeof *m + (size_t)m->capacity * m->entry_size + m->string_bytes);
        m = next;
    }
    module_tail = NULL;
    modules_synced = 0;
    for (int i = 0; i < RT_KINDS; i++) {
        free_index(&kinds[i]);
    }
    for (int i = 0; i < STRIPES; i++) {
        free_index(&stripes[i].state);
    }
    memset(kinds, 0, sizeof kinds);
    memset(stripes, 0, sizeof stripes);
    memset(records, 0, sizeof records);
    heap_list_tail = NULL;
    all_holder = 0;
    /* freed memory keeps its bytes: without the magic a later dump's scan cannot take it for a live table */
    memset(h, 0, sizeof *h);
    rt_os_unmap(h, sizeof *h);
}

void rt_set_max_records(uint64_t n) {
    max_records = n;
}

struct rt_header *rt_header(void) {
    return header;
}

static void spin_lock(rt_os_lock_t *l) {
    rt_os_lock(l);
}

static void spin_unlock(rt_os_lock_t *l) {
    rt_os_unlock(l);
}

void rt_lock(void) {
    spin_lock(&table_lock);
    for (int i = 0; i < STRIPES; i++) {
        spin_lock(&stripes[i].lock);
    }
    spin_lock(&module_lock);
    all_holder = rt_os_self();
}

void rt_unlock(void) {
    all_holder = 0;
    spin_unlock(&module_lock);
    for (int i = STRIPES - 1; i >= 0; i--) {
        spin_unlock(&stripes[i].lock);
    }
    spin_unlock(&table_lock);
}

void rt_unlock_abandoned(void) {
    all_holder = 0;
    table_lock.held = 0;
    chunk_list_lock.held = 0;
    module_lock.held = 0;
    for (int i = 0; i < STRIPES; i++) {
        stripes[i].lock.held = 0;
    }
}

static int stripe_of(uint64_t address) {
    return (int)((address >> 4) ^ (address >> 12)) & (STRIPES - 1);
}

/* The state a record of `kind` with this handle lives in. */
static struct kind_state *state_of(int kind, uint64_t handle) {
    return kind == RT_HEAP ? &stripes[stripe_of(handle)].state : &kinds[kind - 1];
}

/* ---- the private index ---- */

static size_t slot_of(uint64_t key, size_t slots) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (size_t)key & (slots - 1);
}

static int index_grow(struct kind_state *k) {
    size_t slots = k->slots == 0 ? 1024 : k->slots * 2;
    struct entry *e = map(slots * sizeof *e);
    if (e == NULL) {
        return -1;
    }
    for (size_t i = 0; i < k->slots; i++) {
        if (k->entries[i].value != NULL) {
            size_t j = slot_of(k->entries[i].key, slots);
            while (e[j].value != NULL) {
                j = (j + 1) & (slots - 1);
            }
            e[j] = k->entries[i];
        }
    }
    if (k->slots != 0) {
        rt_os_unmap(k->entries, k->slots * sizeof *e);
    }
    k->entries = e;
    k->slots = slots;
    return 0;
}

static int index_put(struct kind_state *k, uint64_t key, struct rt_record *r) {
    if ((k->count + 1) * 2 > k->slots && index_grow(k) != 0) {
        return -1;
    }
    size_t i = slot_of(key, k->slots);
    while (k->entries[i].value != NULL && k->entries[i].key != key) {
        i = (i + 1) & (k->slots - 1);
    }
    if (k->entries[i].value == NULL) {
        k->count++;
    }
    k->entries[i].key = key;
    k->entries[i].value = r;
    return 0;
}

static size_t index_slot(const struct kind_state *k, uint64_t key) {
    if (k->slots == 0) {
        return (size_t)-1;
    }
    size_t i = slot_of(key, k->slots);
    while (k->entries[i].value != NULL) {
        if (k->entries[i].key == key) {
            return i;
        }
        i = (i + 1) & (k->slots - 1);
    }
    return (size_t)-1;
}

static void index_delete(struct kind_state *k, size_t i) {
    size_t mask = k->slots - 1;
    struct entry *e = k->entries;
    e[i].value = NULL;
    k->count--;
    /* backward shift: move later members of the probe run into the hole */
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (e[j].value == NULL) {
            return;
        }
        size_t home = slot_of(e[j].key, k->slots);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            e[i] = e[j];
            e[j].value = NULL;
            i = j;
        }
    }
}

/* ---- records ---- */

/* Puts a new chunk at the end of its kind's list (heap stripes share one list). */
static void link_chunk(int kind, struct kind_state *k, struct rt_chunk *n) {
    if (kind == RT_HEAP) {
        spin_lock(&chunk_list_lock);
        if (heap_list_tail == NULL) {
            header->first_chunk_va[0] = (uint64_t)(uintptr_t)n;
        } else {
            heap_list_tail->next_va = (uint64_t)(uintptr_t)n;
        }
        heap_list_tail = n;
        spin_unlock(&chunk_list_lock);
    } else if (k->tail == NULL) {
        header->first_chunk_va[kind - 1] = (uint64_t)(uintptr_t)n;
    } else {
        k->tail->next_va = (uint64_t)(uintptr_t)n;
    }
}

static struct rt_record *new_slot(int kind, struct kind_state *k) {
    if (k->free_list != NULL) {
        struct rt_record *r = k->free_list;
        k->free_list = (struct rt_record *)(uintptr_t)r->handle;
        r->handle = 0;
        return r;
    }
    struct rt_chunk *c = k->tail;
    if (c == NULL || c->used == c->capacity) {
        size_t bytes = sizeof(struct rt_chunk) + (size_t)CHUNK_RECORDS * k->record_size;
        struct rt_chunk *n = map(bytes);
        if (n == NULL) {
            return NULL;
        }
        n->magic = RT_CHUNK_MAGIC;
        n->kind = (uint32_t)kind;
        n->record_size = k->record_size;
        n->capacity = CHUNK_RECORDS;
        link_chunk(kind, k, n);
        k->tail = c = n;
    }
    struct rt_record *r = (struct rt_record *)((char *)(c + 1) + (size_t)c->used * k->record_size);
    c->used++;
    return r;
}

static uint64_t *live_counter(int kind) {
    switch (kind) {
    case RT_THREAD: return &header->live_threads;
    case RT_SYNC: return &header->live_sync_objects;
    case RT_HANDLE: return &header->live_handles;
    default: return NULL;
    }
}

struct rt_record *rt_add(int kind, uint16_t subtype, uint64_t handle, uint32_t tid, const uint64_t *frames,
                         int depth) {
    if (header == NULL || kind < 1 || kind > RT_KINDS) {
        return NULL;
    }
    struct kind_state *k = state_of(kind, handle);
    /* the cap is counted across stripes (an atomic per record), but only when a cap is set */
    uint64_t *count = &records[kind - 1];
    int full = max_records != 0 && __atomic_add_fetch(count, 1, __ATOMIC_RELAXED) > max_records;
    struct rt_record *r = full ? NULL : new_slot(kind, k);
    if (r == NULL || index_put(k, handle, r) != 0) {
        if (r != NULL) {
            r->handle = (uint64_t)(uintptr_t)k->free_list;
            k->free_list = r;
        }
        if (max_records != 0) {
            __atomic_sub_fetch(count, 1, __ATOMIC_RELAXED);
        }
        __atomic_add_fetch(&header->dropped_records, 1, __ATOMIC_RELAXED);
        __atomic_or_fetch(&header->flags, RT_FLAG_DROPPED, __ATOMIC_RELAXED);
        return NULL;
    }
    if (k->record_size > sizeof *r) { /* the kind's own fields: the caller fills what it knows */
        memset((char *)r + sizeof *r, 0, k->record_size - sizeof *r);
    }
    r->attributes = 0;
    r->creator_tid = tid;
    r->time_ns = record_time_ns();
    r->handle = handle;
    r->subtype = subtype;
    if (depth > RT_MAX_FRAMES) {
        depth = RT_MAX_FRAMES;
    }
    r->depth = (uint16_t)(depth < 0 ? 0 : depth);
    for (int i = 0; i < r->depth; i++) {
        r->frames[i] = frames[i];
    }
    for (int i = r->depth; i < RT_MAX_FRAMES; i++) {
        r->frames[i] = 0;
    }
    uint64_t *live = live_counter(kind);
    if (live != NULL) {
        (*live)++;
    }
    /* a dump taken now must see either no record or a whole one: state is set last */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    r->state = 1;
    return r;
}

struct rt_record *rt_find(int kind, uint64_t handle) {
    if (header == NULL || kind < 1 || kind > RT_KINDS) {
        return NULL;
    }
    struct kind_state *k = state_of(kind, handle);
    size_t i = index_slot(k, handle);
    return i == (size_t)-1 ? NULL : k->entries[i].value;
}

static int kind_of(const struct rt_record *r) {
    for (int kind = 1; kind <= RT_KINDS; kind++) {
        for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)header->first_chunk_va[kind - 1]; c != NULL;
             c = (struct rt_chunk *)(uintptr_t)c->next_va) {
            const char *first = (const char *)(c + 1);
            const char *end = first + (size_t)c->capacity * c->record_size;
            if ((const char *)r >= first && (const char *)r < end) {
                return kind;
            }
        }
    }
    return 0;
}

static void remove_of_kind(int kind, struct rt_record *r) {
    struct kind_state *k = state_of(kind, r->handle);
    if (max_records != 0) {
        __atomic_sub_fetch(&records[kind - 1], 1, __ATOMIC_RELAXED);
    }
    r->state = 0;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    size_t i = index_slot(k, r->handle);
    if (i != (size_t)-1 && k->entries[i].value == r) {
        index_delete(k, i);
    }
    uint64_t *live = live_counter(kind);
    if (live != NULL && *live > 0) {
        (*live)--;
    }
    /* a free slot keeps stale fields (readers skip state 0); its handle links the free list */
    r->handle = (uint64_t)(uintptr_t)k->free_list;
    k->free_list = r;
}

void rt_remove(struct rt_record *r) {
    if (r == NULL || r->state == 0) {
        return;
    }
    int kind = kind_of(r);
    if (kind != 0) {
        remove_of_kind(kind, r);
    }
}

void rt_forget_all(void) {
    if (header == NULL) {
        return;
    }
    rt_lock();
    for (int kind = 1; kind <= RT_KINDS; kind++) {
        for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)header->first_chunk_va[kind - 1]; c != NULL;
             c = (struct rt_chunk *)(uintptr_t)c->next_va) {
            for (uint32_t i = 0; i < c->used; i++) {
                struct rt_record *r = (struct rt_record *)((char *)(c + 1) + (size_t)i * c->record_size);
                if (r->state != 0) {
                    remove_of_kind(kind, r);
                }
            }
        }
    }
    for (int i = 0; i < STRIPES; i++) {
        stripes[i].totals.live = 0;
    }
    rt_unlock();
}

static int bucket_of(uint64_t size) {
    int i = 0;
    while (i < RT_BUCKETS - 1 && size > (16ull << i)) {
        i++;
    }
    return i;
}

void rt_refresh_totals(void) {
    if (header == NULL) {
        return;
    }
    uint64_t allocations = 0;
    uint64_t allocated = 0;
    uint64_t frees = 0;
    uint64_t freed = 0;
    int64_t live = 0;
    uint64_t histogram[RT_BUCKETS] = {0};
    for (int i = 0; i < STRIPES; i++) {
        /* read without the stripe locks: each counter only grows, a sum may trail by an operation or two */
        const struct counters *t = &stripes[i].totals;
        allocations += t->allocations;
        allocated += t->allocated;
        frees += t->frees;
        freed += t->freed;
        live += t->live;
        for (int b = 0; b < RT_BUCKETS; b++) {
            histogram[b] += t->histogram[b];
        }
    }
    header->allocations = allocations;
    header->allocated_bytes = allocated;
    header->frees = frees;
    header->freed_bytes = freed;
    header->live_bytes = live > 0 ? (uint64_t)live : 0;
    if (header->live_bytes > header->peak_bytes) {
        header->peak_bytes = header->live_bytes;
    }
    memcpy(header->histogram, histogram, sizeof histogram);
}

static int64_t heap_free_locked(uint64_t address) {
    struct rt_heap_record *h = (struct rt_heap_record *)rt_find(RT_HEAP, address);
    if (h == NULL) {
        return -1;
    }
    int64_t size = (int64_t)h->size;
    struct counters *t = &stripes[stripe_of(address)].totals;
    t->frees++;
    t->freed += h->size;
    t->live -= (int64_t)h->size;
    remove_of_kind(RT_HEAP, &h->common);
    return size;
}

struct rt_heap_record *rt_heap_alloc(uint64_t address, uint64_t size, uint16_t subtype, uint64_t tag, uint32_t tid,
                                     const uint64_t *frames, int depth) {
    if (header == NULL) {
        return NULL;
    }
    rt_os_lock_t *lock = all_holder == rt_os_self() ? NULL : &stripes[stripe_of(address)].lock;
    if (lock != NULL) {
        spin_lock(lock);
    }
    if (rt_find(RT_HEAP, address) != NULL) {
        heap_free_locked(address); /* the block was freed where the tracker could not see it, and reused */
    }
    struct counters *t = &stripes[stripe_of(address)].totals;
    t->allocations++;
    t->allocated += size;
    t->histogram[bucket_of(size)]++;
    struct rt_heap_record *h = (struct rt_heap_record *)rt_add(RT_HEAP, subtype, address, tid, frames, depth);
    if (h != NULL) {
        h->size = size;
        h->tag = tag;
        t->live += (int64_t)size;
    }
    int refresh = (++t->ops & 1023) == 0;
    if (lock != NULL) {
        spin_unlock(lock);
    }
    if (refresh) {
        rt_refresh_totals(); /* now and then, so a dump taken at any moment has totals close to the records */
    }
    return h;
}

int64_t rt_heap_free(uint64_t address) {
    if (header == NULL) {
        return -1;
    }
    rt_os_lock_t *lock = all_holder == rt_os_self() ? NULL : &stripes[stripe_of(address)].lock;
    if (lock != NULL) {
        spin_lock(lock);
    }
    int64_t size = heap_free_locked(address);
    if (lock != NULL) {
        spin_unlock(lock);
    }
    return size;
}

/* ---- the module list ---- */

#define MODULE_SLOTS 256u
#define MODULE_STRINGS 32768u
#define MODULE_PATH_MAX 4096u /* longer paths are cut (a path in a string area is at most this, with its NUL) */

static struct rt_module *module_at(struct rt_module_chunk *c, uint32_t i) {
    return (struct rt_module *)((char *)(c + 1) + (size_t)i * c->entry_size);
}

static char *module_strings(struct rt_module_chunk *c) {
    return (char *)(c + 1) + (size_t)c->capacity * c->entry_size;
}

static size_t path_length(const char *s) {
    size_t n = 0;
    while (s != NULL && s[n] != '\0' && n < MODULE_PATH_MAX - 1) {
        n++;
    }
    return n;
}

/* Copies `s` (cut at MODULE_PATH_MAX - 1 bytes) into the chunk's string area; its offset. The caller checked
 * that it fits. */
static uint32_t module_string(struct rt_module_chunk *c, const char *s) {
    size_t n = path_length(s);
    uint32_t at = c->string_used;
    char *area = module_strings(c);
    if (n > 0) {
        memcpy(area + at, s, n);
    }
    area[at + n] = '\0';
    c->string_used = at + (uint32_t)n + 1;
    return at;
}

/* True when the entry is the loaded module `m` (same base, size and path). */
static int module_is(struct rt_module_chunk *c, const struct rt_module *e, const struct rt_module_info *m) {
    if (e->unload_time_ns != 0 || e->base != m->base || e->size != m->size) {
        return 0;
    }
    const char *stored = module_strings(c) + e->path_offset;
    const char *path = m->path != NULL ? m->path : "";
    return strncmp(stored, path, MODULE_PATH_MAX - 1) == 0;
}

static int module_listed(const struct rt_module_info *m) {
    for (struct rt_module_chunk *c = (struct rt_module_chunk *)(uintptr_t)header->module_list_va; c != NULL;
         c = (struct rt_module_chunk *)(uintptr_t)c->next_va) {
        for (uint32_t i = 0; i < c->used; i++) {
            if (module_is(c, module_at(c, i), m)) {
                return 1;
            }
        }
    }
    return 0;
}

/* A chunk with room for one entry and `strings` bytes: the last one, or a new one linked after it. */
static struct rt_module_chunk *module_room(size_t strings) {
    struct rt_module_chunk *c = module_tail;
    if (c != NULL && c->used < c->capacity && c->string_bytes - c->string_used >= strings) {
        return c;
    }
    struct rt_module_chunk *n = map(sizeof *n + (size_t)MODULE_SLOTS * sizeof(struct rt_module) + MODULE_STRINGS);
    if (n == NULL) {
        return NULL;
    }
    n->magic = RT_MODULE_CHUNK_MAGIC;
    n->entry_size = sizeof(struct rt_module);
    n->capacity = MODULE_SLOTS;
    n->string_bytes = MODULE_STRINGS;
    __atomic_thread_fence(__ATOMIC_RELEASE); /* a reader that finds the link finds a whole chunk header */
    if (c == NULL) {
        header->module_list_va = (uint64_t)(uintptr_t)n;
    } else {
        c->next_va = (uint64_t)(uintptr_t)n;
    }
    module_tail = n;
    return n;
}

static int module_append(const struct rt_module_info *m, uint64_t now) {
    size_t strings = path_length(m->path) + 1 + (m->debug_file != NULL ? path_length(m->debug_file) + 1 : 0);
    struct rt_module_chunk *c = module_room(strings);
    if (c == NULL) {
        return -1;
    }
    struct rt_module *e = module_at(c, c->used);
    memset(e, 0, sizeof *e);
    e->base = m->base;
    e->size = m->size;
    e->load_time_ns = now;
    e->path_offset = module_string(c, m->path);
    e->debug_file_offset = m->debug_file != NULL ? module_string(c, m->debug_file) : RT_NO_STRING;
    e->id_kind = m->id_kind;
    e->id_length = m->id_length > RT_ID_BYTES ? RT_ID_BYTES : m->id_length;
    memcpy(e->id, m->id, e->id_length);
    e->age = m->age;
    e->timestamp = m->timestamp;
    /* a dump taken now must see either no entry or a whole one: used is raised last */
    __atomic_store_n(&c->used, c->used + 1, __ATOMIC_RELEASE);
    return 0;
}

int rt_modules_sync(const struct rt_module_info *mods, int count) {
    if (header == NULL) {
        return -1;
    }
    spin_lock(&module_lock);
    uint64_t now = rt_now_ns();
    now = now == 0 ? 1 : now;
    /* listed modules no longer loaded keep their entry, with the time they were found gone */
    for (struct rt_module_chunk *c = (struct rt_module_chunk *)(uintptr_t)header->module_list_va; c != NULL;
         c = (struct rt_module_chunk *)(uintptr_t)c->next_va) {
        for (uint32_t i = 0; i < c->used; i++) {
            struct rt_module *e = module_at(c, i);
            int loaded = 0;
            for (int k = 0; k < count && !loaded; k++) {
                loaded = module_is(c, e, &mods[k]);
            }
            if (!loaded && e->unload_time_ns == 0) {
                e->unload_time_ns = now;
            }
        }
    }
    int rc = 0;
    for (int k = 0; k < count; k++) {
        if (!module_listed(&mods[k]) && module_append(&mods[k], modules_synced ? now : 0) != 0) {
            rc = -1;
        }
    }
    modules_synced = 1;
    spin_unlock(&module_lock);
    return rc;
}

/* ---- the table image ---- */

#if RT_OS_HAS_FILES
static int write_all(rt_os_file fd, const void *p, size_t n) {
    return rt_os_file_write(fd, p, n);
}

static int write_range(rt_os_file fd, uint64_t va, const void *p, uint64_t length) {
    uint64_t head[2] = {va, length};
    static const char zeros[8];
    if (write_all(fd, head, sizeof head) != 0 || write_all(fd, p, length) != 0) {
        return -1;
    }
    return write_all(fd, zeros, (8 - length % 8) % 8);
}

/*
 * A module chunk as two ranges: its header and the entries in use, then the part of the string area in use. No
 * lock (this may run in a fatal-signal handler): `used` is read before `string_used`, and an append raises them
 * the other way round, so the strings of every entry counted are in; the chunk header written holds the counts
 * read.
 */
static int write_module_ranges(rt_os_file fd, const struct rt_module_chunk *m) {
    struct rt_module_chunk copy = *m;
    copy.used = __atomic_load_n(&m->used, __ATOMIC_ACQUIRE);
    copy.string_used = __atomic_load_n(&m->string_used, __ATOMIC_ACQUIRE);
    uint64_t entries = (uint64_t)copy.used * copy.entry_size;
    uint64_t head[2] = {(uint64_t)(uintptr_t)m, sizeof copy + entries};
    static const char zeros[8];
    if (write_all(fd, head, sizeof head) != 0 || write_all(fd, &copy, sizeof copy) != 0
        || write_all(fd, m + 1, entries) != 0 || write_all(fd, zeros, (8 - head[1] % 8) % 8) != 0) {
        return -1;
    }
    const char *strings = (const char *)(m + 1) + (size_t)copy.capacity * copy.entry_size;
    return write_range(fd, (uint64_t)(uintptr_t)strings, strings, copy.string_used);
}

int rt_write_image(const char *path, uint32_t flags) {
    if (header == NULL) {
        return -1;
    }
    char tmp[4096];
    size_t n = strlen(path);
    if (n + 5 > sizeof tmp) {
        return -1;
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    rt_os_file fd = rt_os_file_create(tmp);
    if (fd == RT_OS_NO_FILE) {
        return -1;
    }
    header->flags |= flags;
    rt_refresh_totals();
    header->update_time_ns = header->start_time_ns + rt_now_ns();
    /* chunks are counted first and only that many written: a list that grows meanwhile (a thread still running
     * at exit) must not make the ranges disagree with range_count */
    uint32_t chunks[RT_KINDS + 1] = {0};
    uint32_t ranges = 1;
    for (int kind = 1; kind <= RT_KINDS; kind++) {
        for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)header->first_chunk_va[kind - 1]; c != NULL;
             c = (struct rt_chunk *)(uintptr_t)c->next_va) {
            chunks[kind - 1]++;
        }
    }
    for (struct rt_module_chunk *m = (struct rt_module_chunk *)(uintptr_t)header->module_list_va; m != NULL;
         m = (struct rt_module_chunk *)(uintptr_t)m->next_va) {
        chunks[RT_KINDS]++;
    }
    for (int i = 0; i < RT_KINDS; i++) {
        ranges += chunks[i];
    }
    ranges += 2 * chunks[RT_KINDS]; /* a module chunk is two ranges */
    struct {
        char magic[8];
        uint32_t version;
        uint32_t range_count;
        uint64_t header_va;
    } image = {{'L', 'K', 'R', 'M', 'I', 'M', 'G', '1'}, 1, ranges, header->self_va};
    int rc = write_all(fd, &image, sizeof image);
    rc = rc == 0 ? write_range(fd, header->self_va, header, sizeof *header) : rc;
    for (int kind = 1; rc == 0 && kind <= RT_KINDS; kind++) {
        struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)header->first_chunk_va[kind - 1];
        for (uint32_t n = 0; rc == 0 && n < chunks[kind - 1]; n++, c = (struct rt_chunk *)(uintptr_t)c->next_va) {
            /* up to the high-water mark: slots above it were never used */
            rc = write_range(fd, (uint64_t)(uintptr_t)c, c, sizeof *c + (uint64_t)c->used * c->record_size);
        }
    }
    struct rt_module_chunk *m = (struct rt_module_chunk *)(uintptr_t)header->module_list_va;
    for (uint32_t n = 0; rc == 0 && n < chunks[RT_KINDS]; n++, m = (struct rt_module_chunk *)(uintptr_t)m->next_va) {
        rc = write_module_ranges(fd, m);
    }
    if (rt_os_file_close(fd) != 0) {
        rc = -1;
    }
    if (rc != 0 || rt_os_file_replace(tmp, path) != 0) {
        rt_os_file_remove(tmp);
        return -1;
    }
    return 0;
}
#else
int rt_write_image(const char *path, uint32_t flags) {
    (void)path;
    (void)flags;
    return -1; /* the kernel keeps its table in memory: a crash dump carries it */
}
#endif
