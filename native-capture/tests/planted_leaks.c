/*
 * A program with planted leaks, run under libresmon.so by tests/planted.sh. Before it exits it compares the
 * tracker's table with what it planted (its ground truth): every leaked heap block, thread, sync object and
 * descriptor at the right call site, and nothing it released. Run without the tracker it exits 77 (skipped).
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "resmon_table.h"

void *volatile keep[64];
static int kept;
static pthread_mutex_t leaked_mutex;
static pthread_mutex_t destroyed_mutex;

__attribute__((noinline)) void leak_small(void) {
    keep[kept++] = malloc(100);
}

__attribute__((noinline)) void leak_big(void) {
    keep[kept++] = calloc(10, 1000);
}

__attribute__((noinline)) void leak_realloc(void) {
    void *p = malloc(10);
    keep[kept++] = realloc(p, 5000);
}

__attribute__((noinline)) void freed(void) {
    void *p = malloc(200);
    free(p);
    void *q = malloc(300);
    q = realloc(q, 600);
    free(q);
}

static void *worker(void *arg) {
    return arg;
}

__attribute__((noinline)) void leak_thread(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL); /* never joined: a zombie */
}

__attribute__((noinline)) void joined_thread(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
}

static sem_t detached_done;

static void *detached_worker(void *arg) {
    sem_post(&detached_done);
    return arg;
}

__attribute__((noinline)) void detached_thread(void) {
    pthread_t t;
    pthread_create(&t, NULL, detached_worker, NULL);
    pthread_detach(t);
}

__attribute__((noinline)) void leak_mutex(void) {
    pthread_mutex_init(&leaked_mutex, NULL);
}

__attribute__((noinline)) void destroyed(void) {
    pthread_mutex_init(&destroyed_mutex, NULL);
    pthread_mutex_destroy(&destroyed_mutex);
}

__attribute__((noinline)) void leak_fd(void) {
    int fd = open("/dev/null", O_RDONLY);
    (void)fd;
}

__attribute__((noinline)) void closed_fds(void) {
    close(open("/dev/null", O_RDONLY));
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    close(s);
    int p[2];
    if (pipe(p) == 0) {
        close(p[0]);
        close(p[1]);
    }
}

static int failures;

static void expect(const char *what, long got, long want) {
    if (got != want) {
        fprintf(stderr, "planted_leaks: %s: %ld, expected %ld\n", what, got, want);
        failures++;
    }
}

/* Which planted function a return address is in ("" when it is not the program's). */
static const char *site(uint64_t ret) {
    Dl_info info;
    if (dladdr((void *)(uintptr_t)(ret - 1), &info) == 0 || info.dli_sname == NULL) {
        return "";
    }
    return info.dli_sname;
}

static long count(struct rt_header *h, int kind, const char *fn, uint64_t *bytes) {
    long n = 0;
    for (struct rt_chunk *c = (struct rt_chunk *)(uintptr_t)h->first_chunk_va[kind - 1]; c != NULL;
         c = (struct rt_chunk *)(uintptr_t)c->next_va) {
        for (uint32_t i = 0; i < c->used; i++) {
            struct rt_record *r = (struct rt_record *)((char *)(c + 1) + (size_t)i * c->record_size);
            if (r->state != 0 && r->depth > 0 && strcmp(site(r->frames[0]), fn) == 0) {
                n++;
                if (bytes != NULL) {
                    *bytes += ((struct rt_heap_record *)r)->size;
                }
            }
        }
    }
    return n;
}

int main(void) {
    struct rt_header *(*header)(void) = (struct rt_header * (*)(void)) dlsym(RTLD_DEFAULT, "rt_header");
    if (header == NULL || header() == NULL) {
        fprintf(stderr, "planted_leaks: not running under libresmon.so (LD_PRELOAD): nothing to check\n");
        return 77;
    }
    sem_init(&detached_done, 0, 0);
    for (int i = 0; i < 5; i++) {
        leak_small();
    }
    leak_big();
    leak_big();
    leak_realloc();
    for (int i = 0; i < 10; i++) {
        freed();
    }
    leak_thread();
    joined_thread();
    detached_thread();
    sem_wait(&detached_done);
    usleep(100 * 1000); /* let the detached and the leaked thread finish */
    leak_mutex();
    destroyed();
    leak_fd();
    closed_fds();

    struct rt_header *h = header();
    uint64_t small = 0, big = 0, grown = 0, gone = 0;
    expect("blocks from leak_small", count(h, RT_HEAP, "leak_small", &small), 5);
    expect("bytes from leak_small", (long)small, 500);
    expect("blocks from leak_big", count(h, RT_HEAP, "leak_big", &big), 2);
    expect("bytes from leak_big", (long)big, 20000);
    expect("blocks from leak_realloc", count(h, RT_HEAP, "leak_realloc", &grown), 1);
    expect("bytes from leak_realloc", (long)grown, 5000);
    expect("blocks from freed", count(h, RT_HEAP, "freed", &gone), 0);
    expect("threads from leak_thread", count(h, RT_THREAD, "leak_thread", NULL), 1);
    expect("threads from joined_thread", count(h, RT_THREAD, "joined_thread", NULL), 0);
    expect("threads from detached_thread", count(h, RT_THREAD, "detached_thread", NULL), 0);
    expect("sync objects from leak_mutex", count(h, RT_SYNC, "leak_mutex", NULL), 1);
    expect("sync objects from destroyed", count(h, RT_SYNC, "destroyed", NULL), 0);
    expect("descriptors from leak_fd", count(h, RT_HANDLE, "leak_fd", NULL), 1);
    expect("descriptors from closed_fds", count(h, RT_HANDLE, "closed_fds", NULL), 0);
    expect("dropped records", (long)h->dropped_records, 0);
    if (failures == 0) {
        printf("planted_leaks: the table holds exactly the planted leaks\n");
    }
    return failures == 0 ? 0 : 1;
}
