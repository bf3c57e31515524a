/*
 * Writes the sample table image under testdata/resmontable/ (make sample): a made-up "sample_leaker" with
 * heap blocks from three call sites (some freed), two threads, sync objects and descriptors. The contents
 * are fixed; only the addresses of the table's own mappings change from run to run.
 */
#include "resmon_table.h"

#include <stdio.h>

#define SITE_A 0x0000555555561234ull /* leaks 6 blocks of 100 bytes */
#define SITE_B 0x0000555555562345ull /* 3 blocks of 4096 bytes, 2 freed */
#define SITE_C 0x00005555555634ABull /* 1 block of 1 MiB, by calloc */

static uint64_t stack_of(uint64_t site, uint64_t *frames) {
    frames[0] = site;
    frames[1] = 0x0000555555570010ull; /* worker_loop */
    frames[2] = 0x00007FFFF7829D90ull; /* libc start */
    return 3;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: write_sample_table OUT.rmt\n");
        return 2;
    }
    struct rt_limits limits = {128ull << 20, 30, 100, 180, 5000, 128ull << 20};
    if (rt_init("sample_leaker", 4242, &limits) != 0) {
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

    frames[0] = 0x0000555555564000ull;
    struct rt_thread_record *t = (struct rt_thread_record *)rt_add(RT_THREAD, RT_THREAD_RUNNING, 0x00007FFFF6E00640ull,
                                                                   4242, frames, 1);
    t->thread_id = 4243;
    t->start_va = 0x0000555555570000ull;
    t->create_time_ns = 1000;
    t = (struct rt_thread_record *)rt_add(RT_THREAD, RT_THREAD_EXITED, 0x00007FFFF6600640ull, 4242, frames, 1);
    t->thread_id = 4244;
    t->start_va = 0x0000555555571000ull;
    t->exit_time_ns = 2000000;

    frames[0] = 0x0000555555565000ull;
    rt_add(RT_SYNC, RT_MUTEX, 0x00005555555c0000ull, 4242, frames, 1);
    rt_add(RT_SYNC, RT_COND, 0x00005555555c0040ull, 4243, frames, 1);
    frames[0] = 0x0000555555566000ull;
    rt_add(RT_HANDLE, RT_FILE, 7, 4242, frames, 1);
    rt_add(RT_HANDLE, RT_SOCKET, 9, 4243, frames, 1);
    rt_remove(rt_find(RT_HANDLE, 7));
    rt_unlock();
    if (rt_write_image(argv[1], RT_FLAG_CLEAN_EXIT) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
