// bench/unwind_reach.sh's C++ program, built like a release build (g++ -O2: no frame pointers): four threads
// churn strings, vectors, maps and shared_ptrs through a few named functions, and every 64th object of each kind
// and thread is kept (leaked), so the exit snapshot samples the allocations of every path. usage: cxx_churn [ROUNDS]
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

std::mutex kept_lock;
std::vector<void *> kept;

thread_local unsigned made[4]; // per thread and kind: every 64th of each is kept

template <typename T> void keep_or_drop(T *object, unsigned kind) {
    if (made[kind]++ % 64 == 0) {
        std::lock_guard<std::mutex> hold(kept_lock);
        kept.push_back(object); // never freed: the sample
    } else {
        delete object;
    }
}

__attribute__((noinline)) void build_names(unsigned n) {
    auto *s = new std::string("name-");
    for (unsigned i = 0; i < 4; i++) {
        s->append(std::to_string(n * 7 + i)).append(24, '.');
    }
    keep_or_drop(s, 0);
}

__attribute__((noinline)) void grow_lists(unsigned n) {
    auto *v = new std::vector<long>();
    for (unsigned i = 0; i < 40 + n % 50; i++) {
        v->push_back(i);
    }
    keep_or_drop(v, 1);
}

__attribute__((noinline)) void fill_index(unsigned n) {
    auto *m = new std::map<int, std::string>();
    for (int i = 0; i < 6; i++) {
        (*m)[i * 3 + static_cast<int>(n % 11)] = std::string(30 + i, 'k');
    }
    keep_or_drop(m, 2);
}

__attribute__((noinline)) void share_sessions(unsigned n) {
    auto p = std::make_shared<std::vector<int>>(16 + n % 9, 1);
    auto *q = new std::shared_ptr<std::vector<int>>(p);
    keep_or_drop(q, 3);
}

__attribute__((noinline)) void worker(unsigned id, unsigned rounds) {
    for (unsigned n = 0; n < rounds; n++) {
        switch ((n + id) % 4) {
        case 0: build_names(n); break;
        case 1: grow_lists(n); break;
        case 2: fill_index(n); break;
        default: share_sessions(n); break;
        }
    }
}

} // namespace

int main(int argc, char **argv) {
    unsigned rounds = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 20000;
    std::vector<std::thread> threads;
    for (unsigned id = 1; id < 4; id++) {
        threads.emplace_back(worker, id, rounds);
    }
    worker(0, rounds); // the main thread is one of the four: its samples must reach main
    for (auto &t : threads) {
        t.join();
    }
    return 0;
}
