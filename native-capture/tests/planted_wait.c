/*
 * Leaks at two call sites, then waits to be dumped (tests/dump_live.sh attaches lldb and writes a full-memory
 * minidump of it); touches READY_FILE when ready. Killed by the script, or gives up after 60 s.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

void *volatile kept[16];

__attribute__((noinline)) void leak_a(int i) {
    kept[i] = malloc(777);
}

__attribute__((noinline)) void leak_b(int i) {
    kept[i] = calloc(3, 1000);
}

int main(int argc, char **argv) {
    for (int i = 0; i < 4; i++) {
        leak_a(i);
    }
    for (int i = 4; i < 6; i++) {
        leak_b(i);
    }
    if (argc > 1) {
        close(open(argv[1], O_WRONLY | O_CREAT, 0644));
    }
    for (int i = 0; i < 600; i++) {
        usleep(100 * 1000);
    }
    return 0;
}
