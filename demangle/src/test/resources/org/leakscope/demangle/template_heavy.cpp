// A small, template-heavy C++ program whose symbols CxxfiltDifferentialTest demangles beside c++filt: it is
// compiled with x86_64-w64-mingw32-g++ into the test's temporary folder and never run. It exercises what
// mingw's symbol tables hold for real programs: std containers, std::function, lambdas (generic ones too),
// virtual and virtual-base classes (thunks, VTTs), ref-qualified members, conversion operator templates, local
// classes and statics (guard variables, TLS), inline and anonymous namespaces, non-type template arguments.
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>
#include <algorithm>
#include <sstream>

namespace leak {
struct Session {
    std::string name;
    std::vector<int> data;
    Session(std::string n) : name(std::move(n)) {}
    virtual ~Session() = default;
    virtual int open() const & { return (int)data.size(); }
    int operator()(int x) && { return x; }
    operator bool() const { return !name.empty(); }
    template <typename T> operator T*() const { return nullptr; }
};
struct Derived : virtual Session { using Session::Session; Derived() : Session("d") {} int open() const & override { return 2; } };
template <typename T, int N> struct Fixed { T items[N]; T get(int i) const { return items[i]; } };
template <typename... Ts> struct Bag { std::tuple<Ts...> t; template <typename F> void each(F&& f) { std::apply([&](auto&... xs) { (f(xs), ...); }, t); } };
template <typename T> T twice(T x) { return x + x; }
template <typename T> auto deduced(T x) -> decltype(x * 2) { return x * 2; }
template <unsigned char C, bool B> int flags() { return C + B; }
template <typename T, typename U = std::less<T>> std::map<T, std::vector<U*>> *make_map() { return new std::map<T, std::vector<U*>>(); }
inline namespace v1 { int versioned(int (*fp)(double), int Session::*pm, int (Session::*pmf)() const &) { return 0; } }
namespace { int hidden(const char (&a)[4]) { return a[0]; } }
int counter() { static int calls = 0; static thread_local int tl = 0; return ++calls + ++tl; }
std::unique_ptr<Session> open_sessions(std::size_t n) {
    auto lam = [n](int k) { return n + k; };
    auto gen = [](auto a, auto b) { return a < b; };
    std::vector<std::shared_ptr<Session>> v;
    for (std::size_t i = 0; i < n; ++i) v.push_back(std::make_shared<Session>("s" + std::to_string(i)));
    std::sort(v.begin(), v.end(), [](auto const& a, auto const& b) { return a->name < b->name; });
    std::function<int(int)> f = lam;
    std::unordered_map<std::string, std::function<void()>> handlers;
    handlers["x"] = [] {};
    struct Local { int v; int get() const { return v; } } loc{3};
    std::ostringstream os; os << loc.get() << gen(1, 2) << gen(1.0, 2.0) << f(1);
    Bag<int, double, std::string> bag; bag.each([&](auto& x) { os << sizeof(x); });
    Fixed<long, 3> fx{}; os << fx.get(0) << twice(2) << twice(2.5) << deduced(3) << flags<1, true>();
    delete make_map<std::string>(); delete make_map<int, long>();
    os << versioned(nullptr, &Session::data == nullptr ? nullptr : nullptr, &Session::open) << hidden("abc") << counter();
    return std::unique_ptr<Session>(new Derived());
}
}
int main() { auto s = leak::open_sessions(3); std::printf("%d\n", s->open()); return 0; }
