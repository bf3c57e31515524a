/*
 * A leak through an allocation wrapper the compiler inlines (built with -O2): the tools must show the wrapper as
 * an inline frame (its name, and the line of its malloc) above the function it was inlined into (at the line
 * that called the wrapper). cli's SourceLinesEndToEndTest runs it under libresmon.so and finds both lines by
 * their comments. With --crash it dies instead in a store the compiler inlined (lldb-19 writes its minidump for
 * dumpscan: the crash frame's inline frame).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *volatile kept[4];
int *volatile target; /* null: read at run time, so the compiler cannot see the crash coming */

static inline void *checked_alloc(size_t n) {
    void *p = malloc(n); /* inlined allocation */
    if (p == NULL) {
        abort();
    }
    return p;
}

__attribute__((noinline)) void leak_through_wrapper(size_t n) {
    kept[0] = checked_alloc(n); /* wrapper call */
}

static inline void poke(int *p, int value) {
    *p = value; /* inlined crash */
}

__attribute__((noinline)) void crash_through_wrapper(int value) {
    poke(target, value); /* poke call */
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--crash") == 0) {
        crash_through_wrapper(42);
        return 1;
    }
    leak_through_wrapper(4321);
    printf("planted_inline: one block of 4321 bytes leaked\n");
    return 0;
}
