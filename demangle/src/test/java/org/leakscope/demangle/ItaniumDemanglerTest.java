package org.leakscope.demangle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Each construct of the Itanium mangling, with what GNU c++filt (binutils 2.40) prints for it, character for
 * character; null where c++filt leaves the name as it is. In order: operator new/delete, nested names, cv and ref
 * qualified members, conversion operators (with a forward template reference), special names (vtable, typeinfo,
 * VTT, construction vtable, guard variable, TLS init/wrapper, reference temporary, thunks, transaction clone),
 * clone suffixes, std:: abbreviations, abi tags, lambdas and unnamed types, local names and discriminators,
 * declarators (function pointers, pointers to members, arrays, cv, vendor qualifiers), literals and expressions
 * in template arguments, packs, and names met in libstdc++, libLLVM, libclang-cpp and g++/mingw programs that
 * needed one of c++filt's particular habits (template parameters resolved where they are printed, '>>' after an
 * empty pack, qualifiers not repeated, 'sr' read the new way first).
 */
class ItaniumDemanglerTest {
    static final String[][] CASES = {
        {"_Znwm",
            "operator new(unsigned long)"},
        {"_Znam",
            "operator new[](unsigned long)"},
        {"_ZdlPv",
            "operator delete(void*)"},
        {"_ZdlPvm",
            "operator delete(void*, unsigned long)"},
        {"_ZdaPv",
            "operator delete[](void*)"},
        {"_ZdaPvm",
            "operator delete[](void*, unsigned long)"},
        {"_ZnwmRKSt9nothrow_t",
            "operator new(unsigned long, std::nothrow_t const&)"},
        {"_ZnwmSt11align_val_t",
            "operator new(unsigned long, std::align_val_t)"},
        {"_ZdlPvmSt11align_val_t",
            "operator delete(void*, unsigned long, std::align_val_t)"},
        {"_ZN7Session4openEv",
            "Session::open()"},
        {"_ZN4leak7SessionC2ENSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE",
            "leak::Session::Session(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char>" +
                " >)"},
        {"_ZN4leak7SessionD0Ev",
            "leak::Session::~Session()"},
        {"_ZNK4leak7Session4openEv",
            "leak::Session::open() const"},
        {"_ZNKR4leak7Session4openEv",
            "leak::Session::open() const &"},
        {"_ZNO4leak7SessionclEi",
            "leak::Session::operator()(int) &&"},
        {"_ZNK4leak7SessioncvbEv",
            "leak::Session::operator bool() const"},
        {"_ZNK4leak7SessioncvPT_IiEEv",
            "leak::Session::operator int*<int>() const"},
        {"_ZN1AIiEcviEv",
            "A<int>::operator int()"},
        {"_ZTVN4leak7SessionE",
            "vtable for leak::Session"},
        {"_ZTIN4leak7SessionE",
            "typeinfo for leak::Session"},
        {"_ZTSN4leak7SessionE",
            "typeinfo name for leak::Session"},
        {"_ZTTN4leak7DerivedE",
            "VTT for leak::Derived"},
        {"_ZTCN4leak7DerivedE0_NS_7SessionE",
            "construction vtable for leak::Session-in-leak::Derived"},
        {"_ZGVZN4leak7counterEvE5calls",
            "guard variable for leak::counter()::calls"},
        {"_ZZN4leak7counterEvE5calls",
            "leak::counter()::calls"},
        {"_ZZN4leak7counterEvE5calls_0",
            "leak::counter()::calls"},
        {"_ZTHZN4leak7counterEvE2tl",
            "TLS init function for leak::counter()::tl"},
        {"_ZTWZN4leak7counterEvE2tl",
            "TLS wrapper function for leak::counter()::tl"},
        {"_ZGR1x",
            "reference temporary #0 for x"},
        {"_ZThn8_N4leak7Derived4openEv",
            "non-virtual thunk to leak::Derived::open()"},
        {"_ZTv0_n24_NK4leak7Derived4openEv",
            "virtual thunk to leak::Derived::open() const"},
        {"_ZTch0_h16_N1A1fEv",
            "covariant return thunk to A::f()"},
        {"_ZGTtNKSt9exception4whatEv",
            "transaction clone for std::exception::what() const"},
        {"_Z5countv.cold",
            "count() [clone .cold]"},
        {"_Z5countv.isra.0",
            "count() [clone .isra.0]"},
        {"_Z5countv.constprop.0",
            "count() [clone .constprop.0]"},
        {"_Z5countv.part.0",
            "count() [clone .part.0]"},
        {"_Z5countv.constprop.0.isra.0",
            "count() [clone .constprop.0] [clone .isra.0]"},
        {"_ZL6hiddenv.cold.12",
            "hidden() [clone .cold.12]"},
        {"_Z1fSa",
            "f(std::allocator)"},
        {"_Z1fSaIcE",
            "f(std::allocator<char>)"},
        {"_Z1fSbIwSt11char_traitsIwESaIwEE",
            "f(std::basic_string<wchar_t, std::char_traits<wchar_t>, std::allocator<wchar_t> >)"},
        {"_Z1fSs",
            "f(std::basic_string<char, std::char_traits<char>, std::allocator<char> >)"},
        {"_Z1fSi",
            "f(std::basic_istream<char, std::char_traits<char> >)"},
        {"_Z1fSo",
            "f(std::basic_ostream<char, std::char_traits<char> >)"},
        {"_Z1fSd",
            "f(std::basic_iostream<char, std::char_traits<char> >)"},
        {"_ZNSsC1Ev",
            "std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string()"},
        {"_ZNSoD0Ev",
            "std::basic_ostream<char, std::char_traits<char> >::~basic_ostream()"},
        {"_ZStlsISt11char_traitsIcEERSt13basic_ostreamIcT_ES5_PKc",
            "std::basic_ostream<char, std::char_traits<char> >& std::operator<< <std::char_traits<char> >(std::ba" +
                "sic_ostream<char, std::char_traits<char> >&, char const*)"},
        {"_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_createERmm",
            "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_create(unsigned " +
                "long&, unsigned long)"},
        {"_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEC1EPKcRKS3_",
            "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string(char c" +
                "onst*, std::allocator<char> const&)"},
        {"_ZN4leak7SessionB5cxx114nameEv",
            "leak::Session[abi:cxx11]::name()"},
        {"_Z6formatB5cxx11v",
            "format[abi:cxx11]()"},
        {"_ZZN4leak13open_sessionsEmENKUliE_clEi",
            "leak::open_sessions(unsigned long)::{lambda(int)#1}::operator()(int) const"},
        {"_ZZN4leak13open_sessionsEmENKUlT_T0_E0_clIiiEEDaS0_S1_",
            "auto leak::open_sessions(unsigned long)::{lambda(auto:1, auto:2)#2}::operator()<int, int>(int, int) " +
                "const"},
        {"_ZZN4leak13open_sessionsEmENKUlvE2_clEv",
            "leak::open_sessions(unsigned long)::{lambda()#4}::operator()() const"},
        {"_ZN4leak1fUt_E",
            "leak::f::{unnamed type#1}"},
        {"_ZN4leak1fUt0_E",
            "leak::f::{unnamed type#2}"},
        {"_ZZN4leak13open_sessionsEmEN5Local3getEv",
            "leak::open_sessions(unsigned long)::Local::get()"},
        {"_ZZ1fvE1x_1",
            "f()::x"},
        {"_ZZ1fvE1x__12_",
            "f()::x"},
        {"_ZZ1fvEs",
            "f()::string literal"},
        {"_Z1fPFviE",
            "f(void (*)(int))"},
        {"_Z1fPFPFivEdE",
            "f(int (*(*)(double))())"},
        {"_Z1fM1AFviE",
            "f(void (A::*)(int))"},
        {"_Z1fM1AKFviE",
            "f(void (A::*)(int) const)"},
        {"_Z1fM1Ai",
            "f(int A::*)"},
        {"_Z1fPA10_i",
            "f(int (*) [10])"},
        {"_Z1fRA10_i",
            "f(int (&) [10])"},
        {"_Z1fRA2_A3_i",
            "f(int (&) [2][3])"},
        {"_Z1fPKc",
            "f(char const*)"},
        {"_Z1fPVKi",
            "f(int const volatile*)"},
        {"_Z1fPrVKi",
            "f(int const volatile restrict*)"},
        {"_Z1fRKS_",
            null},
        {"_Z1fOi",
            "f(int&&)"},
        {"_Z1fDn",
            "f(decltype(nullptr))"},
        {"_Z1fU3fooi",
            "f(int foo)"},
        {"_Z1fz",
            "f(...)"},
        {"_Z1fiz",
            "f(int, ...)"},
        {"_Z1fDv4_f",
            "f(float __vector(4))"},
        {"_Z1fCd",
            "f(double _Complex)"},
        {"_Z1fDF16_",
            "f(_Float16)"},
        {"_Z1fDi",
            "f(char32_t)"},
        {"_Z1fDs",
            "f(char16_t)"},
        {"_Z1fDu",
            "f(char8_t)"},
        {"_Z1fIhLh1EEvv",
            "void f<unsigned char, (unsigned char)1>()"},
        {"_Z1fILb1ELb0EEvv",
            "void f<true, false>()"},
        {"_Z1fILi5ELin5ELj5ELl5ELm5ELx5ELy5EEvv",
            "void f<5, -5, 5u, 5l, 5ul, 5ll, 5ull>()"},
        {"_Z1fILc65ELs3ELa1EEvv",
            "void f<(char)65, (short)3, (signed char)1>()"},
        {"_Z1fILDnEEvv",
            "void f<decltype(nullptr)>()"},
        {"_Z5flagsILh1ELb1EEiv",
            "int flags<(unsigned char)1, true>()"},
        {"_Z1fIiEDTcl1gfp_EET_",
            "decltype (g({parm#1})) f<int>(int)"},
        {"_Z1fIiEvDTplfp_fp_E",
            "void f<int>(decltype ({parm#1}+{parm#1}))"},
        {"_Z1fIiEvPAplT_Li1E_i",
            "void f<int>(int (*) [(int)+(1)])"},
        {"_Z1fIJidEEvDpT_",
            "void f<int, double>(int, double)"},
        {"_Z1fIJEEvDpT_",
            "void f<>()"},
        {"_Z1fIJidEEvT_",
            "void f<int, double>(int)"},
        {"_Z1fIJidEEiDpRT_",
            "int f<int, double>(int&, double&)"},
        {"_Z1fIJidEEvPFvDpT_E",
            "void f<int, double>(void (*)(int, double))"},
        {"_Z1fIiEvRAstT__i",
            "void f<int>(int (&) [sizeof (int)])"},
        {"_Z1fIJicEEvAsZT__i",
            "void f<int, char>(int [2])"},
        {"_Z1fIiEvAszfp__i",
            "void f<int>(int [sizeof {parm#1}])"},
        {"_Z1gIXadL_Z1fIiEvvEEEvv",
            "void g<&(void f<int>())>()"},
        {"_Z1gIL_Z1fIiEvvEEvv",
            "void g<void f<int>()>()"},
        {"_Z1fIiEvT_S0_",
            "void f<int>(int, int)"},
        {"_ZN12_GLOBAL__N_16hiddenERA4_Kc",
            "(anonymous namespace)::hidden(char const (&) [4])"},
        {"_ZNSt6vectorIiSaIiEE9push_backERKi",
            "std::vector<int, std::allocator<int> >::push_back(int const&)"},
        {"_ZNKSt6vectorIiSaIiEE4sizeEv",
            "std::vector<int, std::allocator<int> >::size() const"},
        {"_ZSt4cout",
            "std::cout"},
        {"_ZNSt8ios_base4InitC1Ev",
            "std::ios_base::Init::Init()"},
        {"_ZN9__gnu_cxx13new_allocatorIcE8allocateEmPKv",
            "__gnu_cxx::new_allocator<char>::allocate(unsigned long, void const*)"},
        {"_ZNSt10_HashtableINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEESt4pairIKS5_St8functionIFvvEEE" +
                "SaISB_ENSt8__detail10_Select1stESt8equal_toIS5_ESt4hashIS5_ENSD_18_Mod_range_hashingENSD_20_Default_" +
                "ranged_hashENSD_20_Prime_rehash_policyENSD_17_Hashtable_traitsILb1ELb0ELb1EEEE9_M_rehashEmRKm",
            "std::_Hashtable<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >, std" +
                "::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, std::f" +
                "unction<void ()> >, std::allocator<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>" +
                ", std::allocator<char> > const, std::function<void ()> > >, std::__detail::_Select1st, std::equal_to" +
                "<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >, std::hash<std::_" +
                "_cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >, std::__detail::_Mod_ran" +
                "ge_hashing, std::__detail::_Default_ranged_hash, std::__detail::_Prime_rehash_policy, std::__detail:" +
                ":_Hashtable_traits<true, false, true> >::_M_rehash(unsigned long, unsigned long const&)"},
        {"_ZN4leak1vIiEE",
            "leak::v<int>"},
        {"_ZN4leak4BaseIiE3getIcEET_v",
            "char leak::Base<int>::get<char>()"},
        {"_ZNKSt5ctypeIcE8do_widenEc",
            "std::ctype<char>::do_widen(char) const"},
        {"_ZN1AIiEC2Ev",
            "A<int>::A()"},
        {"_ZN1AIiED2Ev",
            "A<int>::~A()"},
        {"_ZN1AD9Ev",
            null},
        {"_Z1fILi1EEvRAT__i",
            "void f<1>(int (&) [1])"},
        {"_ZN1AIiEixEi",
            "A<int>::operator[](int)"},
        {"_ZN1AltIiEEbRKS_",
            "bool A::operator< <int>(A const&)"},
        {"_ZN1AlsEi",
            "A::operator<<(int)"},
        {"_ZN1AcvPFivEEv",
            "A::operator int (*)()()"},
        {"_Z1fPDoFvvE",
            "f(void (*)() noexcept)"},
        {"_Z1fli",
            "f(long, int)"},
        {"_ZN1AaSERKS_",
            "A::operator=(A const&)"},
        {"_ZN1AppEv",
            "A::operator++()"},
        {"_ZN1AppEi",
            "A::operator++(int)"},
        {"_ZN1AdeEv",
            "A::operator*()"},
        {"_ZN1AnwEm",
            "A::operator new(unsigned long)"},
        {"_ZN1AdaEPv",
            "A::operator delete[](void*)"},
        {"_ZNK1AssERKS_",
            "A::operator<=>(A const&) const"},
        {"_Z1fIiEvu8__uuidof",
            "void f<int>(__uuidof)"},
        {"_Z3fooILi2EEvRAplT_Li1E_i",
            "void foo<2>(int (&) [(2)+(1)])"},
        {"_Z1fIiEvPAqugtT_Li0ELi1ELi2E_i",
            "void f<int>(int (*) [(((int)>(0)))?(1) : (2)])"},
        {"_Z1fIiEvPAcvjT__i",
            "void f<int>(int (*) [(unsigned int)(int)])"},
        {"_Z1fIiEvDTcvjfp_E",
            "void f<int>(decltype ((unsigned int){parm#1}))"},
        {"_Z1fIiEvDtdtfp_1xE",
            "void f<int>(decltype ({parm#1}.x))"},
        {"_Z1fIiEvDTptfp_1xE",
            "void f<int>(decltype ({parm#1}->x))"},
        {"_Z1fIiEvDTsrT_1xE",
            "void f<int>(decltype (int::x))"},
        {"_Z1fIiEvDTsrNT_1AE1xE",
            "void f<int>(decltype (int::A::x))"},
        {"_Z1fIiEvDTscjfp_E",
            "void f<int>(decltype (static_cast<unsigned int>({parm#1})))"},
        {"_Z1fIiEvDTngfp_E",
            "void f<int>(decltype (-{parm#1}))"},
        {"_Z1fIiEvDTixfp_Li0EE",
            "void f<int>(decltype ({parm#1}[0]))"},
        {"_Z1fIiEvDTtlT_EE",
            "void f<int>(decltype (int{}))"},
        {"_Z1fIiEvDTilLi1ELi2EEE",
            "void f<int>(decltype ({1, 2}))"},
        {"_Z1fIiEvDTnxfp_E",
            null},
        {"_Z1fIiEvDTppfp_E",
            "void f<int>(decltype ({parm#1}++))"},
        {"_Z1fIiEvDTpp_fp_E",
            "void f<int>(decltype (++{parm#1}))"},
        {"_Z1fIiEvDTcmfp_fp_E",
            "void f<int>(decltype ({parm#1},{parm#1}))"},
        {"_ZSt11__addressofIZSt9call_onceIMSt6threadFvvEJPS1_EEvRSt9once_flagOT_DpOT0_EUlvE_EPS7_RS7_",
            "std::call_once<void (std::thread::*)(), std::thread*>(std::once_flag&, void (std::thread::*&&)(), st" +
                "d::thread*&&)::{lambda()#1}* std::__addressof<std::call_once<void (std::thread::*)(), std::thread*>(" +
                "std::once_flag&, void (std::thread::*&&)(), std::thread*&&)::{lambda()#1}>(void (std::thread::*&)())"},
        {"_ZSt12__get_helperILm1ESt14default_deleteIiEJEERT0_RSt11_Tuple_implIXT_EJS2_DpT1_EE",
            "std::default_delete<int>& std::__get_helper<1ul, std::default_delete<int>>(std::_Tuple_impl<1ul, std" +
                "::default_delete<int>>&)"},
        {"_ZSt10make_tupleIJiSt17basic_string_viewIcSt11char_traitsIcEEdEESt5tupleIJDpNSt25__strip_reference_w" +
                "rapperINSt5decayIT_E4typeEE6__typeEEEDpOS7_",
            "std::tuple<std::__strip_reference_wrapper<std::decay<int>::type>::__type, std::__strip_reference_wra" +
                "pper<std::decay<std::basic_string_view<char, std::char_traits<char> > >::type>::__type, std::__strip" +
                "_reference_wrapper<std::decay<double>::type>::__type> std::make_tuple<int, std::basic_string_view<ch" +
                "ar, std::char_traits<char> >, double>(int&&, std::basic_string_view<char, std::char_traits<char> >&&" +
                ", double&&)"},
        {"_ZNSt15__uniq_ptr_dataINSt6thread6_StateESt14default_deleteIS1_ELb1ELb1EECI1St15__uniq_ptr_implIS1_S" +
                "3_EEPS1_",
            "std::__uniq_ptr_data<std::thread::_State, std::default_delete<std::thread::_State>, true, true>::__u" +
                "niq_ptr_impl(std::thread::_State*)"},
        {"_ZN4llvm10checkedAddIiEENSt9enable_ifIXsr3stdE11is_signed_vIT_EESt8optionalIS2_EE4typeES2_S2_",
            "std::enable_if<std::is_signed_v<int>, std::optional<int> >::type llvm::checkedAdd<int>(int, int)"},
        {"_ZNSt6chrono13duration_castINS_8durationIlSt5ratioILl1ELl1000EEEElS2_ILl1ELl1EEEENSt9enable_ifIXsrNS" +
                "_13__is_durationIT_EE5valueES8_E4typeERKNS1_IT0_T1_EE",
            "std::enable_if<std::chrono::__is_duration<std::chrono::duration<long, std::ratio<1l, 1000l> > >::val" +
                "ue, std::chrono::duration<long, std::ratio<1l, 1000l> > >::type std::chrono::duration_cast<std::chro" +
                "no::duration<long, std::ratio<1l, 1000l> >, long, std::ratio<1l, 1l> >(std::chrono::duration<long, s" +
                "td::ratio<1l, 1l> > const&)"},
        {"_ZN5clang9FieldDecl25setLazyInClassInitializerENS_13LazyOffsetPtrINS_4StmtEmXadL_ZNS_17ExternalASTSo" +
                "urce19GetExternalDeclStmtEmEEEE",
            "clang::FieldDecl::setLazyInClassInitializer(clang::LazyOffsetPtr<clang::Stmt, unsigned long, &clang:" +
                ":ExternalASTSource::GetExternalDeclStmt>)"},
        {"_ZSt7forwardIOZ4mainEUlOT_E0_ES1_RNSt16remove_referenceIS0_E4typeE",
            "main::{lambda(auto:1&&)#2}&& std::forward<main::{lambda(auto:1&&)#2}&&>(std::remove_reference<main::" +
                "{lambda(auto:1&&)#2}&&>::type&)"},
        {"_ZSt9use_facetIKSt5ctypeIcEERKT_RKSt6locale",
            "std::ctype<char> const& std::use_facet<std::ctype<char> const>(std::locale const&)"},
        {"_ZSt16__insertion_sortIN9__gnu_cxx17__normal_iteratorIPSt10shared_ptrIN4leak7SessionEESt6vectorIS5_S" +
                "aIS5_EEEENS0_5__ops15_Iter_comp_iterIZNS3_13open_sessionsEyEUlRKT_RKT0_E1_EEEvSD_SD_SG_",
            "void std::__insertion_sort<__gnu_cxx::__normal_iterator<std::shared_ptr<leak::Session>*, std::vector" +
                "<std::shared_ptr<leak::Session>, std::allocator<std::shared_ptr<leak::Session> > > >, __gnu_cxx::__o" +
                "ps::_Iter_comp_iter<leak::open_sessions(unsigned long long)::{lambda(auto:1 const&, auto:2 const&)#3" +
                "}> >(__gnu_cxx::__normal_iterator<std::shared_ptr<leak::Session>*, std::vector<std::shared_ptr<leak:" +
                ":Session>, std::allocator<std::shared_ptr<leak::Session> > > >, __gnu_cxx::__normal_iterator<std::sh" +
                "ared_ptr<leak::Session>*, std::vector<std::shared_ptr<leak::Session>, std::allocator<std::shared_ptr" +
                "<leak::Session> > > >, __gnu_cxx::__ops::_Iter_comp_iter<leak::open_sessions(unsigned long long)::{l" +
                "ambda(auto:1 const&, auto:2 const&)#3}>)"},
        {"_ZZNSt8__detail18__to_chars_10_implIyEEvPcjT_E8__digits",
            "std::__detail::__to_chars_10_impl<unsigned long long>(char*, unsigned int, unsigned long long)::__di" +
                "gits"},
        {"_ZNSt17_Function_handlerIFiiEZN4leak13open_sessionsEyEUliE_E10_M_managerERSt9_Any_dataRKS4_St18_Mana" +
                "ger_operation",
            "std::_Function_handler<int (int), leak::open_sessions(unsigned long long)::{lambda(int)#1}>::_M_mana" +
                "ger(std::_Any_data&, std::_Any_data const&, std::_Manager_operation)"},
        {"_Z3foo",
            "foo"},
        {"_Z3foo.cold",
            null},
        {"_ZGR1x_",
            null},
        {"not_mangled",
            null},
        {"_Z",
            null},
        {"_Z1",
            null},
        {"_ZN1AC1Ev",
            "A::A()"},
        {"_ZN1fUt_E",
            "f::{unnamed type#1}"},
        // a constructor is named after the last source name (not an unnamed type's); a separator before an
        // empty pack in the middle of a list stays
        {"_ZN6icu_726number4impl10MicroPropsUt_D1Ev",
            "icu_72::number::impl::MicroProps::{unnamed type#1}::~MicroProps()"},
        {"_ZN1AIN1B1CEEC1Ev",
            "A<B::C>::A()"},
        {"_ZN5clang6interp15ByteCodeEmitter6emitOpIJEEEbNS0_6OpcodeEDpRKT_RKNS0_10SourceInfoE",
            "bool clang::interp::ByteCodeEmitter::emitOp<>(clang::interp::Opcode, , clang::interp::SourceInfo " +
                "const&)"},
    };

    static Stream<Arguments> cases() {
        return Arrays.stream(CASES).map(c -> Arguments.of(c[0], c[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsWhatCxxfiltPrints(String mangled, String expected) {
        assertEquals(expected, Demangler.demangle(mangled));
        assertEquals(expected == null ? mangled : expected, Demangler.readable(mangled));
    }

    @Test
    void theIssuesTwoNames() {
        assertEquals("operator new(unsigned long)", Demangler.demangle("_Znwm"));
        assertEquals("Session::open()", Demangler.demangle("_ZN7Session4openEv"));
    }

    /** 32-bit mingw (and Mach-O) put one more underscore before every symbol; c++filt -_ strips it. */
    @Test
    void anExtraLeadingUnderscore() {
        assertEquals("operator new(unsigned int)", Demangler.demangle("__Znwj"));
        assertEquals("Session::open()", Demangler.demangle("__ZN7Session4openEv"));
        assertEquals("leak::Session::open() const &", Demangler.demangle("__ZNKR4leak7Session4openEv"));
        assertNull(Demangler.demangle("___ZN7Session4openEv"));
    }

    @Test
    void notItaniumNames() {
        assertNull(Demangler.demangle(null));
        assertNull(Demangler.demangle(""));
        assertNull(Demangler.demangle("main"));
        assertNull(Demangler.demangle("_GLOBAL__sub_I_main"));
        assertEquals("open_sessions", Demangler.readable("open_sessions"));
    }

    /** S_ and S0_ are the earlier parts themselves, in the order the ABI counts them. */
    @Test
    void substitutionCandidatesInOrder() {
        assertEquals(java.util.List.of("std::vector", "std::allocator<int>", "std::vector<int, std::allocator<int> >",
                "std::vector<int, std::allocator<int> > const", "std::vector<int, std::allocator<int> > const&"),
                ItaniumParser.substitutions("_Z1fRKSt6vectorIiSaIiEES3_"));
    }
}
