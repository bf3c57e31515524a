/*
 * A C++ program with planted leaks, run under libresmon.so by tests/planted.sh (built at -O1 and at -O2). It leaks
 * exactly what `planted_cxx --expect` prints, and frees everything else:
 *   - open_sessions(): six `new Session`, each holding a std::string longer than the short-string buffer and a
 *     std::vector<int>, whose buffers are allocated by std:: code called from Session's constructor;
 *   - make_cycle(): two nodes from std::make_shared pointing at each other (their control blocks, which hold the
 *     nodes, stay alive by the cycle);
 *   - fill_registry(): a `new std::map<int, std::string>` never destroyed, its nodes and their strings;
 *   - grab_buffer(): an array from new[]; grab_aligned(): an over-aligned object from aligned new.
 * First, impossible sizes: plain and aligned new must throw std::bad_alloc through the tracker's hooks, nothrow
 * new return NULL. Meanwhile four threads throw and catch exceptions and churn temporaries through every form of
 * new and delete (all 20: plain, array, nothrow, sized, aligned), std::string, std::vector, std::map and
 * std::shared_ptr.
 *
 * Ground truth (`--expect`): one line per planted leak, TAB-separated:
 *   FUNCTION  heap  COUNT  BYTES  TYPE
 * FUNCTION is the planting function as c++filt spells its symbol (the first frame of the stack, after the folded
 * std:: and operator new frames, must be inside it), COUNT the number of blocks, BYTES what the program asked for
 * per block (the size operator new was called with), TYPE the report's heap type name. The bytes are
 * deterministic: strings are made with a fixed length above the short-string capacity (libstdc++ allocates
 * length + 1), vectors with reserve(exact count) and no growth after it, the map, its nodes and the make_shared
 * control blocks are sizeof of libstdc++'s types (std::map, _Rb_tree_node, _Sp_counted_ptr_inplace); each
 * planted (bytes, type) is unique, so a record is matched to its leak by them.
 *
 * `--expect-counted` prints LOW:COUNT: the exit report's allocation histogram must count COUNT blocks in the size
 * class from LOW (the churn's new char[20000], nothing else of that size), each once (a `new` recorded twice, by
 * the C++ hook and by the malloc hook inside operator new, would count twice).
 *
 * With a directory argument (RESMON_SNAPSHOT_DIR), it asks libresmon for a heap snapshot with SIGUSR2 after the
 * sessions are open and again after every leak is planted, and waits until each is written: the first holds the
 * sessions and their buffers (open_sessions and Session::Session in --expect), the second exactly the planted
 * leaks.
 */
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static const int SESSIONS = 6;
static const size_t NAME_LENGTH = 40;   /* > 15, libstdc++'s short-string capacity: the name is on the heap */
static const size_t VALUES = 30;        /* the vector's reserve(): 120 bytes */
static const int REGISTRY = 5;
static const size_t ENTRY_LENGTH = 20;  /* the map's strings: 21 bytes each */
static const size_t BUFFER = 1000;      /* ints from new[] */
static const int THREADS = 4;
static const int ROUNDS = 500;          /* per thread */
static const size_t COUNTED_BYTES = 20000; /* the only blocks of 16 to 32 KiB: the histogram's count of them */

struct Session {
    std::string name;
    std::vector<int> values;
    explicit Session(int id);
};

/* the string and the vector's buffer are allocated inside std::string / std::vector code called from here */
__attribute__((noinline)) Session::Session(int id) : name(NAME_LENGTH, static_cast<char>('a' + id)) {
    values.reserve(VALUES);
    for (size_t i = 0; i < VALUES; i++) {
        values.push_back(static_cast<int>(i) * id);
    }
}

struct Node {
    std::shared_ptr<Node> next;
    char payload[48];
};

struct alignas(64) Aligned {
    char bytes[192];
};

Session *volatile sessions[SESSIONS];
std::map<int, std::string> *volatile registry;
int *volatile buffer;
Aligned *volatile aligned;

__attribute__((noinline)) void open_sessions() {
    for (int i = 0; i < SESSIONS; i++) {
        sessions[i] = new Session(i);
    }
}

__attribute__((noinline)) void make_cycle() {
    std::shared_ptr<Node> a = std::make_shared<Node>();
    std::shared_ptr<Node> b = std::make_shared<Node>();
    a->next = b;
    b->next = a; /* neither count drops to 0 when a and b go out of scope */
}

__attribute__((noinline)) void fill_registry() {
    registry = new std::map<int, std::string>;
    for (int i = 0; i < REGISTRY; i++) {
        registry->emplace(i, std::string(ENTRY_LENGTH, static_cast<char>('k' + i)));
    }
}

__attribute__((noinline)) void grab_buffer() {
    buffer = new int[BUFFER];
    buffer[0] = 1;
}

__attribute__((noinline)) void grab_aligned() {
    aligned = new Aligned;
    aligned->bytes[0] = 1;
}

/* ---- what is freed: temporaries of every kind, exceptions on four threads ---- */

/* every block of the churn passes through here: a pointer that escapes keeps the compiler from eliding the pair of
 * a new-expression and its delete (which it may do at -O2), so each form of new and delete is really called */
void *volatile escaped;

template <typename T> static T *escape(T *p) {
    escaped = p;
    return p;
}

__attribute__((noinline)) static void churn_once(int round) {
    std::string text(100 + round % 50, 'x');
    std::vector<int> numbers(round % 200 + 1, round);
    std::map<int, std::string> map;
    for (int i = 0; i < 8; i++) {
        map[i] = text.substr(0, 30 + i);
    }
    std::shared_ptr<Node> shared = std::make_shared<Node>();
    std::unique_ptr<Session> session(escape(new Session(round % 7)));
    delete[] escape(new int[round % 64 + 1]);
    delete escape(new Aligned);                 /* aligned new, sized aligned delete */
    delete[] escape(new Aligned[3]);            /* aligned new[], aligned delete[] */
    ::operator delete(escape(::operator new(48, std::nothrow)), std::nothrow);
    ::operator delete(escape(::operator new(72)), static_cast<size_t>(72));
    ::operator delete(escape(::operator new(256, std::align_val_t(128), std::nothrow)), static_cast<size_t>(256),
                      std::align_val_t(128));
    ::operator delete[](escape(::operator new[](96, std::align_val_t(32))), std::align_val_t(32), std::nothrow);
    delete[] escape(new (std::nothrow) char[33]);
    /* the forms no expression above calls: every one of the 20 must reach its hook */
    ::operator delete[](escape(::operator new[](24)), static_cast<size_t>(24));
    ::operator delete(escape(::operator new(64, std::align_val_t(64))), std::align_val_t(64));
    ::operator delete[](escape(::operator new[](128, std::align_val_t(64), std::nothrow)), static_cast<size_t>(128),
                        std::align_val_t(64));
    ::operator delete[](escape(::operator new[](16, std::nothrow)), std::nothrow);
    ::operator delete(escape(::operator new(32, std::align_val_t(32))), std::align_val_t(32), std::nothrow);
    delete[] escape(new char[COUNTED_BYTES]); /* the one allocation of its size class: counted once each */
    void *mismatched = escape(::operator new(40));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
    free(mismatched); /* a mismatched free (it works with libstdc++'s new) must still remove the record */
#pragma GCC diagnostic pop
}

__attribute__((noinline)) static void throw_and_catch(int round) {
    try {
        if (round % 2 == 0) {
            throw std::runtime_error(std::string(64, 'e'));
        }
        throw round;
    } catch (const std::exception &e) {
        (void)e.what();
    } catch (int) {
    }
}

/* bad_alloc thrown through the tracker's hooks: they must let it pass and still record what follows */
__attribute__((noinline)) static bool refuse_huge() {
    volatile size_t huge = SIZE_MAX / 2;
    int refused = 0;
    try {
        void *p = ::operator new(huge);
        ::operator delete(p);
    } catch (const std::bad_alloc &) {
        refused++;
    }
    try {
        void *p = ::operator new[](huge, std::align_val_t(64));
        ::operator delete[](p, std::align_val_t(64));
    } catch (const std::bad_alloc &) {
        refused++;
    }
    void *none = ::operator new(huge, std::nothrow);
    return refused == 2 && none == nullptr;
}

static void worker(int rounds) {
    for (int round = 0; round < rounds; round++) {
        churn_once(round);
        throw_and_catch(round);
    }
}

/* whether snapshot number `n` is written; allocates nothing: opendir's 32 KiB buffer, live while the monitor writes
 * the snapshot, would be in it */
static bool written(const char *dir, int n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/resmon-%ld-%d.umdh", dir, static_cast<long>(getpid()), n);
    return access(path, F_OK) == 0;
}

/* asks for snapshot number `n` and waits for it (the monitor thread writes it within 100 ms) */
static bool snapshot(const char *dir, int n) {
    if (dir == nullptr) {
        return true;
    }
    raise(SIGUSR2);
    for (int wait = 0; !written(dir, n) && wait < 500; wait++) {
        usleep(10 * 1000);
    }
    return written(dir, n);
}

static void expect() {
    using node = std::_Rb_tree_node<std::pair<const int, std::string>>;
    using control = std::_Sp_counted_ptr_inplace<Node, std::allocator<Node>, __gnu_cxx::_S_atomic>;
    std::printf("open_sessions()\theap\t%d\t%zu\tNew\n", SESSIONS, sizeof(Session));
    std::printf("Session::Session(int)\theap\t%d\t%zu\tNew\n", SESSIONS, NAME_LENGTH + 1);
    std::printf("Session::Session(int)\theap\t%d\t%zu\tNew\n", SESSIONS, VALUES * sizeof(int));
    std::printf("make_cycle()\theap\t2\t%zu\tNew\n", sizeof(control));
    std::printf("fill_registry()\theap\t1\t%zu\tNew\n", sizeof(std::map<int, std::string>));
    std::printf("fill_registry()\theap\t%d\t%zu\tNew\n", REGISTRY, sizeof(node));
    std::printf("fill_registry()\theap\t%d\t%zu\tNew\n", REGISTRY, ENTRY_LENGTH + 1);
    std::printf("grab_buffer()\theap\t1\t%zu\tNew[]\n", BUFFER * sizeof(int));
    std::printf("grab_aligned()\theap\t1\t%zu\tNew align\n", sizeof(Aligned));
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--expect") == 0) {
        expect();
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--expect-counted") == 0) {
        /* the exit report's histogram line for 16 to 32 KiB must count each of these blocks once */
        std::printf("%zu:%d\n", static_cast<size_t>(16384), THREADS * ROUNDS);
        return 0;
    }
    const char *dir = argc > 1 ? argv[1] : nullptr;
    if (!refuse_huge()) {
        std::fprintf(stderr, "planted_cxx: an impossible new did not throw std::bad_alloc (or nothrow new not NULL)\n");
        return 1;
    }
    open_sessions();
    if (!snapshot(dir, 1)) {
        std::fprintf(stderr, "planted_cxx: no snapshot after the first SIGUSR2\n");
        return 1;
    }
    { /* the threads' vector is gone before the second snapshot, which then holds exactly the planted leaks */
        std::vector<std::thread> threads;
        for (int t = 0; t < THREADS; t++) {
            threads.emplace_back(worker, ROUNDS);
        }
        make_cycle();
        fill_registry();
        grab_buffer();
        grab_aligned();
        for (std::thread &t : threads) {
            t.join();
        }
    }
    std::printf("planted_cxx: planted\n"); /* stdout's buffer: the C runtime's, not a leak */
    std::cout << "planted_cxx: " << SESSIONS << " sessions" << std::endl; /* iostream's set-up: neither */
    if (!snapshot(dir, 2)) {
        std::fprintf(stderr, "planted_cxx: no snapshot after the second SIGUSR2\n");
        return 1;
    }
    return 0;
}
