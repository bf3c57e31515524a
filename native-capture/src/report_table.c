/*
 * The resource report every tracker prints (docs/formats/resmon.md §5, with Leakscope's additions in §9): the
 * live records of a table in resmon's line shapes, one line per call of `line`. Shared by libresmon.so,
 * resmon.dll and the driver library, so the three cannot drift apart.
 */
#include "report_table.h"

static const char *heap_type(uint16_t subtype) {
    static const char *names[] = {"Unknown", "Malloc", "Calloc", "Realloc", "Malloc align", "Malloc align",
                                  "Malloc align", "Malloc align", "Virtual", "Heap", "Pool"};
    return subtype < sizeof names / sizeof names[0] ? names[subtype] : "Unknown";
}

static const char *handle_type(uint16_t subtype) {
    static const char *names[] = {"unknown", "file", "socket", "pipe", "eventfd", "descriptor", "file handle"};
    return subtype < sizeof names / sizeof names[0] ? names[subtype] : "unknown";
}

static void record_tail(const struct rt_record *r, rt_line_fn line) {
    line("created by [%u] thread", r->creator_tid);
    line("returnAddress 0x%016llX", (unsigned long long)r->frames[0]);
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
                    (unsigned long long)b->size, (unsigned long long)b->tag, heap_type(b->common.subtype));
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
        line("===================================================");
    }
}
