/*
 * Stress under libresmon.so: THREADS threads each do OPS random malloc/calloc/realloc/free (and now and then
 * open/close a descriptor, init/destroy a mutex, create/join a thread), keeping their own record of what is
 * live. After joining them, the table must hold exactly that: every live block at its address with its size,
 * nothing freed, and the same descriptors and mutexes. With RESMON_MAX_RECORDS set the table fills up: records
 * are dropped and counted, everything it did record is still right, and nothing crashes.
 *
 * usage: stress THREADS OPS
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "resmon_table.h"

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
    void (*refresh)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "rt_refresh_totals");
    if (refresh != NULL) {
        refresh();
    }
    struct rt_header *h = header();
    int full = h->dropped_records > 0;
    long live = 0, wrong = 0, missing = 0, fds = 0, mutexes = 0;
    for (int i = 0; i < threads; i++) {
        for (int s = 0; s < SLOTS; s++) {
            if (w[i].block[s] == NULL) {
                continue;
            }
            live++;
            struct rt_heap_record *r = (struct rt_heap_record *)find(RT_HEAP, (uint64_t)(uintptr_t)w[i].block[s]);
            if (r == NULL) {
                missing++; /* allowed only when the table was full */
            } else if (r->size != w[i].size[s] || r->common.state != 1) {
                wrong++;
            }
        }
        for (int f = 0; f < FDS; f++) {
            if (w[i].fd[f] >= 0) {
                fds++;
                missing += find(RT_HANDLE, (uint64_t)w[i].fd[f]) == NULL;
            }
        }
        for (int m = 0; m < MUTEXES; m++) {
            if (w[i].mutex_live[m]) {
                mutexes++;
                missing += find(RT_SYNC, (uint64_t)(uintptr_t)&w[i].mutex[m]) == NULL;
            }
        }
    }
    /* nothing freed may still be in the table: count the table's records from this program's blocks */
    long table_blocks = 0;
    for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[RT_HEAP - 1]; c != NULL;
         c = (struct rt_chunk *)(uintptr_t)c->next_va) {
        for (uint32_t i = 0; i < c->used; i++) {
            struct rt_record *r = (struct rt_record *)((char *)(c + 1) + (size_t)i * c->record_size);
            if (r->state != 0) {
                table_blocks++;
            }
        }
    }
    printf("stress: %d threads x %ld ops: %ld live blocks, %ld descriptors, %ld mutexes; table: %ld blocks, "
           "%llu allocations, %llu frees, %llu dropped\n",
           threads, ops, live, fds, mutexes, table_blocks, (unsigned long long)h->allocations,
           (unsigned long long)h->frees, (unsigned long long)h->dropped_records);
    int ok = wrong == 0 && (full || missing == 0);
    /* the program's own blocks plus a few of libc's (stdio, thread stacks' bookkeeping): never fewer */
    ok = ok && (full || table_blocks >= live) && table_blocks <= live + 64;
    if (!ok) {
        fprintf(stderr, "stress: table disagrees with the ground truth: %ld wrong, %ld missing (full: %d)\n", wrong,
                missing, full);
        return 1;
    }
    printf("stress: the table matches the ground truth%s\n", full ? " (full: drops counted, the rest right)" : "");
    return 0;
}
