/*
 * Stress under libresmon.so: THREADS threads each do OPS random malloc/calloc/realloc/free (and now and then
 * open/close a descriptor, init/destroy a mutex, create/join a thread), keeping their own record of what is
 * live. After joining them, the table must hold exactly that: every live block at its address with its size,
 * the same descriptors and mutexes, and nothing freed, closed, destroyed or joined. With RESMON_MAX_RECORDS set
 * the table fills up: records must have been dropped and counted, no kind may hold more than the cap, and
 * everything it did record is still right (and nothing crashes).
 *
 * usage: stress THREADS OPS
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "resmon_table.h"
#include "table_walk.h"

#define SLOTS 512
#define FDS 8
#define MUTEXES 8

struct worker {
    pthread_t thread;
    long ops;
    unsigned seed;
    void *block[SLOTS];
    size_t size[SLOTS];
    int fd[FDS];
    pthread_mutex_t mutex[MUTEXES];
    int mutex_live[MUTEXES];
};

/* One resource the threads hold, for the comparison with the table. */
struct held {
    int kind;
    uint64_t handle;
    uint64_t size;
};

static int by_kind_and_handle(const void *a, const void *b) {
    const struct held *x = a, *y = b;
    if (x->kind != y->kind) {
        return x->kind < y->kind ? -1 : 1;
    }
    return x->handle < y->handle ? -1 : x->handle > y->handle;
}

static const char *const kind_names[] = {"", "heap", "thread", "sync", "handle"};

static void *idle(void *arg) {
    return arg;
}

static void *work(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < FDS; i++) {
        w->fd[i] = -1;
    }
    for (long op = 0; op < w->ops; op++) {
        unsigned r = (unsigned)rand_r(&w->seed);
        int s = (int)(r % SLOTS);
        size_t n = 1 + (r >> 12) % 4096;
        switch ((r >> 9) % 8) {
        case 0:
        case 1:
        case 2:
            if (w->block[s] == NULL) {
                w->block[s] = (r & 1) ? malloc(n) : calloc(1, n);
                w->size[s] = n;
            }
            break;
        case 3:
        case 4:
        case 5:
            free(w->block[s]);
            w->block[s] = NULL;
            break;
        case 6: {
            void *q = realloc(w->block[s], n);
            if (q != NULL) {
                w->block[s] = q;
                w->size[s] = n;
            }
            break;
        }
        default:
            if (op % 64 == 7) {
                int f = s % FDS;
                if (w->fd[f] >= 0) {
                    close(w->fd[f]);
                    w->fd[f] = -1;
                } else {
                    w->fd[f] = open("/dev/null", O_RDONLY);
                }
            } else if (op % 64 == 15) {
                int m = s % MUTEXES;
                if (w->mutex_live[m]) {
                    pthread_mutex_destroy(&w->mutex[m]);
                } else {
                    pthread_mutex_init(&w->mutex[m], NULL);
                }
                w->mutex_live[m] = !w->mutex_live[m];
            } else if (op % 4096 == 23) {
                pthread_t t;
                if (pthread_create(&t, NULL, idle, NULL) == 0) {
                    pthread_join(t, NULL);
                }
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 8;
    long ops = argc > 2 ? atol(argv[2]) : 1000000;
    struct rt_header *(*header)(void) = (struct rt_header * (*)(void)) dlsym(RTLD_DEFAULT, "rt_header");
    struct rt_record *(*find)(int, uint64_t) = (struct rt_record * (*)(int, uint64_t)) dlsym(RTLD_DEFAULT, "rt_find");
    if (header == NULL || header() == NULL || find == NULL) {
        fprintf(stderr, "stress: not running under libresmon.so\n");
        return 77;
    }
    struct worker *w = calloc((size_t)threads, sizeof *w);
    for (int i = 0; i < threads; i++) {
        w[i].ops = ops;
        w[i].seed = 1234u + (unsigned)i;
        pthread_create(&w[i].thread, NULL, work, &w[i]);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(w[i].thread, NULL);
    }
    /* as the monitor's next cycle leaves the table (suppressed call sites' records gone), with fresh totals */
    void (*settle)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "resmon_suppress_settle");
    if (settle != NULL) {
        settle();
    }
    void (*refresh)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "rt_refresh_totals");
    if (refresh != NULL) {
        refresh();
    }
    const char *cap_text = getenv("RESMON_MAX_RECORDS");
    uint64_t cap = cap_text != NULL ? strtoull(cap_text, NULL, 0) : 0;
    struct rt_header *h = header();
    int full = h->dropped_records > 0;

    /* the ground truth, sorted: every block, descriptor and mutex the threads hold, and the workers array */
    long most = (long)threads * (SLOTS + FDS + MUTEXES) + 2;
    struct held *held = malloc((size_t)most * sizeof *held);
    long n = 0;
    held[n++] = (struct held){RT_HEAP, (uint64_t)(uintptr_t)w, (uint64_t)threads * sizeof *w};
    for (int i = 0; i < threads; i++) {
        for (int s = 0; s < SLOTS; s++) {
            if (w[i].block[s] != NULL) {
                held[n++] = (struct held){RT_HEAP, (uint64_t)(uintptr_t)w[i].block[s], w[i].size[s]};
            }
        }
        for (int f = 0; f < FDS; f++) {
            if (w[i].fd[f] >= 0) {
                held[n++] = (struct held){RT_HANDLE, (uint64_t)w[i].fd[f], 0};
            }
        }
        for (int m = 0; m < MUTEXES; m++) {
            if (w[i].mutex_live[m]) {
                held[n++] = (struct held){RT_SYNC, (uint64_t)(uintptr_t)&w[i].mutex[m], 0};
            }
        }
    }
    held[n++] = (struct held){RT_HEAP, (uint64_t)(uintptr_t)held, (uint64_t)most * sizeof *held};
    qsort(held, (size_t)n, sizeof *held, by_kind_and_handle);

    /* the table against it: every record held (no freed block, closed descriptor, destroyed mutex or joined
     * thread left), at most the cap per kind; and everything held recorded unless records were dropped */
    long records[RT_KINDS + 1] = {0};
    long stale = 0, wrong = 0, missing = 0;
    for (struct table_walk w = table_walk(h); table_next(&w) != NULL;) {
        struct rt_record *r = w.record;
        records[w.kind]++;
        struct held key = {w.kind, r->handle, 0};
        struct held *g = bsearch(&key, held, (size_t)n, sizeof *held, by_kind_and_handle);
        if (g == NULL) {
            if (stale++ < 10) {
                fprintf(stderr, "stress: the table still holds a %s record 0x%llx nothing holds\n",
                        kind_names[w.kind], (unsigned long long)r->handle);
            }
        } else if (w.kind == RT_HEAP && ((struct rt_heap_record *)r)->size != g->size) {
            wrong++;
        }
    }
    for (long i = 0; i < n; i++) {
        missing += find(held[i].kind, held[i].handle) == NULL;
    }
    printf("stress: %d threads x %ld ops, cap %llu: %ld held; table: %ld blocks, %ld sync objects, %ld descriptors, "
           "%ld threads; %llu allocations, %llu frees, %llu dropped\n",
           threads, ops, (unsigned long long)cap, n, records[RT_HEAP], records[RT_SYNC], records[RT_HANDLE],
           records[RT_THREAD], (unsigned long long)h->allocations, (unsigned long long)h->frees,
           (unsigned long long)h->dropped_records);
    int ok = stale == 0 && wrong == 0;
    if (cap == 0) {
        ok = ok && !full && missing == 0;
    } else {
        /* the cap must have been reached (the threads hold more than it), and kept */
        ok = ok && full;
        for (int kind = RT_HEAP; kind <= RT_HANDLE; kind++) {
            ok = ok && (uint64_t)records[kind] <= cap;
        }
    }
    if (!ok) {
        fprintf(stderr, "stress: table disagrees with the ground truth: %ld stale, %ld wrong sizes, %ld missing, "
                        "%llu dropped (cap %llu)\n", stale, wrong, missing,
                (unsigned long long)h->dropped_records, (unsigned long long)cap);
        return 1;
    }
    printf("stress: the table matches the ground truth%s\n", full ? " (full: drops counted, the rest right)" : "");
    return 0;
}
