package org.leakscope.demangle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One name per construct of the MSVC scheme. The full form is what llvm-undname 14 printed for each name (copied
 * from its output); the short form is that text without access, calling conventions, return types, tag keywords,
 * variable types and {@code void} of an empty parameter list.
 */
class MsvcDemanglerTest {
    private static final String[][] CASES = {
            {"?Insert@LeakyCache@@QEAAXAEBVKey@@$$QEAVValue@@@Z",
             "public: void __cdecl LeakyCache::Insert(class Key const &, class Value &&)",
             "LeakyCache::Insert(Key const &, Value &&)"},
            {"??2@YAPEAX_K@Z",
             "void * __cdecl operator new(unsigned __int64)",
             "operator new(unsigned __int64)"},
            {"??3@YAXPEAX_K@Z",
             "void __cdecl operator delete(void *, unsigned __int64)",
             "operator delete(void *, unsigned __int64)"},
            {"??_U@YAPEAX_K@Z",
             "void * __cdecl operator new[](unsigned __int64)",
             "operator new[](unsigned __int64)"},
            {"??_V@YAXPEAX@Z",
             "void __cdecl operator delete[](void *)",
             "operator delete[](void *)"},
            {"??0Session@@QEAA@XZ",
             "public: __cdecl Session::Session(void)",
             "Session::Session()"},
            {"??1Session@@UEAA@XZ",
             "public: virtual __cdecl Session::~Session(void)",
             "Session::~Session()"},
            {"??_7Session@@6B@",
             "const Session::`vftable'",
             "const Session::`vftable'"},
            {"??_7Derived@@6BBase@@@",
             "const Derived::`vftable'{for `Base'}",
             "const Derived::`vftable'{for `Base'}"},
            {"??_R0?AVSession@@@8",
             "class Session `RTTI Type Descriptor'",
             "Session `RTTI Type Descriptor'"},
            {"??_R1A@?0A@EA@Session@@8",
             "Session::`RTTI Base Class Descriptor at (0, -1, 0, 64)'",
             "Session::`RTTI Base Class Descriptor at (0, -1, 0, 64)'"},
            {"??_R2Session@@8",
             "Session::`RTTI Base Class Array'",
             "Session::`RTTI Base Class Array'"},
            {"??_R3Session@@8",
             "Session::`RTTI Class Hierarchy Descriptor'",
             "Session::`RTTI Class Hierarchy Descriptor'"},
            {"??_R4Session@@6B@",
             "const Session::`RTTI Complete Object Locator'",
             "const Session::`RTTI Complete Object Locator'"},
            {"??_ESession@@UEAAPEAXI@Z",
             "public: virtual void * __cdecl Session::`vector deleting dtor'(unsigned int)",
             "Session::`vector deleting dtor'(unsigned int)"},
            {"??_GSession@@UAEPAXI@Z",
             "public: virtual void * __thiscall Session::`scalar deleting dtor'(unsigned int)",
             "Session::`scalar deleting dtor'(unsigned int)"},
            {"??$make_shared@VSession@@$$V@std@@YA?AV?$shared_ptr@VSession@@@0@XZ",
             "class std::shared_ptr<class Session> __cdecl std::make_shared<class Session>(void)",
             "std::make_shared<Session>()"},
            {"?push_back@?$vector@HV?$allocator@H@std@@@std@@QEAAXAEBH@Z",
             "public: void __cdecl std::vector<int, class std::allocator<int>>::push_back(int const &)",
             "std::vector<int, std::allocator<int>>::push_back(int const &)"},
            {"?f@@YAXVKey@@0@Z",
             "void __cdecl f(class Key, class Key)",
             "f(Key, Key)"},
            {"?open_sessions@?A0x3f2a1b4c@@YAXXZ",
             "void __cdecl `anonymous namespace'::open_sessions(void)",
             "`anonymous namespace'::open_sessions()"},
            {"?count@?1??open_sessions@@YAHXZ@4HA",
             "int `int __cdecl open_sessions(void)'::`2'::count",
             "`open_sessions()'::`2'::count"},
            {"?f@@YAXPEBD@Z",
             "void __cdecl f(char const *)",
             "f(char const *)"},
            {"?f@@YAXQEAH@Z",
             "void __cdecl f(int *const)",
             "f(int *const)"},
            {"?f@@YAXAEAH@Z",
             "void __cdecl f(int &)",
             "f(int &)"},
            {"?f@@YAX$$QEAH@Z",
             "void __cdecl f(int &&)",
             "f(int &&)"},
            {"?f@@YAXP6AXH@Z@Z",
             "void __cdecl f(void (__cdecl *)(int))",
             "f(void (*)(int))"},
            {"?f@@YAXP8Session@@EAAXH@Z@Z",
             "void __cdecl f(void (__cdecl Session::*)(int))",
             "f(void (Session::*)(int))"},
            {"?m@@3PEQSession@@HEQ1@",
             "int Session::*m",
             "m"},
            {"?f@@YAXPEAY02H@Z",
             "void __cdecl f(int (*)[3])",
             "f(int (*)[3])"},
            {"??$apply@$$A6AXH@Z@@YAXP6AXH@Z@Z",
             "void __cdecl apply<void __cdecl(int)>(void (__cdecl *)(int))",
             "apply<void (int)>(void (*)(int))"},
            {"?x@@3HA",
             "int x",
             "x"},
            {"?s_count@Session@@2HA",
             "public: static int Session::s_count",
             "Session::s_count"},
            {"??_C@_0M@KPLPPDAC@Hello?5world?$AA@",
             "\"Hello world\"",
             "\"Hello world\""},
            {"??_C@_1M@OPIHOOPI@?$AAm?$AAs?$AA?9?$AAm?$AAy?$AA?$AA@",
             "L\"ms-my\"",
             "L\"ms-my\""},
            {"??@a6a285da2eea70dba6b578022be61d81@",
             "??@a6a285da2eea70dba6b578022be61d81@",
             "??@a6a285da2eea70dba6b578022be61d81@"},
            {"?Open@Session@@QAEHPBD@Z",
             "public: int __thiscall Session::Open(char const *)",
             "Session::Open(char const *)"},
            {"?WinMain@@YGHPAUHINSTANCE__@@0PADH@Z",
             "int __stdcall WinMain(struct HINSTANCE__*, struct HINSTANCE__*, char *, int)",
             "WinMain(HINSTANCE__*, HINSTANCE__*, char *, int)"},
            {"??BSession@@QEBA_NXZ",
             "public: bool __cdecl Session::operator bool(void) const",
             "Session::operator bool() const"},
            {"??4Session@@QEAAAEAV0@AEBV0@@Z",
             "public: class Session & __cdecl Session::operator=(class Session const &)",
             "Session::operator=(Session const &)"},
            {"??$f@$0BA@@@YAXXZ",
             "void __cdecl f<16>(void)",
             "f<16>()"},
            {"?f@@$$J0YAXXZ",
             "extern \"C\" void __cdecl f(void)",
             "f()"},
            {"??__E?x@C@@2HA@@YAXXZ",
             "void __cdecl `dynamic initializer for `public: static int C::x''(void)",
             "`dynamic initializer for `C::x''()"},
            {"?f@C@@W7AEXXZ",
             "[thunk]: public: virtual void __thiscall C::f`adjustor{8}'(void)",
             "[thunk]: C::f`adjustor{8}'()"},
    };

    static Stream<Arguments> cases() {
        return Arrays.stream(CASES).map(c -> Arguments.of(c[0], c[1], c[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fullFormIsLlvmUndnames(String mangled, String full, String brief) {
        assertEquals(full, MsvcDemangler.demangleFull(mangled));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shortFormIsWhatDemanglerReturns(String mangled, String full, String brief) {
        assertEquals(brief, MsvcDemangler.demangle(mangled));
        assertEquals(brief, Demangler.demangle(mangled));
    }

    @Test
    void backReferencesReuseNamesAndParameterTypes() {
        // 0 = the first name memorized (Key), 1 = the second; parameter 0 = the first multi-letter type
        assertEquals("void __cdecl ns::f(class ns::Key, class ns::Key)",
                MsvcDemangler.demangleFull("?f@ns@@YAXVKey@1@0@Z"));
        assertEquals("void __cdecl f(class Key const &, class Key const &)",
                MsvcDemangler.demangleFull("?f@@YAXAEBVKey@@0@Z"));
        // a back-referenced template keeps its arguments, and the short form drops their tag keywords too
        assertEquals("Box<Item>::operator=(Box<Item> &&)",
                MsvcDemangler.demangle("??4?$Box@UItem@@@@QEAAAEAV0@$$QEAV0@@Z"));
    }

    @Test
    void localScopeFunctionPrintsInTheSameForm() {
        assertEquals("`open_sessions()'::`2'::count", MsvcDemangler.demangle("?count@?1??open_sessions@@YAHXZ@4HA"));
    }

    /** Numbers past 32 and 64 bits print as llvm-undname prints them (its fields of 32 bits wrap). */
    @Test
    void numbersWrapAsLlvmUndnamePrintsThem() {
        assertEquals("Foo::`RTTI Base Class Descriptor at (4294967295, 1, 4294967295, 0)'",
                MsvcDemangler.demangleFull("??_R1PPPPPPPPPPPPPPPP@?PPPPPPPPP@PPPPPPPPPP@BAAAAAAAA@Foo@@8"));
        assertEquals("[thunk]: public: virtual void __thiscall C::f`adjustor{0}'(void)",
                MsvcDemangler.demangleFull("?f@C@@W?BAAAAAAAA@AEXXZ"));
        assertEquals("[thunk]: __thiscall C::`vcall'{18446744073709551615, {flat}}",
                MsvcDemangler.demangleFull("??_9C@@$BPPPPPPPPPPPPPPPP@AE"));
        assertEquals("`void __cdecl f(void)'::`2'::`local static guard'",
                MsvcDemangler.demangleFull("??_B?1??f@@YAXXZ@5BAAAAAAAA@"));
        assertEquals("void __cdecl f<-18446744073709551615>(void)",
                MsvcDemangler.demangleFull("??$f@$0?PPPPPPPPPPPPPPPP@@@YAXXZ"));
        assertEquals("void __cdecl f(int (*)[18446744073709551615])",
                MsvcDemangler.demangleFull("?f@@YAXPAY0PPPPPPPPPPPPPPPP@H@Z"));
    }

    @Test
    void arm64ecMarkerIsSkippedWhereLlvmUndname14RefusesTheName() {
        assertEquals("void __cdecl f(void)", MsvcDemangler.demangleFull("?f@@$$hYAXXZ"));
        assertEquals("Session::Session()", Demangler.demangle("??0Session@@$$hQEAA@XZ"));
        assertEquals("Session::open()", Demangler.demangle("?open@Session@@$$hQEAAXXZ"));
    }

    @Test
    void trailingTextAfterACompleteSymbolIsIgnoredAsLlvmUndnameDoes() {
        assertEquals("int x", MsvcDemangler.demangleFull("?x@@3HAjunk"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"?", "??", "?f", "?f@", "?f@@", "?f@@Y", "?f@@YAX", "?f@@YAXH", "?f@@YAX1@Z",
        "?f@@YAX9@Z", "??_C@_0", "??_C@_1A@X@?$AA@", "?x@@3", "??@abc", "?f@@YAXPAY0A@@Z", "?f@@YAX_X@Z",
        "?$f@H@@", "?f@@YA?$", "??0@QAE@XZ"})
    void malformedNamesGiveNull(String mangled) {
        assertNull(MsvcDemangler.demangleFull(mangled));
        assertNull(MsvcDemangler.demangle(mangled));
    }

    @Test
    void demanglerDispatchesOnlyQuestionMarkNamesHere() {
        assertNull(Demangler.demangle("Insert@LeakyCache@@QEAAXAEBVKey@@$$QEAVValue@@@Z"));
        assertEquals("?bogus", Demangler.readable("?bogus"));
        assertEquals("Session::open()", Demangler.readable("?open@Session@@QEAAXXZ"));
    }
}
