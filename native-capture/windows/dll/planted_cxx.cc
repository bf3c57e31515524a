// Planted C++ leaks for resmon.dll (Leakscope issue 13), built with mingw-w64 g++ at -O1 and -O2, with
// libstdc++ linked statically and as libstdc++-6.dll. Leaks: six Session objects (each holding a std::string
// longer than the small-string buffer and a std::vector<int>) from open_sessions(), a shared_ptr cycle from
// make_cycle(), a heap std::map<int, std::string> never destroyed from fill_registry(), an array from new[] in
// grab_buffer(). Everything else is freed, including exceptions thrown and caught on four threads.
//
//   planted_cxx.exe [--expect] [--no-throw]
// --no-throw: the threads churn without throwing. A mingw-w64 (GCC 12) C++ exception crashes the program when
// a debugger is attached, as resmon_client is: libgcc's SEH handler unwinds with the context it was first given,
// not the copy the debugger's first chance dispatched (gcc-woarm64#43; the same under Wine). So the throwing run
// is the one linked with resmon.dll (-DRESMON_LINKED, installed from DllMain with RESMON_AUTOSTART=1).
// --expect also prints one line per planted site and block size: `expect FUNCTION TYPE COUNT BYTES`, BYTES
// being each block's size and TYPE how the block was asked for (New or New[]).
#include <windows.h>
#ifdef RESMON_LINKED
extern "C" __declspec(dllimport) int InstallResMon(void);
#endif

#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Session {
    int id;
    std::string name;
    std::vector<int> data;
};

struct Node {
    std::shared_ptr<Node> other;
    int value = 0;
};

bool expect;
bool no_throw;

void say(const char *function, const char *type, unsigned count, size_t bytes) {
    if (expect) {
        std::printf("expect %s %s %u %zu\n", function, type, count, bytes);
    }
}

// (the name's buffer: its capacity and the terminating zero)
size_t string_block(const std::string &s) {
    return s.capacity() + 1;
}

}  // namespace

// (with external linkage: the compiler may not drop the allocations whose pointers only these keep)
Session *sessions[6];
std::map<int, std::string> *registry;
int *buffer;

__attribute__((noinline)) void open_sessions() {
    for (int i = 0; i < 6; i++) {
        Session *s = new Session;
        s->id = i;
        s->name = "session number " + std::to_string(i) + " of the planted C++ program";
        s->data.assign(25, i);
        sessions[i] = s;
    }
    say("open_sessions", "New", 6, sizeof(Session));
    say("open_sessions", "New", 6, string_block(sessions[0]->name));
    say("open_sessions", "New", 6, sessions[0]->data.capacity() * sizeof(int));
}

__attribute__((noinline)) void make_cycle() {
    auto a = std::make_shared<Node>();
    auto b = std::make_shared<Node>();
    a->other = b;
    b->other = a; // each keeps the other's control block alive
    say("make_cycle", "New", 2,
        sizeof(std::_Sp_counted_ptr_inplace<Node, std::allocator<Node>, __gnu_cxx::_S_atomic>));
}

__attribute__((noinline)) void fill_registry() {
    registry = new std::map<int, std::string>;
    for (int i = 0; i < 5; i++) {
        (*registry)[i] = "registry entry " + std::to_string(i) + ", long enough for the heap";
    }
    say("fill_registry", "New", 1, sizeof(std::map<int, std::string>));
    say("fill_registry", "New", 5, sizeof(std::_Rb_tree_node<std::pair<const int, std::string>>));
    say("fill_registry", "New", 5, string_block(registry->at(0)));
}

__attribute__((noinline)) void grab_buffer() {
    buffer = new int[250];
    std::memset(buffer, 1, 250 * sizeof(int));
    say("grab_buffer", "New[]", 1, 250 * sizeof(int));
}

// ---- freed: temporaries and exceptions, on four threads ----

__attribute__((noinline)) static long churn(int seed) {
    long sum = 0;
    for (int i = 0; i < 2000; i++) {
        std::vector<std::string> words;
        for (int j = 0; j < 4; j++) {
            words.push_back("a temporary string that does not fit in place " + std::to_string(seed + i + j));
        }
        auto owned = std::make_unique<Session>();
        owned->data.resize(static_cast<size_t>(i % 50));
        std::map<int, std::string> scratch{{i, words[0]}};
        int *array = new int[i % 7 + 1];
        sum += static_cast<long>(scratch.size() + owned->data.size()) + array[0] * 0;
        delete[] array;
        try {
            if (i % 3 == 0 && !no_throw) {
                throw std::runtime_error("thrown and caught: " + words[1]);
            }
        } catch (const std::exception &e) {
            sum += static_cast<long>(std::strlen(e.what()));
        }
    }
    return sum;
}

#ifdef RESMON_LINKED
// A heap snapshot before the leaks (for leakdiff against the one at exit): resmon.dll's snapshot event.
static void snapshot_before() {
    char name[64];
    std::snprintf(name, sizeof name, "Local\\resmon-snapshot-%lu", GetCurrentProcessId());
    HANDLE event = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    if (event != nullptr) {
        SetEvent(event);
        Sleep(1000); // (written by resmon.dll's monitor thread)
        CloseHandle(event);
    }
}
#endif

static DWORD WINAPI worker(LPVOID arg) {
    return static_cast<DWORD>(churn(static_cast<int>(reinterpret_cast<intptr_t>(arg))) & 0xFFFF);
}

int main(int argc, char **argv) {
#ifdef RESMON_LINKED
    InstallResMon(); // (already installed from DllMain when RESMON_AUTOSTART=1: then this does nothing)
#endif
    for (int i = 1; i < argc; i++) {
        expect |= std::strcmp(argv[i], "--expect") == 0;
        no_throw |= std::strcmp(argv[i], "--no-throw") == 0;
    }
    std::cout << "planted_cxx: start" << std::endl;
    HANDLE threads[4];
    for (int t = 0; t < 4; t++) {
        threads[t] = CreateThread(nullptr, 0, worker, reinterpret_cast<LPVOID>(static_cast<intptr_t>(t * 1000)), 0,
                                  nullptr);
    }
    long sum = churn(7);
    WaitForMultipleObjects(4, threads, TRUE, INFINITE);
    for (HANDLE h : threads) {
        CloseHandle(h);
    }
#ifdef RESMON_LINKED
    snapshot_before();
#endif
    open_sessions();
    make_cycle();
    fill_registry();
    grab_buffer();
    std::printf("base %p\n", static_cast<void *>(GetModuleHandleA(nullptr)));
    std::cout << "planted_cxx: done " << (sum != 0) << std::endl;
    return 0;
}
