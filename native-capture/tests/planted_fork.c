/*
 * fork() while other threads allocate, under libresmon.so: the atfork handlers must leave the child a table
 * lock nobody holds, so the child can allocate, free and exit (half through exit(), which runs the tracker's exit
 * handler). 50 forks; a deadlock shows as a timeout.
 * One more thread reads the local time without pause: glibc's time zone lock is then often held at a fork, and
 * stays held forever in the child; the tracker's exit path in the child must not read the time zone (it once did,
 * and about one run in twenty hung).
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int stop;

static void *churn(void *arg) {
    while (!stop) {
        free(malloc(64));
    }
    return arg;
}

static void *read_clock(void *arg) {
    while (!stop) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
    }
    return arg;
}

int main(void) {
    pthread_t t[4];
    for (int i = 0; i < 3; i++) {
        pthread_create(&t[i], NULL, churn, NULL);
    }
    pthread_create(&t[3], NULL, read_clock, NULL);
    int failed = 0;
    for (int i = 0; i < 50; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            void *p = malloc(1000);
            free(p);
            void *leak = malloc(123); /* the child's own leak, in its copy of the table */
            (void)leak;
            if (i % 2 == 0) {
                exit(0); /* runs the tracker's exit handler in the child: its report, no monitor to stop */
            }
            _exit(0);
        }
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            failed++;
        }
    }
    stop = 1;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    return failed == 0 ? 0 : 1;
}
