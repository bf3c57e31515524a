/*
 * Hooks for descriptors (open, openat, close, dup, dup2, socket, pipe, eventfd), threads (pthread_create,
 * pthread_join, pthread_detach, pthread_exit) and sync objects (pthread mutex, condition variable and rwlock
 * init/destroy, sem_init/sem_destroy, sem_open/sem_close).
 */
#include "tracker.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <unistd.h>

#define RT_THREAD_DETACHED 3 /* running, detached: released when it exits */

int (*real_pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
int (*real_pthread_join)(pthread_t, void **);
static int (*real_pthread_detach)(pthread_t);
static void (*real_pthread_exit)(void *) __attribute__((noreturn));
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_dup)(int);
static int (*real_dup2)(int, int);
static int (*real_socket)(int, int, int);
static int (*real_pipe)(int[2]);
static int (*real_eventfd)(unsigned int, int);
static int (*real_mutex_init)(pthread_mutex_t *, const pthread_mutexattr_t *);
static int (*real_mutex_destroy)(pthread_mutex_t *);
static int (*real_cond_init)(pthread_cond_t *, const pthread_condattr_t *);
static int (*real_cond_destroy)(pthread_cond_t *);
static int (*real_rwlock_init)(pthread_rwlock_t *, const pthread_rwlockattr_t *);
static int (*real_rwlock_destroy)(pthread_rwlock_t *);
static int (*real_sem_init)(sem_t *, int, unsigned int);
static int (*real_sem_destroy)(sem_t *);
static sem_t *(*real_sem_open)(const char *, int, ...);
static int (*real_sem_close)(sem_t *);

#define RESOLVE(var, name) var = (__typeof__(var))dlsym(RTLD_NEXT, name)

void resmon_resolve_other(void) {
    RESOLVE(real_pthread_create, "pthread_create");
    RESOLVE(real_pthread_join, "pthread_join");
    RESOLVE(real_pthread_detach, "pthread_detach");
    RESOLVE(real_pthread_exit, "pthread_exit");
    RESOLVE(real_open, "open");
    RESOLVE(real_openat, "openat");
    RESOLVE(real_close, "close");
    RESOLVE(real_dup, "dup");
    RESOLVE(real_dup2, "dup2");
    RESOLVE(real_socket, "socket");
    RESOLVE(real_pipe, "pipe");
    RESOLVE(real_eventfd, "eventfd");
    RESOLVE(real_mutex_init, "pthread_mutex_init");
    RESOLVE(real_mutex_destroy, "pthread_mutex_destroy");
    RESOLVE(real_cond_init, "pthread_cond_init");
    RESOLVE(real_cond_destroy, "pthread_cond_destroy");
    RESOLVE(real_rwlock_init, "pthread_rwlock_init");
    RESOLVE(real_rwlock_destroy, "pthread_rwlock_destroy");
    RESOLVE(real_sem_init, "sem_init");
    RESOLVE(real_sem_destroy, "sem_destroy");
    RESOLVE(real_sem_open, "sem_open");
    RESOLVE(real_sem_close, "sem_close");
}

static void ensure(void *fn) {
    if (fn == NULL) {
        resmon_init();
    }
}

/* Adds a record of `kind` for `handle` created at `caller`. */
static struct rt_record *add(int kind, uint16_t subtype, uint64_t handle, void *caller, void *frame) {
    if (!resmon_active || resmon_busy) {
        return NULL;
    }
    resmon_busy++;
    if (resmon_suppressed((uint64_t)(uintptr_t)caller)) {
        resmon_busy--;
        return NULL;
    }
    uint64_t frames[RT_MAX_FRAMES];
    int depth = resmon_backtrace(caller, frame, frames);
    rt_lock();
    struct rt_record *old = rt_find(kind, handle);
    if (old != NULL) {
        rt_remove(old); /* released where the tracker could not see it, then reused */
    }
    struct rt_record *r = rt_add(kind, subtype, handle, resmon_tid(), frames, depth);
    rt_unlock();
    resmon_busy--;
    return r;
}

static void drop(int kind, uint64_t handle) {
    if (!resmon_active || resmon_busy) {
        return;
    }
    resmon_busy++;
    rt_lock();
    rt_remove(rt_find(kind, handle));
    rt_unlock();
    resmon_busy--;
}

/* ---- mappings ---- */

/* Straight to the kernel: the table itself maps memory, before any dlsym could have run. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    void *p = (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
    if (p != MAP_FAILED && resmon_active && !resmon_busy) {
        resmon_busy++;
        if (!resmon_suppressed((uint64_t)(uintptr_t)__builtin_return_address(0))) {
            uint64_t frames[RT_MAX_FRAMES];
            int depth = resmon_backtrace(__builtin_return_address(0), __builtin_frame_address(0), frames);
            rt_heap_alloc((uint64_t)(uintptr_t)p, len, RT_MMAP, 0, resmon_tid(), frames, depth);
        }
        resmon_busy--;
    }
    return p;
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off) __attribute__((alias("mmap")));

int munmap(void *addr, size_t len) {
    if (resmon_active && !resmon_busy) {
        resmon_busy++;
        rt_heap_free((uint64_t)(uintptr_t)addr); /* a mapping unmapped from its start */
        resmon_busy--;
    }
    return (int)syscall(SYS_munmap, addr, len);
}

/* ---- descriptors ---- */

#define CALLER __builtin_return_address(0), __builtin_frame_address(0)

int open(const char *path, int flags, ...) {
    ensure((void *)real_open);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    int fd = real_open(path, flags, mode);
    if (fd >= 0) {
        add(RT_HANDLE, RT_FILE, (uint64_t)fd, CALLER);
    }
    return fd;
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int openat(int dirfd, const char *path, int flags, ...) {
    ensure((void *)real_openat);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    int fd = real_openat(dirfd, path, flags, mode);
    if (fd >= 0) {
        add(RT_HANDLE, RT_FILE, (uint64_t)fd, CALLER);
    }
    return fd;
}

int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));

int close(int fd) {
    ensure((void *)real_close);
    drop(RT_HANDLE, (uint64_t)fd); /* before the number can be handed out again */
    return real_close(fd);
}

int dup(int fd) {
    ensure((void *)real_dup);
    int n = real_dup(fd);
    if (n >= 0) {
        add(RT_HANDLE, RT_FD_OTHER, (uint64_t)n, CALLER);
    }
    return n;
}

int dup2(int fd, int to) {
    ensure((void *)real_dup2);
    int n = real_dup2(fd, to);
    if (n >= 0 && fd != to) {
        add(RT_HANDLE, RT_FD_OTHER, (uint64_t)n, CALLER); /* replaces whatever `to` was */
    }
    return n;
}

int socket(int domain, int type, int protocol) {
    ensure((void *)real_socket);
    int fd = real_socket(domain, type, protocol);
    if (fd >= 0) {
        add(RT_HANDLE, RT_SOCKET, (uint64_t)fd, CALLER);
    }
    return fd;
}

int pipe(int fds[2]) {
    ensure((void *)real_pipe);
    int rc = real_pipe(fds);
    if (rc == 0) {
        add(RT_HANDLE, RT_PIPE, (uint64_t)fds[0], CALLER);
        add(RT_HANDLE, RT_PIPE, (uint64_t)fds[1], CALLER);
    }
    return rc;
}

int eventfd(unsigned int initval, int flags) {
    ensure((void *)real_eventfd);
    int fd = real_eventfd(initval, flags);
    if (fd >= 0) {
        add(RT_HANDLE, RT_EVENTFD, (uint64_t)fd, CALLER);
    }
    return fd;
}

/* ---- threads ---- */

/*
 * What the creating thread and the new thread share. The table lock is never held across the real
 * pthread_create (glibc takes its stack-cache lock in there, and calls free, and so our lock, while holding it
 * elsewhere), so either side may get to the table first: each records what it knows under the lock, and the
 * last one to let go frees this.
 */
struct start {
    void *(*fn)(void *);
    void *arg;
    uint32_t tid;  /* the new thread's id, once it has run */
    int exited;    /* the thread finished before its record existed */
    int refs;      /* 2: the creator and the thread */
};

static TLS struct start *current_start;

static void release(struct start *s) {
    if (--s->refs == 0) {
        real_free(s);
    }
}

/* The thread is gone: a detached one is released, a joinable one waits (as a leak) for pthread_join. */
static void thread_ended(void) {
    if (!resmon_active) {
        return;
    }
    resmon_busy++;
    rt_lock();
    struct rt_thread_record *t = (struct rt_thread_record *)rt_find(RT_THREAD, (uint64_t)pthread_self());
    if (t != NULL) {
        if (t->common.subtype == RT_THREAD_DETACHED) {
            rt_remove(&t->common);
        } else {
            t->common.subtype = RT_THREAD_EXITED;
            t->exit_time_ns = rt_now_ns();
        }
    } else if (current_start != NULL) {
        current_start->exited = 1; /* the creator records it when it gets the lock */
    }
    if (current_start != NULL) {
        release(current_start);
        current_start = NULL;
    }
    rt_unlock();
    resmon_busy--;
}

static void *thread_main(void *p) {
    struct start *s = p;
    void *(*fn)(void *) = s->fn;
    void *arg = s->arg;
    resmon_busy++;
    rt_lock();
    current_start = s;
    s->tid = resmon_tid();
    struct rt_thread_record *t = (struct rt_thread_record *)rt_find(RT_THREAD, (uint64_t)pthread_self());
    if (t != NULL) {
        t->thread_id = s->tid;
    }
    rt_unlock();
    resmon_busy--;
    void *r = fn(arg);
    thread_ended();
    return r;
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg) {
    ensure((void *)real_pthread_create);
    if (!resmon_active || resmon_busy) {
        return real_pthread_create(thread, attr, fn, arg);
    }
    resmon_busy++;
    if (resmon_suppressed((uint64_t)(uintptr_t)__builtin_return_address(0))) {
        resmon_busy--;
        return real_pthread_create(thread, attr, fn, arg);
    }
    struct start *s = real_malloc(sizeof *s);
    if (s == NULL) {
        resmon_busy--;
        return real_pthread_create(thread, attr, fn, arg);
    }
    s->fn = fn;
    s->arg = arg;
    s->tid = 0;
    s->exited = 0;
    s->refs = 2;
    int detached = 0;
    if (attr != NULL) {
        pthread_attr_getdetachstate(attr, &detached);
        detached = detached == PTHREAD_CREATE_DETACHED;
    }
    uint64_t frames[RT_MAX_FRAMES];
    int depth = resmon_backtrace(__builtin_return_address(0), __builtin_frame_address(0), frames);
    int rc = real_pthread_create(thread, attr, thread_main, s);
    if (rc != 0) {
        real_free(s);
        resmon_busy--;
        return rc;
    }
    rt_lock();
    if (!(s->exited && detached)) { /* a detached thread that is already gone leaves nothing behind */
        struct rt_thread_record *t = (struct rt_thread_record *)rt_add(
            RT_THREAD, detached ? RT_THREAD_DETACHED : RT_THREAD_RUNNING, (uint64_t)*thread, resmon_tid(), frames,
            depth);
        if (t != NULL) {
            t->start_va = (uint64_t)(uintptr_t)fn;
            t->create_time_ns = rt_now_ns();
            t->thread_id = s->tid;
            if (s->exited) {
                t->common.subtype = RT_THREAD_EXITED;
                t->exit_time_ns = t->create_time_ns;
            }
        }
    }
    release(s);
    rt_unlock();
    resmon_busy--;
    return rc;
}

/*
 * Once the real pthread_join has returned, the thread's pthread_t may at once be given to a thread another
 * thread creates, whose record then takes the handle's place in the index: so the record is found before the
 * join and that very record is removed after it (a later one with the same handle stays).
 */
int pthread_join(pthread_t thread, void **ret) {
    ensure((void *)real_pthread_join);
    struct rt_record *r = NULL;
    if (resmon_active && !resmon_busy) {
        resmon_busy++;
        rt_lock();
        r = rt_find(RT_THREAD, (uint64_t)thread);
        rt_unlock();
        resmon_busy--;
    }
    int rc = real_pthread_join(thread, ret);
    if (rc == 0 && r != NULL && resmon_active && !resmon_busy) {
        resmon_busy++;
        rt_lock();
        if (r->state != 0 && r->handle == (uint64_t)thread) {
            rt_remove(r);
        }
        rt_unlock();
        resmon_busy--;
    }
    return rc;
}

int pthread_detach(pthread_t thread) {
    ensure((void *)real_pthread_detach);
    if (resmon_active && !resmon_busy) {
        resmon_busy++;
        rt_lock();
        struct rt_record *r = rt_find(RT_THREAD, (uint64_t)thread);
        if (r != NULL) {
            if (r->subtype == RT_THREAD_EXITED) {
                rt_remove(r); /* already gone: detaching releases it */
            } else {
                r->subtype = RT_THREAD_DETACHED;
            }
        }
        rt_unlock();
        resmon_busy--;
    }
    return real_pthread_detach(thread);
}

void pthread_exit(void *ret) {
    ensure((void *)real_pthread_exit);
    thread_ended();
    real_pthread_exit(ret);
}

/* ---- sync objects ---- */

/* pthread_X_init records the object, pthread_X_destroy forgets it */
#define SYNC_PAIR(init, destroy, type, attr, real_init, real_destroy, subtype)                                   \
    int init(type *o, const attr *a) {                                                                          \
        ensure((void *)real_init);                                                                              \
        int rc = real_init(o, a);                                                                               \
        if (rc == 0) {                                                                                          \
            add(RT_SYNC, subtype, (uint64_t)(uintptr_t)o, CALLER);                                              \
        }                                                                                                       \
        return rc;                                                                                              \
    }                                                                                                           \
    int destroy(type *o) {                                                                                      \
        ensure((void *)real_destroy);                                                                           \
        drop(RT_SYNC, (uint64_t)(uintptr_t)o);                                                                  \
        return real_destroy(o);                                                                                 \
    }

SYNC_PAIR(pthread_mutex_init, pthread_mutex_destroy, pthread_mutex_t, pthread_mutexattr_t, real_mutex_init,
          real_mutex_destroy, RT_MUTEX)
SYNC_PAIR(pthread_cond_init, pthread_cond_destroy, pthread_cond_t, pthread_condattr_t, real_cond_init,
          real_cond_destroy, RT_COND)
SYNC_PAIR(pthread_rwlock_init, pthread_rwlock_destroy, pthread_rwlock_t, pthread_rwlockattr_t, real_rwlock_init,
          real_rwlock_destroy, RT_RWLOCK)

int sem_init(sem_t *s, int shared, unsigned int value) {
    ensure((void *)real_sem_init);
    int rc = real_sem_init(s, shared, value);
    if (rc == 0) {
        add(RT_SYNC, RT_SEMAPHORE, (uint64_t)(uintptr_t)s, CALLER);
    }
    return rc;
}

int sem_destroy(sem_t *s) {
    ensure((void *)real_sem_destroy);
    drop(RT_SYNC, (uint64_t)(uintptr_t)s);
    return real_sem_destroy(s);
}

sem_t *sem_open(const char *name, int flags, ...) {
    ensure((void *)real_sem_open);
    mode_t mode = 0;
    unsigned int value = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        value = va_arg(ap, unsigned int);
        va_end(ap);
    }
    /* glibc keeps its own record of each mapped semaphore (a tsearch node and a block, freed by sem_close): part
     * of this semaphore's record, not allocations of their own */
    resmon_busy++;
    sem_t *s = real_sem_open(name, flags, mode, value);
    resmon_busy--;
    if (s != SEM_FAILED) {
        add(RT_SYNC, RT_SEMAPHORE, (uint64_t)(uintptr_t)s, CALLER);
    }
    return s;
}

int sem_close(sem_t *s) {
    ensure((void *)real_sem_close);
    drop(RT_SYNC, (uint64_t)(uintptr_t)s);
    return real_sem_close(s);
}
