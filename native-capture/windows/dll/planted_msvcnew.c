/*
 * Planted leaks through the MSVC runtime's operator new, as msvcrt.dll exports it (a mingw-w64 program importing
 * the decorated names through msvcrt_new.def; there is no MSVC compiler here): two blocks from new and one from
 * new[] in plant_new(); as many freed with delete and delete[]. `--expect` prints check_cxx.py's lines.
 */
#include <stdio.h>
#include <string.h>

/* operator new(size_t), new[](size_t), delete(void *), delete[](void *) of msvcrt.dll, bound to these names by
 * msvcrt_new.def (the assembler takes no '?' in a name) */
__declspec(dllimport) void *msvc_new(size_t n);
__declspec(dllimport) void *msvc_new_array(size_t n);
__declspec(dllimport) void msvc_delete(void *p);
__declspec(dllimport) void msvc_delete_array(void *p);

void *kept[3];

__attribute__((noinline)) void plant_new(void) {
    kept[0] = msvc_new(48);
    kept[1] = msvc_new(48);
    kept[2] = msvc_new_array(400);
}

__attribute__((noinline)) void release_new(void) {
    for (int i = 0; i < 100; i++) {
        msvc_delete(msvc_new(32));
        msvc_delete_array(msvc_new_array(320));
    }
}

int main(int argc, char **argv) {
    release_new();
    plant_new();
    if (argc > 1 && strcmp(argv[1], "--expect") == 0) {
        printf("expect plant_new New 2 48\nexpect plant_new New[] 1 400\n");
    }
    return 0;
}
