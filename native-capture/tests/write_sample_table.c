/*
 * Writes the sample table images under testdata/resmontable/ (make sample): a made-up "sample_leaker" with
 * heap blocks from three call sites (some freed), two threads, sync objects and descriptors, and its module
 * list (1.1): the program, libc, and a plugin that was unloaded. `--aslr` writes the same run loaded at other
 * bases (the program and libc moved by different amounts, as ASLR does), for leakdiff's module+offset keys.
 * The contents are fixed; only the addresses of the table's own mappings change from run to run.
 */
#include "resmon_table.h"

#include <stdio.h>
#include <string.h>

static uint64_t exe_base = 0x0000555555554000ull;
static uint64_t libc_base = 0x00007FFFF7800000ull;
#define EXE(offset) (exe_base + (offset))
#define LIBC(offset) (libc_base + (offset))
#define SITE_A EXE(0xD234) /* 0x0000555555561234: leaks 6 blocks of 100 bytes */
#define SITE_B EXE(0xE345) /* 3 blocks of 4096 bytes, 2 freed */
#define SITE_C EXE(0xF4AB) /* 1 block of 1 MiB, by calloc */

static uint64_t stack_of(uint64_t site, uint64_t *frames) {
    frames[0] = site;
    frames[1] = EXE(0x1C010);   /* worker_loop */
    frames[2] = LIBC(0x29D90); /* libc start */
    return 3;
}

/* The modules: the program and libc with fixed build ids, and a plugin seen once and then gone. */
static int add_modules(void) {
    struct rt_module_info m[3];
    memset(m, 0, sizeof m);
    m[0].base = exe_base;
    m[0].size = 0x20000;
    m[0].path = "/opt/sample/sample_leaker";
    m[1].base = libc_base;
    m[1].size = 0x200000;
    m[1].path = "/lib/x86_64-linux-gnu/libc.so.6";
    m[2].base = exe_base + 0x100000;
    m[2].size = 0x4000;
    m[2].path = "/opt/sample/plugin.so";
    for (int i = 0; i < 3; i++) {
        m[i].id_kind = RT_ID_GNU_BUILD_ID;
        m[i].id_length = 20;
        for (int b = 0; b < 20; b++) {
            m[i].id[b] = (uint8_t)(0x10 * (i + 1) + b);
        }
    }
    return rt_modules_sync(m, 3) != 0 || rt_modules_sync(m, 2) != 0 ? -1 : 0;
}

int main(int argc, char **argv) {
    int aslr = argc == 3 && strcmp(argv[1], "--aslr") == 0;
    if (argc != 2 && !aslr) {
        fprintf(stderr, "usage: write_sample_table [--aslr] OUT.rmt\n");
        return 2;
    }
    const char *out = argv[argc - 1];
    if (aslr) {
        exe_base = 0x0000561234567000ull;
        libc_base = 0x00007F1234400000ull;
    }
    struct rt_limits limits = {128ull << 20, 30, 100, 180, 5000, 128ull << 20};
    if (rt_init("sample_leaker", 4242, &limits) != 0 || add_modules() != 0) {
        return 1;
    }
    uint64_t frames[RT_MAX_FRAMES];
    int depth;
    rt_lock();
    for (int i = 0; i < 6; i++) {
        depth = (int)stack_of(SITE_A, frames);
        rt_heap_alloc(0x00005555555a0000ull + 0x100ull * i, 100, RT_MALLOC, 0, 4243, frames, depth);
    }
    for (int i = 0; i < 3; i++) {
        depth = (int)stack_of(SITE_B, frames);
        rt_heap_alloc(0x00005555555b0000ull + 0x1000ull * i, 4096, RT_MALLOC, 0, 4242, frames, depth);
    }
    rt_heap_free(0x00005555555b0000ull);
    rt_heap_free(0x00005555555b1000ull);
    depth = (int)stack_of(SITE_C, frames);
    rt_heap_alloc(0x00007FFFF0000010ull, 1 << 20, RT_CALLOC, 0, 4242, frames, depth);

    frames[0] = EXE(0x10000);
    struct rt_thread_record *t = (struct rt_thread_record *)rt_add(RT_THREAD, RT_THREAD_RUNNING, 0x00007FFFF6E00640ull,
                                                                   4242, frames, 1);
    t->thread_id = 4243;
    t->start_va = EXE(0x1C000);
    t->create_time_ns = 1000;
    t = (struct rt_thread_record *)rt_add(RT_THREAD, RT_THREAD_EXITED, 0x00007FFFF6600640ull, 4242, frames, 1);
    t->thread_id = 4244;
    t->start_va = EXE(0x1D000);
    t->exit_time_ns = 2000000;

    frames[0] = EXE(0x11000);
    rt_add(RT_SYNC, RT_MUTEX, 0x00005555555c0000ull, 4242, frames, 1);
    rt_add(RT_SYNC, RT_COND, 0x00005555555c0040ull, 4243, frames, 1);
    frames[0] = EXE(0x12000);
    rt_add(RT_HANDLE, RT_FILE, 7, 4242, frames, 1);
    rt_add(RT_HANDLE, RT_SOCKET, 9, 4243, frames, 1);
    rt_remove(rt_find(RT_HANDLE, 7));
    rt_unlock();
    if (rt_write_image(out, RT_FLAG_CLEAN_EXIT) != 0) {
        perror(out);
        return 1;
    }
    return 0;
}
