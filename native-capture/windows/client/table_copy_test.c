/*
 * copy_table against damaged tables: the client copies a table out of a process that has just crashed, so its
 * memory may be torn anywhere. The test builds a real table in its own memory (../src/table.c), copies it
 * intact, then damages it in generated ways (loops, absurd counts, bad magic, unreadable links, random bit
 * flips in the header, every chunk header and the module chunk's header, each put back afterwards) and requires
 * every copy to end, to fit its own size, and to keep what came before the damage.
 *   table_copy_test.exe [bit flips]
 */
#include "client.h"
#include "resmon_table.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int warnings;

void say(const char *fmt, ...) {
    warnings++; /* the copy explains each damage it meets; the test only counts */
    (void)fmt;
}

static int failures;
#define CHECK(cond, ...)                                                                                        \
    do {                                                                                                       \
        if (!(cond)) {                                                                                         \
            fprintf(stderr, "table_copy_test: " __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                                               \
            failures++;                                                                                        \
        }                                                                                                      \
    } while (0)

/* Walks an image: 0 when every range lies inside it; counts ranges and the chunk ranges' bytes. */
static int image_ok(const unsigned char *b, size_t n, uint32_t *ranges) {
    uint32_t declared;
    if (n < 24 || memcmp(b, "LKRMIMG1", 8) != 0) {
        return -1;
    }
    memcpy(&declared, b + 12, 4);
    size_t at = 24;
    uint32_t seen = 0;
    while (at < n) {
        uint64_t va, length;
        if (n - at < 16) {
            return -1;
        }
        memcpy(&va, b + at, 8);
        memcpy(&length, b + at + 8, 8);
        uint64_t padded = (length + 7) & ~7ull;
        if (padded > n - at - 16) {
            return -1;
        }
        at += 16 + padded;
        seen++;
    }
    *ranges = seen;
    return seen == declared ? 0 : -1;
}

static uint64_t next_random(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

int main(int argc, char **argv) {
    int flips = argc > 1 ? atoi(argv[1]) : 2000;
    HANDLE self = GetCurrentProcess();
    if (rt_init("fuzz.exe", GetCurrentProcessId(), NULL) != 0) {
        fprintf(stderr, "table_copy_test: rt_init failed\n");
        return 1;
    }
    uint64_t frames[2] = {0x140001234, 0x140005678};
    for (uint64_t i = 0; i < 10000; i++) { /* three heap chunks */
        rt_heap_alloc(0x10000000 + i * 64, 64, RT_MALLOC, 0, 1, frames, 2);
    }
    rt_lock();
    for (uint64_t i = 0; i < 20; i++) {
        rt_add(RT_SYNC, RT_EVENT, 0x100 + i * 4, 1, frames, 1);
        rt_add(RT_THREAD, RT_THREAD_RUNNING, 0x200 + i * 4, 1, frames, 1);
    }
    rt_unlock();
    struct rt_module_info mods[2] = {{0x140000000ull, 0x9000, "C:\\app\\fuzz.exe", "fuzz.pdb", RT_ID_PE_RSDS, 16, 1,
                                      0x5EED, {1, 2, 3}},
                                     {0x7FF800000000ull, 0x20000, "C:\\windows\\ntdll.dll", NULL, 0, 0, 0, 0, {0}}};
    if (rt_modules_sync(mods, 2) != 0) {
        fprintf(stderr, "table_copy_test: rt_modules_sync failed\n");
        return 1;
    }
    struct rt_header *h = rt_header();
    uint64_t header_va = (uint64_t)(uintptr_t)h;
    struct rt_module_chunk *mc = (struct rt_module_chunk *)(uintptr_t)h->module_list_va;
    uint32_t all = 1 + 2; /* the header and the module chunk (two ranges), then every chunk (heap records fill one
                           * chunk per stripe) */
    for (int kind = 1; kind <= RT_KINDS; kind++) {
        for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[kind - 1]; c != NULL;
             c = (struct rt_chunk *)(uintptr_t)c->next_va) {
            all++;
        }
    }

    /* intact: every range */
    size_t n = 0;
    uint32_t ranges = 0;
    unsigned char *b = copy_table(self, header_va, &n);
    CHECK(b != NULL && image_ok(b, n, &ranges) == 0 && ranges == all, "intact table: %u ranges, expected %u", ranges,
          all);
    CHECK(warnings == 0, "intact table: %d warnings", warnings);
    free(b);

    struct rt_chunk *first = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[RT_HEAP - 1];
    struct rt_chunk *last = first;
    while (last->next_va != 0) {
        last = (struct rt_chunk *)(uintptr_t)last->next_va;
    }
    struct {
        const char *what;
        uint64_t *field64;
        uint32_t *field32;
        uint64_t value;
        int expect_ranges; /* -1: no image at all; 0: all of them */
    } cases[] = {
        {"a heap list looping back to its first chunk", &last->next_va, NULL, (uint64_t)(uintptr_t)first, 0},
        {"a heap link to unmapped memory", &first->next_va, NULL, 0x0000123456789000ull, 4 + 2},
        {"a heap link into the middle of a record", &first->next_va, NULL, (uint64_t)(uintptr_t)first + 200, 4 + 2},
        {"a chunk claiming 2^31 slots", NULL, &first->capacity, 0x7FFFFFFFu, 3 + 2},
        {"a chunk using more slots than it has", NULL, &first->used, 5000, 3 + 2},
        {"a chunk with a 4 GiB record", NULL, &first->record_size, 0xFFFFFFFFu, 3 + 2},
        {"a chunk of another kind", NULL, &first->kind, RT_SYNC, 3 + 2},
        {"a header naming another address", &h->self_va, NULL, header_va + 8, -1},
        {"a 4 GiB header", NULL, &h->header_size, 0xFFFFFFFFu, -1},
        {"a first heap chunk in unmapped memory", &h->first_chunk_va[0], NULL, 0x0000123456789000ull, 3 + 2},
        {"a module chunk using more entries than it has", NULL, &mc->used, mc->capacity + 1, (int)all - 2},
        {"a module chunk with more strings than its area", NULL, &mc->string_used, mc->string_bytes + 1, (int)all - 2},
        {"a module chunk of 4 GiB", NULL, &mc->capacity, 0xFFFFFFFFu, (int)all - 2},
        {"a module list looping back to its chunk", &mc->next_va, NULL, (uint64_t)(uintptr_t)mc, 0},
        {"a module link to unmapped memory", &mc->next_va, NULL, 0x0000123456789000ull, 0},
        {"a module list in unmapped memory", &h->module_list_va, NULL, 0x0000123456789000ull, (int)all - 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t saved64 = cases[i].field64 ? *cases[i].field64 : 0;
        uint32_t saved32 = cases[i].field32 ? *cases[i].field32 : 0;
        if (cases[i].field64) {
            *cases[i].field64 = cases[i].value;
        } else {
            *cases[i].field32 = (uint32_t)cases[i].value;
        }
        warnings = 0;
        b = copy_table(self, header_va, &n);
        ranges = 0;
        if (cases[i].expect_ranges < 0) {
            CHECK(b == NULL, "%s: copied anyway", cases[i].what);
        } else {
            uint32_t expected = cases[i].expect_ranges == 0 ? all : (uint32_t)cases[i].expect_ranges;
            CHECK(b != NULL && image_ok(b, n, &ranges) == 0 && ranges == expected, "%s: %u ranges, expected %u",
                  cases[i].what, ranges, expected);
            CHECK(warnings > 0, "%s: no warning", cases[i].what);
        }
        free(b);
        if (cases[i].field64) {
            *cases[i].field64 = saved64;
        } else {
            *cases[i].field32 = saved32;
        }
    }

    /* a 1.0 header: its reserved bytes are no link, and that is no damage */
    h->version_minor = 0;
    warnings = 0;
    b = copy_table(self, header_va, &n);
    CHECK(b != NULL && image_ok(b, n, &ranges) == 0 && ranges == all - 2 && warnings == 0,
          "a 1.0 header: %u ranges, expected %u, %d warnings", ranges, all - 2, warnings);
    free(b);
    h->version_minor = RT_VERSION_MINOR;

    /* random bit flips in the header, in every chunk header and the module chunk's, one at a time, each put back */
    unsigned char *targets[32];
    size_t sizes[32];
    int count = 0;
    targets[count] = (unsigned char *)h;
    sizes[count++] = sizeof *h;
    targets[count] = (unsigned char *)mc;
    sizes[count++] = sizeof *mc;
    for (int kind = 1; kind <= RT_KINDS; kind++) {
        for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[kind - 1]; c != NULL && count < 32;
             c = (struct rt_chunk *)(uintptr_t)c->next_va) {
            targets[count] = (unsigned char *)c;
            sizes[count++] = sizeof *c;
        }
    }
    uint64_t state = 0x9E3779B97F4A7C15ull;
    int copied = 0;
    for (int i = 0; i < flips; i++) {
        int t = (int)(next_random(&state) % (uint64_t)count);
        size_t byte = (size_t)(next_random(&state) % sizes[t]);
        unsigned char bit = (unsigned char)(1u << (next_random(&state) % 8));
        targets[t][byte] ^= bit;
        b = copy_table(self, header_va, &n);
        if (b != NULL) {
            copied++;
            CHECK(image_ok(b, n, &ranges) == 0 && ranges <= all, "flip %d (target %d byte %zu): a malformed image of %u "
                  "ranges", i, t, byte, ranges);
        }
        free(b);
        targets[t][byte] ^= bit;
    }
    printf("table_copy_test: intact copy, %zu damage cases and %d bit flips (%d copied, the rest refused) %s\n",
           sizeof cases / sizeof cases[0], flips, copied, failures == 0 ? "passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
