/*
 * The tests' walk over a tracking table's live records (docs/formats/resmon-table.md): every kind's chunks in
 * order, the slots each has used, freed slots (state 0) skipped.
 *   for (struct table_walk w = table_walk(h); table_next(&w) != NULL;) { ... w.kind, w.record ... }
 */
#ifndef RESMON_TESTS_TABLE_WALK_H
#define RESMON_TESTS_TABLE_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "resmon_table.h"

struct table_walk {
    struct rt_header *header;
    int kind;                 /* the kind of `record` (RT_HEAP ... RT_HANDLE) */
    struct rt_chunk *chunk;
    uint32_t slot;            /* the next slot of `chunk` to look at */
    struct rt_record *record; /* the current record */
};

static inline struct rt_chunk *table_walk_first(struct rt_header *h, int kind) {
    return (struct rt_chunk *)(uintptr_t)h->first_chunk_va[kind - 1];
}

static inline struct table_walk table_walk(struct rt_header *h) {
    return (struct table_walk){h, RT_HEAP, table_walk_first(h, RT_HEAP), 0, NULL};
}

/* The next live record (also in w->record, its kind in w->kind), or NULL after the last. */
static inline struct rt_record *table_next(struct table_walk *w) {
    while (w->kind <= RT_HANDLE) {
        if (w->chunk == NULL) {
            if (++w->kind <= RT_HANDLE) {
                w->chunk = table_walk_first(w->header, w->kind);
                w->slot = 0;
            }
        } else if (w->slot >= w->chunk->used) {
            w->chunk = (struct rt_chunk *)(uintptr_t)w->chunk->next_va;
            w->slot = 0;
        } else {
            size_t at = (size_t)w->slot++ * w->chunk->record_size;
            struct rt_record *r = (struct rt_record *)((char *)(w->chunk + 1) + at);
            if (r->state != 0) {
                return w->record = r;
            }
        }
    }
    return w->record = NULL;
}

#endif
