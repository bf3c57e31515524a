// The .eh_frame unwinder's test program: C++ built with -O2 -fomit-frame-pointer (Makefile), allocating through
// libstdc++ (vector growth, string appends, std::call_once) and through libc calling back into it (qsort), all
// under keep_alive(), which main calls. Its blocks stay live while it checks the tracker's table in-process:
// every heap record must have a frame in keep_alive and one in main (which it is told where they lie, from nm).
//   unwind_cxx KEEP_ALIVE_ADDR KEEP_ALIVE_SIZE MAIN_ADDR MAIN_SIZE   (hex, as `nm -S` prints them)
// Prints "records N reached M" and exits 1 unless every record reached both (or with no record at all).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

namespace {

std::vector<std::vector<int> *> vectors;
std::vector<std::string *> strings;
std::vector<void *> blocks;
std::once_flag once;

__attribute__((noinline)) void grow_vectors(int n) {
    for (int i = 0; i < n; i++) {
        auto *v = new std::vector<int>();
        for (int j = 0; j < 100 + i; j++) {
            v->push_back(j); // _M_realloc_insert, inlined into this -O2 code, calls operator new in libstdc++
        }
        vectors.push_back(v);
    }
}

__attribute__((noinline)) void append_strings(int n) {
    for (int i = 0; i < n; i++) {
        auto *s = new std::string("session-");
        for (int j = 0; j < 8; j++) {
            s->append(std::to_string(i * 1000 + j)).append(40, 'x'); // _M_mutate/_M_create in libstdc++.so
        }
        strings.push_back(s);
    }
}

// called by libc's qsort: a callback through code built without frame pointers
int compare_and_allocate(const void *a, const void *b) {
    blocks.push_back(std::malloc(24));
    return *static_cast<const int *>(a) - *static_cast<const int *>(b);
}

__attribute__((noinline)) void sort_with_callback() {
    int values[] = {5, 3, 9, 1, 7, 2, 8};
    blocks.reserve(1000);
    std::qsort(values, sizeof values / sizeof values[0], sizeof values[0], compare_and_allocate);
}

__attribute__((noinline)) void once_through_libstdcxx() {
    // libstdc++'s __once_proxy and libc's pthread_once stand between this function and the lambda
    std::call_once(once, [] { blocks.push_back(std::calloc(3, 64)); });
}

// the same function at the same stack depth under two callers: the unwinder may reuse its last walk above a
// frame only when the stack words it read from there on are unchanged
__attribute__((noinline)) void leaf(int i) {
    blocks.push_back(std::malloc(16 + static_cast<size_t>(i)));
}

__attribute__((noinline)) void path_a(int i) {
    leaf(i);
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void path_b(int i) {
    leaf(i);
    __asm__ volatile("" ::: "memory");
}

} // namespace

__attribute__((noinline)) void keep_alive() {
    vectors.reserve(64);
    strings.reserve(64);
    grow_vectors(32);
    append_strings(32);
    sort_with_callback();
    once_through_libstdcxx();
    for (int i = 0; i < 20; i++) {
        (i % 3 == 0 ? path_a : path_b)(i);
    }
    __asm__ volatile("" ::: "memory"); // not a tail call: keep_alive's frame stays on the stack
}

// tests/unwind_check.c: the table walk (resmon_table.h is C); 0 when every heap record reached both spans
extern "C" int unwind_check(uintptr_t keep_lo, uintptr_t keep_hi, uintptr_t main_lo, uintptr_t main_hi);

int main(int argc, char **argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: unwind_cxx KEEP_ALIVE_ADDR KEEP_ALIVE_SIZE MAIN_ADDR MAIN_SIZE\n");
        return 2;
    }
    uintptr_t keep = std::strtoull(argv[1], nullptr, 16);
    uintptr_t bias = reinterpret_cast<uintptr_t>(&keep_alive) - keep; // the program's load address
    uintptr_t at_main = bias + std::strtoull(argv[3], nullptr, 16);
    keep_alive();
    return unwind_check(bias + keep, bias + keep + std::strtoull(argv[2], nullptr, 16), at_main,
                        at_main + std::strtoull(argv[4], nullptr, 16));
}
