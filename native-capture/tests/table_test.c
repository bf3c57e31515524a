/*
 * The table's own checks: many records through the private index (growth, backward-shift deletion, slot
 * reuse), totals and histogram, the runtime-built magic, and an image that round-trips its ranges.
 */
#include "resmon_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int failures;
#define CHECK(c)                                                                                                 \
    do {                                                                                                         \
        if (!(c)) {                                                                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);                                \
            failures++;                                                                                          \
        }                                                                                                        \
    } while (0)

int main(int argc, char **argv) {
    const char *image = argc > 1 ? argv[1] : "table_test.rmt";
    CHECK(rt_init("table_test", 1, NULL) == 0);
    struct rt_header *h = rt_header();
    CHECK(memcmp(h->magic, "LKRESMON", 8) == 0);
    for (int i = 0; i < 8; i++) {
        CHECK(h->magic_not[i] + h->magic[i] == 255);
    }
    CHECK(h->self_va == (uint64_t)(uintptr_t)h);

    enum { N = 100000 };
    uint64_t frames[2] = {0x401000, 0x402000};
    rt_lock();
    for (uint64_t i = 0; i < N; i++) {
        CHECK(rt_heap_alloc(0x10000000 + i * 16, i % 100 + 1, RT_MALLOC, 0, 7, frames, 2) != NULL);
    }
    uint64_t expect_live = 0;
    for (uint64_t i = 0; i < N; i++) {
        if (i % 2 == 0) {
            CHECK(rt_heap_free(0x10000000 + i * 16) == (int64_t)(i % 100 + 1));
        } else {
            expect_live += i % 100 + 1;
        }
    }
    CHECK(rt_heap_free(0x10000000 + 2 * 16) == -1); /* already freed */
    for (uint64_t i = 1; i < N; i += 2) {
        struct rt_heap_record *r = (struct rt_heap_record *)rt_find(RT_HEAP, 0x10000000 + i * 16);
        CHECK(r != NULL && r->size == i % 100 + 1 && r->common.state == 1 && r->common.frames[1] == 0x402000);
    }
    rt_refresh_totals();
    CHECK(h->live_bytes == expect_live);
    CHECK(h->allocations == N && h->frees == N / 2);
    uint64_t hist = 0;
    for (int i = 0; i < RT_BUCKETS; i++) {
        hist += h->histogram[i];
    }
    CHECK(hist == N);
    CHECK(h->histogram[0] == N / 100 * 16); /* sizes 1..16 */
    /* freed slots are reused before a new chunk is added */
    struct rt_chunk *first = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[0];
    uint32_t chunks = 0;
    for (struct rt_chunk *c = first; c != NULL; c = (struct rt_chunk *)(uintptr_t)c->next_va) {
        chunks++;
    }
    for (uint64_t i = 0; i < N / 2; i++) {
        CHECK(rt_heap_alloc(0x20000000 + i * 16, 8, RT_MALLOC, 0, 7, frames, 2) != NULL);
    }
    uint32_t after = 0;
    for (struct rt_chunk *c = first; c != NULL; c = (struct rt_chunk *)(uintptr_t)c->next_va) {
        after++;
    }
    CHECK(after == chunks);
    rt_unlock();

    /* the module list: appended once, unloads marked, a reload a new entry, more than a chunk holds */
    struct rt_module_info mods[300];
    static char paths[300][32];
    memset(mods, 0, sizeof mods);
    for (int i = 0; i < 300; i++) {
        snprintf(paths[i], sizeof paths[i], "/lib/lib%03d.so", i);
        mods[i].base = 0x7f0000000000ull + (uint64_t)i * 0x100000;
        mods[i].size = 0x8000;
        mods[i].path = paths[i];
        mods[i].id_kind = RT_ID_GNU_BUILD_ID;
        mods[i].id_length = 20;
        memset(mods[i].id, i, 20);
    }
    mods[1].debug_file = "lib001.debug";
    CHECK(rt_modules_sync(mods, 3) == 0);
    CHECK(rt_modules_sync(mods, 3) == 0); /* nothing new */
    struct rt_module_chunk *mc = (struct rt_module_chunk *)(uintptr_t)h->module_list_va;
    CHECK(mc != NULL && mc->magic == RT_MODULE_CHUNK_MAGIC && mc->used == 3 && mc->entry_size == 96);
    struct rt_module *me = (struct rt_module *)(mc + 1);
    const char *strings = (const char *)(mc + 1) + (size_t)mc->capacity * mc->entry_size;
    CHECK(me[0].load_time_ns == 0 && strcmp(strings + me[0].path_offset, "/lib/lib000.so") == 0);
    CHECK(me[0].debug_file_offset == RT_NO_STRING && strcmp(strings + me[1].debug_file_offset, "lib001.debug") == 0);
    CHECK(me[2].id_length == 20 && me[2].id[19] == 2);
    CHECK(rt_modules_sync(mods + 1, 2) == 0); /* lib000 unloaded */
    CHECK(me[0].unload_time_ns != 0 && me[1].unload_time_ns == 0 && mc->used == 3);
    CHECK(rt_modules_sync(mods, 300) == 0); /* lib000 again, and 297 more: a second chunk */
    CHECK(mc->used == mc->capacity && mc->next_va != 0);
    struct rt_module_chunk *mc2 = (struct rt_module_chunk *)(uintptr_t)mc->next_va;
    CHECK(mc2->used == 300 + 1 - mc->capacity && mc2->next_va == 0);
    CHECK(me[3].base == mods[0].base && me[3].load_time_ns != 0 && me[3].unload_time_ns == 0);
    rt_lock(); /* rt_lock also holds the module list */
    rt_unlock();

    CHECK(rt_write_image(image, RT_FLAG_CLEAN_EXIT) == 0);
    struct stat st;
    CHECK(stat(image, &st) == 0);
    FILE *f = fopen(image, "rb");
    CHECK(f != NULL);
    if (f != NULL) {
        char magic[8];
        uint32_t version, ranges;
        uint64_t header_va, va, len;
        CHECK(fread(magic, 1, 8, f) == 8 && memcmp(magic, "LKRMIMG1", 8) == 0);
        CHECK(fread(&version, 4, 1, f) == 1 && version == 1);
        CHECK(fread(&ranges, 4, 1, f) == 1 && ranges == 1 + chunks + 4); /* and two module chunks, two ranges each */
        CHECK(fread(&header_va, 8, 1, f) == 1 && header_va == h->self_va);
        long total = 24;
        int module_ranges = 0;
        for (uint32_t i = 0; i < ranges; i++) {
            CHECK(fread(&va, 8, 1, f) == 1 && fread(&len, 8, 1, f) == 1);
            if (va == h->module_list_va) { /* the first module chunk: its header and entries in use... */
                CHECK(len == sizeof *mc + (uint64_t)mc->used * mc->entry_size);
                module_ranges++;
            }
            if (va == (uint64_t)(uintptr_t)strings) { /* ... and its string area in use */
                CHECK(len == mc->string_used);
                module_ranges++;
            }
            total += 16 + (long)((len + 7) / 8 * 8);
            fseek(f, (long)((len + 7) / 8 * 8), SEEK_CUR);
        }
        CHECK(total == st.st_size);
        CHECK(module_ranges == 2);
        fclose(f);
    }
    /* rt_fini frees everything (a driver's unload) and a second rt_init starts an empty table */
    rt_fini();
    CHECK(rt_header() == NULL);
    CHECK(rt_heap_alloc(0x30000000, 8, RT_MALLOC, 0, 7, frames, 2) == NULL); /* untracked: no table */
    CHECK(rt_init("table_test", 1, NULL) == 0);
    h = rt_header();
    CHECK(h != NULL && h->first_chunk_va[0] == 0 && h->live_bytes == 0 && h->module_list_va == 0);
    CHECK(h->version_major == 1 && h->version_minor == 1);
    CHECK(rt_find(RT_HEAP, 0x10000000) == NULL);
    CHECK(rt_heap_alloc(0x30000000, 8, RT_MALLOC, 0, 7, frames, 2) != NULL);
    CHECK(rt_heap_free(0x30000000) == 8);
    rt_fini();

    if (failures == 0) {
        printf("table_test: all checks passed (%d records, %u chunks, image %lld bytes)\n", N, chunks,
               (long long)st.st_size);
    }
    return failures == 0 ? 0 : 1;
}
