/*
 * Leaks, maps memory, then crashes (SIGSEGV). Under libresmon.so the fatal-signal handler writes the table
 * image (flag "fatal signal") before the process dies: tests/planted.sh checks it is there, and .ci/run reads it
 * with dumpscan. SITES_FILE receives "leak_before_crash START END", where the leaking function lies in this run
 * (the image has raw addresses only). The crash is two calls below main (crash_in_parser <- parse_config <-
 * main), so a dump of it shows the path a stack walker must recover.
 * usage: planted_crash SITES_FILE | planted_crash --no-crash (leak and exit normally)
 */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void *volatile kept[4];

__attribute__((noinline)) void leak_before_crash(void) {
    kept[0] = malloc(4096);
    kept[1] = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *gone = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 8192);
}

/* the faulting function, two calls below main; noinline and a result used after each call: no inlining, no
 * tail calls, so every frame is on the stack */
__attribute__((noinline)) int crash_in_parser(volatile int *field) {
    return *field + 1; /* planted crash */
}

__attribute__((noinline)) int parse_config(int depth) {
    volatile int *null = NULL;
    return crash_in_parser(depth > 1000 ? (volatile int *)&depth : null) * 2;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--no-crash") != 0) {
        Dl_info info;
        const ElfW(Sym) *sym = NULL;
        FILE *f = fopen(argv[1], "w");
        if (f == NULL || dladdr1((void *)leak_before_crash, &info, (void **)&sym, RTLD_DL_SYMENT) == 0 || sym == NULL) {
            fprintf(stderr, "planted_crash: cannot write %s or find leak_before_crash\n", argv[1]);
            return 2;
        }
        fprintf(f, "leak_before_crash 0x%lx 0x%lx\n", (unsigned long)(uintptr_t)info.dli_saddr,
                (unsigned long)((uintptr_t)info.dli_saddr + sym->st_size));
        fclose(f);
    }
    leak_before_crash();
    if (argc > 1 && strcmp(argv[1], "--no-crash") == 0) {
        return 0;
    }
    return parse_config(argc) + 3;
}
