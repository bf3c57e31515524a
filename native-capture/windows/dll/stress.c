/*
 * Stress under resmon.dll (linked): threads allocate, reallocate and free through malloc and HeapAlloc and
 * create and close events at random, all at once. Afterwards the table must hold exactly what the threads
 * still hold: every live block at its address with its size, every open event, nothing else.
 *   stress.exe [threads] [operations per thread] [untracked]   (untracked: the same work without the tracker,
 *   for the cost comparison)
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resmon_table.h"

__declspec(dllimport) int InstallResMon(void);
__declspec(dllimport) volatile uint64_t ResMonTableAddress;

#define SLOTS 512
#define MAX_THREADS 16

struct slot {
    void *p;
    size_t size;
    int kind; /* 0 empty, 1 malloc, 2 HeapAlloc, 3 event */
};
struct worker {
    unsigned seed;
    long ops;
    struct slot slots[SLOTS];
};
static struct worker workers[MAX_THREADS];

static unsigned next(unsigned *s) {
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static void release(struct slot *s) {
    if (s->kind == 1) {
        free(s->p);
    } else if (s->kind == 2) {
        HeapFree(GetProcessHeap(), 0, s->p);
    } else if (s->kind == 3) {
        CloseHandle(s->p);
    }
    s->kind = 0;
}

static DWORD WINAPI work(LPVOID arg) {
    struct worker *w = arg;
    for (long i = 0; i < w->ops; i++) {
        struct slot *s = &w->slots[next(&w->seed) % SLOTS];
        unsigned r = next(&w->seed) % 100;
        size_t size = 1 + next(&w->seed) % 2048;
        if (s->kind != 0 && r < 45) {
            release(s);
        } else if (s->kind == 1 && r < 60) {
            void *p = realloc(s->p, size);
            if (p != NULL) {
                s->p = p;
                s->size = size;
            }
        } else if (s->kind == 0 && r < 80) {
            s->p = malloc(size);
            s->size = size;
            s->kind = 1;
        } else if (s->kind == 0 && r < 97) {
            s->p = HeapAlloc(GetProcessHeap(), 0, size);
            s->size = size;
            s->kind = 2;
        } else if (s->kind == 0) {
            s->p = CreateEventA(NULL, FALSE, FALSE, NULL);
            s->kind = 3;
        }
    }
    return 0;
}

/* the live record of kind with this handle, or NULL: a linear walk, fine for a test */
static const struct rt_record *find(const struct rt_header *h, int kind, uint64_t handle) {
    for (const struct rt_chunk *c = (const struct rt_chunk *)(uintptr_t)h->first_chunk_va[kind - 1]; c != NULL;
         c = (const struct rt_chunk *)(uintptr_t)c->next_va) {
        for (uint32_t i = 0; i < c->used; i++) {
            const struct rt_record *r = (const struct rt_record *)((const char *)(c + 1) + (size_t)i * c->record_size);
            if (r->state != 0 && r->handle == handle) {
                return r;
            }
        }
    }
    return NULL;
}

static uint64_t live_records(const struct rt_header *h, int kind) {
    uint64_t n = 0;
    for (const struct rt_chunk *c = (const struct rt_chunk *)(uintptr_t)h->first_chunk_va[kind - 1]; c != NULL;
         c = (const struct rt_chunk *)(uintptr_t)c->next_va) {
        for (uint32_t i = 0; i < c->used; i++) {
            n += ((const struct rt_record *)((const char *)(c + 1) + (size_t)i * c->record_size))->state != 0;
        }
    }
    return n;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 8;
    long ops = argc > 2 ? atol(argv[2]) : 200000;
    threads = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
    int untracked = argc > 3 && strcmp(argv[3], "untracked") == 0;
    if (!untracked && !InstallResMon()) {
        fprintf(stderr, "stress: InstallResMon failed\n");
        return 1;
    }
    HANDLE handles[MAX_THREADS];
    DWORD started = GetTickCount();
    for (int t = 0; t < threads; t++) {
        workers[t].seed = 12345u + (unsigned)t * 7919u;
        workers[t].ops = ops;
        handles[t] = CreateThread(NULL, 0, work, &workers[t], 0, NULL);
    }
    WaitForMultipleObjects((DWORD)threads, handles, TRUE, INFINITE);
    DWORD elapsed = GetTickCount() - started;
    for (int t = 0; t < threads; t++) {
        CloseHandle(handles[t]);
    }
    if (untracked) {
        printf("stress: %d threads x %ld operations in %lu ms, untracked\n", threads, ops, elapsed);
        return 0;
    }
    const struct rt_header *h = (const struct rt_header *)(uintptr_t)ResMonTableAddress;
    uint64_t blocks = 0, events = 0, wrong = 0;
    for (int t = 0; t < threads; t++) {
        for (int i = 0; i < SLOTS; i++) {
            const struct slot *s = &workers[t].slots[i];
            if (s->kind == 1 || s->kind == 2) {
                const struct rt_heap_record *r = (const struct rt_heap_record *)find(h, RT_HEAP, (uint64_t)(uintptr_t)s->p);
                blocks++;
                if (r == NULL || r->size != s->size) {
                    if (wrong++ < 5) {
                        fprintf(stderr, "stress: block %p of %zu bytes: %s\n", s->p, s->size,
                                r == NULL ? "not in the table" : "wrong size in the table");
                    }
                }
            } else if (s->kind == 3) {
                events++;
                if (find(h, RT_SYNC, (uint64_t)(uintptr_t)s->p) == NULL && wrong++ < 5) {
                    fprintf(stderr, "stress: event %p not in the table\n", s->p);
                }
            }
        }
    }
    uint64_t table_blocks = live_records(h, RT_HEAP);
    uint64_t table_sync = live_records(h, RT_SYNC);
    uint64_t table_threads = live_records(h, RT_THREAD);
    printf("stress: %d threads x %ld operations in %lu ms; held %llu blocks, %llu events; table %llu blocks, "
           "%llu sync objects, %llu threads\n", threads, ops, elapsed, (unsigned long long)blocks,
           (unsigned long long)events, (unsigned long long)table_blocks, (unsigned long long)table_sync,
           (unsigned long long)table_threads);
    if (wrong != 0 || table_blocks != blocks || table_sync != events || table_threads != 0) {
        fprintf(stderr, "stress: the table differs from the threads' ground truth (%llu wrong)\n",
                (unsigned long long)wrong);
        return 1;
    }
    printf("stress: the table equals the ground truth\n");
    return 0;
}
