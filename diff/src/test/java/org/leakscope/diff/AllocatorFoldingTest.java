package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Frame;

/** The shared fold list on C++ stacks as g++ -O0 builds them and c++filt names them. */
class AllocatorFoldingTest {
    private static final AllocatorFolding DEFAULTS = AllocatorFolding.defaults();

    private static Frame fn(String module, String function) {
        return new Frame(0x1000, module, 0x10L, function, 0x1cL, null, null);
    }

    private static Frame mangled(String module, String readable, String mangled) {
        return new Frame(0x1000, module, 0x10L, readable, 0x1cL, null, null, mangled);
    }

    /** A std::vector<int>::push_back that grows, from Session's constructor: libstdc++'s -O0 chain. */
    private static final List<Frame> VECTOR_GROWS = List.of(
            fn("libc.so.6", "malloc"),
            mangled("libstdc++.so.6", "operator new(unsigned long)", "_Znwm"),
            fn("app", "std::__new_allocator<int>::allocate(unsigned long, void const*)"),
            fn("app", "std::allocator_traits<std::allocator<int> >::allocate(std::allocator<int>&, unsigned long)"),
            fn("app", "std::_Vector_base<int, std::allocator<int> >::_M_allocate(unsigned long)"),
            fn("app", "void std::vector<int, std::allocator<int> >::_M_realloc_insert<int>(__gnu_cxx::"
                    + "__normal_iterator<int*, std::vector<int, std::allocator<int> > >, int&&)"),
            fn("app", "std::vector<int, std::allocator<int> >::push_back(int&&)"),
            fn("app", "Session::Session()"),
            fn("app", "open_sessions()"),
            fn("app", "main"));

    @Test
    void aVectorThatGrowsBelongsToTheFunctionThatGrewIt() {
        Attribution a = DEFAULTS.attribute(VECTOR_GROWS);
        assertEquals("Session::Session()", a.site().function());
        assertEquals(7, a.folded().size());
        assertEquals("malloc", a.folded().get(0).function());
        assertEquals("std::vector<int, std::allocator<int> >::push_back(int&&)", a.called().function());
    }

    @Test
    void stringMapSharedPtrAndArrayChainsFold() {
        assertEquals("open_sessions()", DEFAULTS.attribute(List.of(
                mangled("libstdc++.so.6", "operator new(unsigned long)", "_Znwm"),
                fn("libstdc++.so.6", "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"
                        + "::_M_create(unsigned long&, unsigned long)"),
                fn("libstdc++.so.6", "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"
                        + "::_M_construct(unsigned long, char)"),
                fn("app", "open_sessions()"))).site().function());
        assertEquals("open_sessions()", DEFAULTS.attribute(List.of(
                mangled("libstdc++.so.6", "operator new(unsigned long)", "_Znwm"),
                fn("app", "std::__new_allocator<std::_Rb_tree_node<std::pair<int const, int> > >::allocate("
                        + "unsigned long, void const*)"),
                fn("app", "std::_Rb_tree<int, std::pair<int const, int>, std::_Select1st<std::pair<int const, int> >,"
                        + " std::less<int>, std::allocator<std::pair<int const, int> > >::_M_get_node()"),
                fn("app", "std::map<int, int, std::less<int>, std::allocator<std::pair<int const, int> > >"
                        + "::operator[](int&&)"),
                fn("app", "open_sessions()"))).site().function());
        assertEquals("open_sessions()", DEFAULTS.attribute(List.of(
                mangled("libstdc++.so.6", "operator new(unsigned long)", "_Znwm"),
                fn("app", "std::__allocated_ptr<std::allocator<std::_Sp_counted_ptr_inplace<Node, std::allocator<void>,"
                        + " (__gnu_cxx::_Lock_policy)2> > > std::__allocate_guarded<std::allocator<std::"
                        + "_Sp_counted_ptr_inplace<Node, std::allocator<void>, (__gnu_cxx::_Lock_policy)2> > >("
                        + "std::allocator<std::_Sp_counted_ptr_inplace<Node, std::allocator<void>, "
                        + "(__gnu_cxx::_Lock_policy)2> >&)"),
                fn("app", "std::__shared_count<(__gnu_cxx::_Lock_policy)2>::__shared_count<Node, std::allocator<void>>"
                        + "(Node*&, std::_Sp_alloc_shared_tag<std::allocator<void> >)"),
                fn("app", "std::shared_ptr<std::enable_if<!std::is_array<Node>::value, Node>::type> "
                        + "std::make_shared<Node>()"),
                fn("app", "open_sessions()"))).site().function());
        assertEquals("open_sessions()", DEFAULTS.attribute(List.of(
                mangled("libstdc++.so.6", "operator new[](unsigned long)", "_Znam"),
                fn("app", "open_sessions()"))).site().function());
    }

    @Test
    void msvcNamesFoldAfterUndname() {
        assertEquals("Session::open", DEFAULTS.attribute(List.of(
                mangled("app.exe", "void * __ptr64 __cdecl operator new(unsigned __int64)", "??2@YAPEAX_K@Z"),
                fn("app.exe", "std::_Default_allocate_traits::_Allocate"),
                fn("app.exe", "std::_Allocate<16,std::_Default_allocate_traits,0>"),
                fn("app.exe", "std::allocator<int>::allocate"),
                fn("app.exe", "public: int * __ptr64 __cdecl std::vector<int,class std::allocator<int> >"
                        + "::_Emplace_reallocate<int const & __ptr64>(int * __ptr64 const,int const & __ptr64)"),
                fn("app.exe", "Session::open"))).site().function());
    }

    @Test
    void aUserMethodNamedLikeAContainersIsNotFolded() {
        Frame userPushBack = fn("app", "MyQueue::push_back(int)");
        assertFalse(DEFAULTS.isAllocator(userPushBack));
        // a template function that returns a std type: the demangled name starts with it
        assertFalse(DEFAULTS.isAllocator(fn("app", "std::vector<int, std::allocator<int> > Pool::push_back<int>(int)")));
        assertFalse(DEFAULTS.isAllocator(fn("app", "mystd::vector<int>::push_back(int const&)")));
        assertFalse(DEFAULTS.isAllocator(fn("app", "Arena::allocate(unsigned long)")));
        Attribution a = DEFAULTS.attribute(List.of(
                mangled("libstdc++.so.6", "operator new(unsigned long)", "_Znwm"),
                userPushBack, fn("app", "main")));
        assertEquals("MyQueue::push_back(int)", a.site().function());
        assertEquals("operator new(unsigned long)", a.called().function());
    }

    @Test
    void runtimeModulesFoldFramesWithoutSymbols() {
        Frame noSymbol = new Frame(0x7f00, "libstdc++.so.6", 0x9a8bL, null, null, null, null);
        Frame user = new Frame(0x5500, "app", 0x1234L, null, null, null, null);
        assertEquals(user, DEFAULTS.attribute(List.of(noSymbol, user)).site());
        assertTrue(DEFAULTS.isAllocatorModule("libstdc++-6.dll"));
        assertTrue(DEFAULTS.isAllocatorModule("MSVCP140.dll"));
        assertTrue(DEFAULTS.isAllocatorModule("libc++abi.so.1"));
        assertFalse(DEFAULTS.isAllocatorModule("libcrypto.so.3"));
    }

    @Test
    void theMangledNameFoldsWhenNothingDemangledIt() {
        // a symbol file's own name, not demangled: operator new(unsigned long) of the Itanium ABI
        assertTrue(DEFAULTS.isAllocator(fn("libstdc++.so.6", "_Znwm")));
        assertTrue(DEFAULTS.isAllocator(fn("winleak.exe", "_ZnwmRKSt9nothrow_t")));
        assertFalse(DEFAULTS.isAllocator(fn("app", "_ZN7Session4openEv")));
    }

    @Test
    void foldExtendsAndNoneKeepsEveryFrame() {
        List<Frame> stack = List.of(fn("app", "Pool::grab(unsigned long)"), fn("app", "Cache::fill()"));
        assertEquals("Pool::grab(unsigned long)", DEFAULTS.attribute(stack).site().function());
        assertEquals("Cache::fill()", DEFAULTS.plus(List.of("Pool::grab")).attribute(stack).site().function());
        assertEquals("Cache::fill()", DEFAULTS.plus(List.of("app!pool::*")).attribute(stack).site().function());
        assertEquals("malloc", AllocatorFolding.none().attribute(VECTOR_GROWS).site().function());
        assertNull(AllocatorFolding.none().attribute(VECTOR_GROWS).called());
    }

    @Test
    void theNameTheGlobsSee() {
        assertEquals("std::vector<int, std::allocator<int> >::_M_realloc_insert<int>", AllocatorFolding.matchName(
                "void std::vector<int, std::allocator<int> >::_M_realloc_insert<int>(__gnu_cxx::__normal_iterator<"
                        + "int*, std::vector<int, std::allocator<int> > >, int&&)"));
        assertEquals("operator new", AllocatorFolding.matchName("void * __cdecl operator new(unsigned __int64)"));
        assertEquals("operator new[]", AllocatorFolding.matchName("operator new[](unsigned long)"));
        assertEquals("std::operator<< <std::char_traits<char> >", AllocatorFolding.matchName(
                "std::basic_ostream<char, std::char_traits<char> >& std::operator<< <std::char_traits<char> >("
                        + "std::basic_ostream<char, std::char_traits<char> >&, char const*)"));
        assertEquals("(anonymous namespace)::grow", AllocatorFolding.matchName("(anonymous namespace)::grow(int)"));
        assertEquals("Foo::operator()", AllocatorFolding.matchName("Foo::operator()(int) const"));
        assertEquals("malloc", AllocatorFolding.matchName("malloc"));
        assertEquals("Session::open", AllocatorFolding.matchName("Session::open() [clone .cold]"));
    }
}
