/*
 * A leak through an allocation wrapper the compiler inlines (built with -O2): the tools must show the wrapper as
 * an inline frame (its name, and the line of its malloc) above the function it was inlined into (at the line
 * that called the wrapper). cli's SourceLinesEndToEndTest runs it under libresmon.so and finds both lines by
 * their comments.
 */
#include <stdio.h>
#include <stdlib.h>

void *volatile kept[4];

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

int main(void) {
    leak_through_wrapper(4321);
    printf("planted_inline: one block of 4321 bytes leaked\n");
    return 0;
}
