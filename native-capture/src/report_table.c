/*
 * The resource report every tracker prints (docs/formats/resmon.md §5, with Leakscope's additions in §9): the
 * live records of a table in resmon's line shapes, one line per call of `line`. Shared by libresmon.so,
 * resmon.dll and the driver library, so the three cannot drift apart.
 */
#include "report_table.h"
#include "os.h"

void rt_report_usage(struct rt_header *h, uint32_t pid, unsigned cpu, uint64_t disk, rt_line_fn line) {
    rt_lock();
    uint64_t threads = h->live_threads;
    uint64_t sync = h->live_sync_objects;
    uint64_t memory = h->live_bytes;
    h->update_time_ns = h->start_time_ns + rt_now_ns();
    rt_unlock();

    if (cpu != 0 || disk != 0) {
        line("process [%u] used %u%% cpu (kernel %u%%, user %u%%) disk used %llu bytes", pid, cpu, cpu / 3,
             cpu - cpu / 3, (unsigned long long)disk);
    }
    line("threads used %llu, sync object used %llu, memory used %llu", (unsigned long long)threads,
         (unsigned long long)sync, (unsigned long long)memory);
    /* limits: resmon reports an exceeded limit and raises it to what it saw */
    if (memory > h->limit_memory_bytes) {
        line("update memory limit: from 0x%016llX to 0x%016llX", (unsigned long long)h->limit_memory_bytes,
             (unsigned long long)memory);
        h->limit_memory_bytes = memory;
    }
    if (cpu > h->limit_cpu_percent) {
        line("update cpu used limit overflow from %u%% to %u%%", h->limit_cpu_percent, cpu);
        h->limit_cpu_percent = cpu;
    }
    if (threads >= h->limit_threads) {
        line("update thread limit: %u to %llu", h->limit_threads, (unsigned long long)threads);
        h->limit_threads = (uint32_t)threads;
    }
    if (sync >= h->limit_sync_objects) {
        line("update sync limit: %u to %llu", h->limit_sync_objects, (unsigned long long)sync);
        h->limit_sync_objects = (uint32_t)sync;
    }
    if (disk > h->limit_disk_bytes) {
        line("update disk used limit overflow from %llu to %llu", (unsigned long long)h->limit_disk_bytes,
             (unsigned long long)disk);
        h->limit_disk_bytes = disk;
    }
}

static const char *heap_type(uint16_t subtype) {
    static const char *names[] = {"Unknown", "Malloc", "Calloc", "Realloc", "Malloc align", "Malloc align",
                                  "Malloc align", "Malloc align", "Virtual", "Heap", "Pool", "New", "New[]",
                                  "New align", "New[] align"};
    return subtype < sizeof names / sizeof names[0] ? names[subtype] : "Unknown";
}

/* A pool block's type name, as resmon prints it in kernel mode: its POOL_TYPE, kept in the record's attributes
 * (the flag bits that do not choose a pool, quota-fail 8, raise 16 and cold 256, are ignored) */
static const char *pool_type(uint32_t type) {
    switch (type & ~(8u | 16u | 256u)) {
    case 0: return "NonPagedPool";
    case 1: return "PagedPool";
    case 2: return "NonPagedPoolMustSucceed";
    case 4: return "NonPagedPoolCacheAligned";
    case 5: return "PagedPoolCacheAligned";
    case 6: return "NonPagedPoolCacheAlignedMustS";
    case 32: return "NonPagedPoolSession";
    case 33: return "PagedPoolSession";
    case 34: return "NonPagedPoolMustSucceedSession";
    case 36: return "NonPagedPoolCacheAlignedSession";
    case 37: return "PagedPoolCacheAlignedSession";
    case 38: return "NonPagedPoolCacheAlignedMustSSession";
    case 512: return "NonPagedPoolNx";
    case 516: return "NonPagedPoolNxCacheAligned";
    case 544: return "NonPagedPoolSessionNx";
    default: return "Pool";
    }
}

static const char *handle_type(uint16_t subtype) {
    static const char *names[] = {"unknown", "file", "socket", "pipe", "eventfd", "descriptor", "file handle"};
    return subtype < sizeof names / sizeof names[0] ? names[subtype] : "unknown";
}

/* "stack 0x... 0x...": every frame of a record that has more than one (docs/formats/resmon.md §9), each like
 * returnAddress, formatted into one buffer: the printers take a format per line, and the depth varies */
static void stack_line(const struct rt_record *r, rt_line_fn line) {
    char text[RT_MAX_FRAMES * 19 + 1];
    int depth = r->depth < RT_MAX_FRAMES ? r->depth : RT_MAX_FRAMES;
    char *at = text;
    for (int f = 0; f < depth; f++) {
        *at++ = ' ';
        *at++ = '0';
        *at++ = 'x';
        for (int shift = 60; shift >= 0; shift -= 4) {
            *at++ = "0123456789ABCDEF"[(r->frames[f] >> shift) & 0xF];
        }
    }
    *at = '\0';
    line("stack%s", text);
}

static void record_tail(const struct rt_record *r, rt_line_fn line) {
    line("created by [%u] thread", r->creator_tid);
    line("returnAddress 0x%016llX", (unsigned long long)r->frames[0]);
    if (r->depth > 1) {
        stack_line(r, line);
    }
    line("---------------------------------------------------");
}

#define FOR_EACH(kind, type, var)                                                                                \
    for (struct rt_chunk *c_ = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[(kind) - 1]; c_ != NULL;         \
         c_ = (struct rt_chunk *)(uintptr_t)c_->next_va)                                                        \
        for (uint32_t i_ = 0; i_ < c_->used; i_++)                                                               \
            for (const type *var = (const type *)((const char *)(c_ + 1) + (size_t)i_ * c_->record_size);        \
                 var != NULL && ((const struct rt_record *)var)->state != 0; var = NULL)

void rt_report_table(const struct rt_header *h, int at_exit, rt_line_fn line) {
    uint64_t records = h->live_threads + h->live_sync_objects + h->live_handles;
    uint64_t blocks = 0;
    FOR_EACH(RT_HEAP, struct rt_heap_record, b) {
        blocks++;
    }
    if (at_exit) {
        line("=========== CHECK UNRELEASED RESOUCRES ============");
    }
    line("------------ resmon memory usage %llu ----------------",
                (unsigned long long)((blocks + records) * sizeof(struct rt_heap_record)));
    line("------------------ memory usage %llu -----------------", (unsigned long long)h->live_bytes);
    FOR_EACH(RT_HEAP, struct rt_heap_record, b) {
        line("base 0x%016llX size %llu tag %016llX (%s)", (unsigned long long)b->common.handle,
                    (unsigned long long)b->size, (unsigned long long)b->tag,
                    b->common.subtype == RT_POOL ? pool_type(b->common.attributes) : heap_type(b->common.subtype));
        record_tail(&b->common, line);
    }
    line("------------------ thread usage %llu -----------------", (unsigned long long)h->live_threads);
    FOR_EACH(RT_THREAD, struct rt_thread_record, t) {
        line("handle(ptr) 0x%016llX id %llu", (unsigned long long)t->common.handle,
                    (unsigned long long)t->thread_id);
        line("start address 0x%016llX", (unsigned long long)t->start_va);
        line("thread create time 0x%llX", (unsigned long long)t->create_time_ns);
        line("thread exit time 0x%llX", (unsigned long long)t->exit_time_ns);
        line("thread [%llu] used 0%% cpu (kernel 0%%, user 0%%)", (unsigned long long)t->thread_id);
        record_tail(&t->common, line);
    }
    line("--------------- sync object usage %llu ---------------", (unsigned long long)h->live_sync_objects);
    FOR_EACH(RT_SYNC, struct rt_record, s) {
        switch (s->subtype) {
        case RT_MUTEX:
            line("mutex %016llX initial state: %s", (unsigned long long)s->handle,
                 s->attributes & RT_ATTR_INITIALLY_SET ? "acquire" : "free");
            break;
        case RT_SEMAPHORE:
            line("semaphore %016llX initial count: %u maximum count %u", (unsigned long long)s->handle,
                 s->attributes & 0xFFFFu, s->attributes >> 16);
            break;
        case RT_EVENT:
            line("event %016llX type: %s reset, initial state: %s", (unsigned long long)s->handle,
                 s->attributes & RT_ATTR_MANUAL_RESET ? "manual" : "auto",
                 s->attributes & RT_ATTR_INITIALLY_SET ? "signaled" : "nonsignaled");
            break;
        case RT_COND: line("condition %016llX", (unsigned long long)s->handle); break;
        case RT_RWLOCK: line("rwlock %016llX", (unsigned long long)s->handle); break;
        default: line("resource %016llX", (unsigned long long)s->handle); break;
        }
        record_tail(s, line);
    }
    line("------------------ handle usage %llu -----------------", (unsigned long long)h->live_handles);
    FOR_EACH(RT_HANDLE, struct rt_record, d) {
        line("handle %016llX type: %s", (unsigned long long)d->handle, handle_type(d->subtype));
        record_tail(d, line);
    }
    line("-------------------- allocations detail ----------------------------");
    line("| size range                            | total allocs");
    uint64_t lower = 0;
    for (int i = 0; i < RT_BUCKETS; i++) {
        uint64_t upper = i == RT_BUCKETS - 1 ? UINT64_MAX : 16ull << i;
        if (h->histogram[i] != 0) {
            line("|0x%016llX - 0x%016llX| 0x%016llX(%llu)", (unsigned long long)lower,
                        (unsigned long long)upper, (unsigned long long)h->histogram[i],
                        (unsigned long long)h->histogram[i]);
        }
        lower = upper;
    }
    line("--------------------------------------------------------------------");
    if (at_exit) {
        if (blocks + records > 0) {
            line("error ... not all resources free");
        }
        /* resmon names the threads still running when the process (or driver) goes away */
        FOR_EACH(RT_THREAD, struct rt_thread_record, t) {
            if (t->common.subtype != RT_THREAD_EXITED) {
                line("thread %016llX active(not terminated)", (unsigned long long)t->common.handle);
            }
        }
        line("===================================================");
    }
}

/* A stack's trace id: FNV-1a over its frames (printed as 16 hex digits, an opaque token like UMDH's). */
static uint64_t trace_id(const struct rt_record *r) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < r->depth; i++) {
        for (int b = 0; b < 8; b++) {
            h ^= (r->frames[i] >> (8 * b)) & 0xff;
            h *= 0x100000001b3ull;
        }
    }
    return h == 0 ? 1 : h;
}

void rt_umdh_records(const struct rt_header *h, rt_put_fn put, void *arg) {
    /* trace ids already printed: an open-addressing set sized for every live block */
    size_t slots = 1024;
    while (slots < 2 * (h->allocations - h->frees + 1)) {
        slots *= 2;
    }
    uint64_t *seen = rt_os_map(slots * sizeof(uint64_t));
    for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[RT_HEAP - 1]; c != NULL;
         c = (struct rt_chunk *)(uintptr_t)c->next_va) {
        for (uint32_t i = 0; i < c->used; i++) {
            const struct rt_heap_record *b =
                (const struct rt_heap_record *)((const char *)(c + 1) + (size_t)i * c->record_size);
            if (b->common.state == 0) {
                continue;
            }
            uint64_t id = trace_id(&b->common);
            put(arg, "%llx bytes + 0 at %llX by BackTrace%016llX\n", (unsigned long long)b->size,
                (unsigned long long)b->common.handle, (unsigned long long)id);
            int first = 1;
            if (seen != NULL) {
                size_t k = (size_t)(id * 0x9E3779B97F4A7C15ull) & (slots - 1);
                while (seen[k] != 0 && seen[k] != id) {
                    k = (k + 1) & (slots - 1);
                }
                first = seen[k] == 0;
                seen[k] = id;
            }
            if (first) {
                for (int f = 0; f < b->common.depth; f++) {
                    put(arg, "\t%llX\n", (unsigned long long)b->common.frames[f]);
                }
                put(arg, "\n");
            }
        }
    }
    if (seen != NULL) {
        rt_os_unmap(seen, slots * sizeof(uint64_t));
    }
}
