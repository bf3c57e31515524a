/*
 * bench/tracker.sh's workload: allocation-heavy code at a call depth of about 20 (a recursion down to the
 * allocating loop), a ring of live blocks so frees follow allocations, sizes 16..527 bytes.
 * usage: alloc_workload OPS
 */
#include <stdio.h>
#include <stdlib.h>

#define RING 1024

static void *ring[RING];

__attribute__((noinline)) static unsigned long churn(long ops) {
    unsigned long sum = 0;
    unsigned x = 12345;
    for (long i = 0; i < ops; i++) {
        x = x * 1103515245u + 12345u;
        int s = (int)(i % RING);
        free(ring[s]);
        ring[s] = malloc(16 + (x >> 16) % 512);
        sum += (unsigned long)(((char *)ring[s])[0] = (char)i);
    }
    return sum;
}

__attribute__((noinline)) static unsigned long descend(int depth, long ops) {
    if (depth == 0) {
        return churn(ops);
    }
    volatile int pad = depth; /* keeps a real frame at every level */
    return descend(depth - 1, ops) + (unsigned long)pad;
}

int main(int argc, char **argv) {
    long ops = argc > 1 ? atol(argv[1]) : 10000000;
    unsigned long sum = descend(20, ops);
    for (int i = 0; i < RING; i++) {
        free(ring[i]);
    }
    printf("%lu\n", sum);
    return 0;
}
