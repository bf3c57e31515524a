/*
 * A program with planted leaks, run under libresmon.so by tests/planted.sh. Before it exits it compares the
 * tracker's table with what it planted (its ground truth): every leaked heap block, thread, sync object and
 * descriptor at the right call site, and nothing it released. Run without the tracker it exits 77 (skipped).
 * Each planting call's line is marked "planted" in a comment: cli's SourceLinesEndToEndTest holds the file and
 * line the tools print to those lines.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "resmon_table.h"
#include "table_walk.h"

void *volatile keep[64];
static int kept;
static pthread_mutex_t leaked_mutex;
static pthread_cond_t leaked_cond;
static pthread_rwlock_t leaked_rwlock;
static sem_t leaked_sem;

/* ---- heap ---- */

__attribute__((noinline)) void leak_small(void) {
    keep[kept++] = malloc(100); /* planted */
}

__attribute__((noinline)) void leak_big(void) {
    keep[kept++] = calloc(10, 1000); /* planted */
}

__attribute__((noinline)) void leak_realloc(void) {
    void *p = malloc(10);
    keep[kept++] = realloc(p, 5000); /* planted */
}

__attribute__((noinline)) void leak_posix_memalign(void) {
    void *p = NULL;
    if (posix_memalign(&p, 64, 256) == 0) { /* planted */
        keep[kept++] = p;
    }
}

__attribute__((noinline)) void leak_aligned_alloc(void) {
    keep[kept++] = aligned_alloc(64, 512); /* planted */
}

__attribute__((noinline)) void leak_memalign(void) {
    keep[kept++] = memalign(32, 96); /* planted */
}

__attribute__((noinline)) void leak_valloc(void) {
    keep[kept++] = valloc(1000); /* planted */
}

__attribute__((noinline)) void leak_mmap(void) {
    keep[kept++] = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); /* planted */
}

__attribute__((noinline)) void freed(void) {
    void *p = malloc(200);
    free(p);
    void *q = malloc(300);
    q = realloc(q, 600);
    free(q);
    free(calloc(3, 100));
    if (posix_memalign(&p, 64, 256) == 0) {
        free(p);
    }
    free(aligned_alloc(64, 512));
    free(memalign(32, 96));
    free(valloc(1000));
    void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m, 8192);
}

/* ---- threads ---- */

static void *worker(void *arg) {
    return arg;
}

static void *exiting_worker(void *arg) {
    pthread_exit(arg);
}

__attribute__((noinline)) void leak_thread(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL); /* planted: never joined, a zombie */
}

__attribute__((noinline)) void joined_thread(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, exiting_worker, NULL); /* ends through pthread_exit */
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

/* ---- sync objects ---- */

__attribute__((noinline)) void leak_mutex(void) {
    pthread_mutex_init(&leaked_mutex, NULL); /* planted */
}

__attribute__((noinline)) void leak_cond(void) {
    pthread_cond_init(&leaked_cond, NULL); /* planted */
}

__attribute__((noinline)) void leak_rwlock(void) {
    pthread_rwlock_init(&leaked_rwlock, NULL); /* planted */
}

__attribute__((noinline)) void leak_sem(void) {
    sem_init(&leaked_sem, 0, 1); /* planted */
}

static char sem_name[64];

__attribute__((noinline)) void leak_sem_open(void) {
    snprintf(sem_name, sizeof sem_name, "/resmon-planted-%d", (int)getpid());
    sem_t *s = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 0); /* planted */
    (void)s;
    sem_unlink(sem_name); /* the name goes, the semaphore stays open */
}

__attribute__((noinline)) void destroyed(void) {
    pthread_mutex_t m;
    pthread_mutex_init(&m, NULL);
    pthread_mutex_destroy(&m);
    pthread_cond_t c;
    pthread_cond_init(&c, NULL);
    pthread_cond_destroy(&c);
    pthread_rwlock_t r;
    pthread_rwlock_init(&r, NULL);
    pthread_rwlock_destroy(&r);
    sem_t s;
    sem_init(&s, 0, 0);
    sem_destroy(&s);
    char name[64];
    snprintf(name, sizeof name, "/resmon-destroyed-%d", (int)getpid());
    sem_t *o = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    sem_unlink(name);
    if (o != SEM_FAILED) {
        sem_close(o);
    }
}

/* ---- descriptors ---- */

__attribute__((noinline)) void leak_fd(void) {
    int fd = open("/dev/null", O_RDONLY); /* planted */
    (void)fd;
}

__attribute__((noinline)) void leak_openat(void) {
    int fd = openat(AT_FDCWD, "/dev/null", O_RDONLY); /* planted */
    (void)fd;
}

/* the copies stay; the descriptors they copy are closed again */
__attribute__((noinline)) void leak_dup(void) {
    int fd = open("/dev/null", O_RDONLY);
    int copy = dup(fd); /* planted */
    (void)copy;
    close(fd);
}

__attribute__((noinline)) void leak_dup2(void) {
    int fd = open("/dev/null", O_RDONLY);
    dup2(fd, fd + 40); /* planted */
    close(fd);
}

__attribute__((noinline)) void leak_eventfd(void) {
    int fd = eventfd(0, 0); /* planted */
    (void)fd;
}

__attribute__((noinline)) void closed_fds(void) {
    close(open("/dev/null", O_RDONLY));
    close(openat(AT_FDCWD, "/dev/null", O_RDONLY));
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    close(s);
    int p[2];
    if (pipe(p) == 0) {
        close(p[0]);
        close(p[1]);
    }
    int fd = open("/dev/null", O_RDONLY);
    close(dup(fd));
    int to = dup(fd);
    dup2(fd, to); /* onto a tracked descriptor: the same number, one record */
    dup2(fd, fd + 41);
    close(fd + 41);
    close(to);
    close(fd);
    close(eventfd(0, 0));
}

/*
 * What the table must hold at the check, exactly: a record anywhere else, or one missing, is a failure. The same
 * list, printed by `planted_leaks --expect`, is what tests/planted.sh holds the exit report in the log to.
 */
static const struct planted {
    const char *function;
    int kind;
    long count;
    long size; /* bytes per heap block */
} planted[] = {
    {"leak_small", RT_HEAP, 5, 100},        {"leak_big", RT_HEAP, 2, 10000},
    {"leak_realloc", RT_HEAP, 1, 5000},     {"leak_posix_memalign", RT_HEAP, 1, 256},
    {"leak_aligned_alloc", RT_HEAP, 1, 512}, {"leak_memalign", RT_HEAP, 1, 96},
    {"leak_valloc", RT_HEAP, 1, 1000},      {"leak_mmap", RT_HEAP, 1, 65536},
    {"leak_thread", RT_THREAD, 1, 0},       {"leak_mutex", RT_SYNC, 1, 0},
    {"leak_cond", RT_SYNC, 1, 0},           {"leak_rwlock", RT_SYNC, 1, 0},
    {"leak_sem", RT_SYNC, 1, 0},            {"leak_sem_open", RT_SYNC, 1, 0},
    {"leak_fd", RT_HANDLE, 1, 0},           {"leak_openat", RT_HANDLE, 1, 0},
    {"leak_dup", RT_HANDLE, 1, 0},          {"leak_dup2", RT_HANDLE, 1, 0},
    {"leak_eventfd", RT_HANDLE, 1, 0},
};
#define PLANTED (sizeof planted / sizeof planted[0])

static const char *const kind_names[] = {"", "heap", "thread", "sync", "handle"};

/* The function a return address is in, or its module's name followed by "!?" when not an exported function. */
static const char *site(uint64_t ret) {
    Dl_info info;
    if (dladdr((void *)(uintptr_t)(ret - 1), &info) == 0) {
        return "?";
    }
    if (info.dli_sname != NULL) {
        return info.dli_sname;
    }
    static char unnamed[300];
    const char *slash = info.dli_fname != NULL ? strrchr(info.dli_fname, '/') : NULL;
    snprintf(unnamed, sizeof unnamed, "%s!?", slash != NULL ? slash + 1 : info.dli_fname ? info.dli_fname : "?");
    return unnamed;
}

/* Compares every live record of the table with the planted list; returns the number of differences. */
static int check(struct rt_header *h) {
    long found[PLANTED] = {0};
    int failures = 0;
    for (struct table_walk w = table_walk(h); table_next(&w) != NULL;) {
        struct rt_record *r = w.record;
        const char *fn = r->depth > 0 ? site(r->frames[0]) : "(no frames)";
        long size = w.kind == RT_HEAP ? (long)((struct rt_heap_record *)r)->size : 0;
        size_t p = 0;
        while (p < PLANTED && !(planted[p].kind == w.kind && strcmp(planted[p].function, fn) == 0
                                && planted[p].size == size)) {
            p++;
        }
        if (p < PLANTED) {
            found[p]++;
        } else if (failures++ < 20) {
            fprintf(stderr, "planted_leaks: not planted: a %s record from %s (size %ld, handle 0x%llx)\n",
                    kind_names[w.kind], fn, size, (unsigned long long)r->handle);
        }
    }
    for (size_t p = 0; p < PLANTED; p++) {
        if (found[p] != planted[p].count) {
            fprintf(stderr, "planted_leaks: %s records from %s (size %ld): %ld, expected %ld\n",
                    kind_names[planted[p].kind], planted[p].function, planted[p].size, found[p], planted[p].count);
            failures++;
        }
    }
    if (h->dropped_records != 0) {
        fprintf(stderr, "planted_leaks: %llu records dropped\n", (unsigned long long)h->dropped_records);
        failures++;
    }
    return failures;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--expect") == 0) {
        for (size_t p = 0; p < PLANTED; p++) {
            printf("%s:%s:%ld", planted[p].function, kind_names[planted[p].kind], planted[p].count);
            printf(planted[p].kind == RT_HEAP ? ":%ld\n" : "\n", planted[p].size);
        }
        return 0;
    }
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
    leak_posix_memalign();
    leak_aligned_alloc();
    leak_memalign();
    leak_valloc();
    leak_mmap();
    for (int i = 0; i < 10; i++) {
        freed();
    }
    leak_thread();
    joined_thread();
    detached_thread();
    sem_wait(&detached_done);
    sem_destroy(&detached_done);
    usleep(100 * 1000); /* let the detached and the leaked thread finish */
    leak_mutex();
    leak_cond();
    leak_rwlock();
    leak_sem();
    leak_sem_open();
    destroyed();
    leak_fd();
    leak_openat();
    leak_dup();
    leak_dup2();
    leak_eventfd();
    closed_fds();

    /* as the monitor's next cycle leaves the table: call sites seen for the first time named, suppressed ones
     * (the dynamic loader's, for pthread_exit's libgcc_s) gone */
    void (*settle)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "resmon_suppress_settle");
    if (settle != NULL) {
        settle();
    }
    int failures = check(header());
    if (failures == 0) {
        printf("planted_leaks: the table holds exactly the planted leaks (%zu call sites)\n", PLANTED);
    }
    return failures == 0 ? 0 : 1;
}
