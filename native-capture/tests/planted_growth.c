/*
 * A program that leaks steadily at one call site (leak_grow: 100 blocks of 1000 bytes per round) while
 * another (churn) allocates and frees as much, and asks libresmon for a heap snapshot after each of two
 * rounds with SIGUSR2 (the way a user would with kill -USR2). tests/planted.sh checks the snapshots exist;
 * .ci/run compares them with leakdiff and checks leak_grow ranks first.
 * With the argument `exit`, it asks for one snapshot and returns at once, before the monitor thread's next tick:
 * the snapshot must still be written (at exit, before the exit snapshot).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *volatile kept[1000];
static int n;

__attribute__((noinline)) void leak_grow(void) {
    kept[n++] = malloc(1000);
}

__attribute__((noinline)) void churn(void) {
    void *p = malloc(1000);
    free(p);
}

/* whether snapshot number `n` is written; allocates nothing (opendir's buffer would be in the snapshot) */
static int written(const char *dir, int n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/resmon-%ld-%d.umdh", dir, (long)getpid(), n);
    return access(path, F_OK) == 0;
}

int main(int argc, char **argv) {
    const char *dir = getenv("RESMON_SNAPSHOT_DIR");
    if (dir == NULL) {
        fprintf(stderr, "planted_growth: RESMON_SNAPSHOT_DIR is not set\n");
        return 2;
    }
    if (argc > 1 && strcmp(argv[1], "exit") == 0) {
        leak_grow();
        raise(SIGUSR2);
        return 0;
    }
    for (int round = 1; round <= 2; round++) {
        for (int i = 0; i < 100; i++) {
            leak_grow();
            churn();
        }
        raise(SIGUSR2);
        for (int wait = 0; !written(dir, round) && wait < 500; wait++) {
            usleep(10 * 1000); /* the monitor thread writes it within its next 100 ms tick */
        }
        if (!written(dir, round)) {
            fprintf(stderr, "planted_growth: no snapshot after SIGUSR2 (round %d)\n", round);
            return 1;
        }
    }
    return 0;
}
