/*
 * Leaks, maps memory, then crashes (SIGSEGV). Under libresmon.so the fatal-signal handler writes the table
 * image (flag "fatal signal") before the process dies: tests/planted.sh checks it is there.
 */
#include <stdlib.h>
#include <sys/mman.h>

void *volatile kept[4];

__attribute__((noinline)) void leak_before_crash(void) {
    kept[0] = malloc(4096);
    kept[1] = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *gone = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 8192);
}

int main(void) {
    leak_before_crash();
    volatile int *null = NULL;
    return *null;
}
