package org.leakscope.demangle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Demangler#demangleLikeMozilla}: public names of moz_basic32-min.pdb and the text mozilla's dump_syms
 * (msvc-demangler-rs) wrote for them into moz_basic32-min.sym, one name per rule in which that crate's spelling
 * differs from the short form. (The whole PDB is checked by the symbols module's MozillaGoldenTest.)
 */
class MsvcMozillaFormTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // no space before * and &, a space before a qualifier after them, > > between closing templates
            "?test6@@YAXQBNABV?$basic_string@DU?$char_traits@D@std@@V?$allocator@D@2@@std@@$$QAV12@@Z"
                    + "|test6(double const* const, std::basic_string<char, std::char_traits<char>,"
                    + " std::allocator<char> > const&, std::basic_string<char, std::char_traits<char>,"
                    + " std::allocator<char> >&&)",
            // a pointer to an array of pointers: "double* (* const)[...]"
            "?test_array@@YAHQADQAY0CC@HQAY1CC@DI@V?$basic_string@DU?$char_traits@D@std@@V?$allocator@D@2@@std@@"
                    + "QAY2CC@DI@EO@PAN@Z|test_array(char* const, int (* const)[34], std::basic_string<char,"
                    + " std::char_traits<char>, std::allocator<char> > (* const)[34][56], double* (* const)"
                    + "[34][56][78])",
            // sized integers by their <stdint.h> names
            "?make_big_integer@__crt_strtox@@YA?AUbig_integer@1@_K@Z|__crt_strtox::make_big_integer(uint64_t)",
            // void in an empty parameter list
            "??0A@@QAE@XZ|A::A(void)",
            // special members spelled out
            "??_Gbad_exception@std@@UAEPAXI@Z|std::bad_exception::`scalar deleting destructor'(unsigned int)",
            // the return type's second half stays when its first half is left out
            "?value@?$dual_state_global@P6AHI@Z@__crt_state_management@@QAEAAP6AHI@ZXZ"
                    + "|__crt_state_management::dual_state_global<int (*)(unsigned int)>::value(void))(unsigned int)",
            // a conversion operator template is "operatorcast", a constructor template "ctor"
            "??$?B$$A6AXXZ@__crt_fast_encoded_nullptr_t@@QBEP6AXXZXZ"
                    + "|__crt_fast_encoded_nullptr_t::operatorcast<void (void)>(void) const)(void)",
            "??$?0ABV?$stream_output_adapter@D@__crt_stdio_output@@AB_KABQBDABQAU__crt_locale_pointers@@ABQAD@"
                    + "?$standard_base@DV?$stream_output_adapter@D@__crt_stdio_output@@@__crt_stdio_output@@IAE@"
                    + "ABV?$stream_output_adapter@D@1@AB_KABQBDABQAU__crt_locale_pointers@@ABQAD@Z"
                    + "|__crt_stdio_output::standard_base<char, __crt_stdio_output::stream_output_adapter<char> >"
                    + "::ctor<__crt_stdio_output::stream_output_adapter<char> const&, uint64_t const&,"
                    + " char const* const&, __crt_locale_pointers* const&, char* const&>"
                    + "(__crt_stdio_output::stream_output_adapter<char> const&, uint64_t const&, char const* const&,"
                    + " __crt_locale_pointers* const&, char* const&)"})
    void spellsAsMozillaDumpSyms(String mangled, String mozilla) {
        assertEquals(mozilla, Demangler.demangleLikeMozilla(mangled));
    }

    /** The short and full forms keep llvm-undname's spelling (their differential tests hold them to it). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "?make_big_integer@__crt_strtox@@YA?AUbig_integer@1@_K@Z|__crt_strtox::make_big_integer(unsigned __int64)",
            "??_Gbad_exception@std@@UAEPAXI@Z|std::bad_exception::`scalar deleting dtor'(unsigned int)"})
    void shortFormUnchanged(String mangled, String shortForm) {
        assertEquals(shortForm, Demangler.demangle(mangled));
    }

    /**
     * A pointer to a function with qualifiers of its own ({@code Q6}: {@code * const}), or a reference other
     * than {@code A6}: msvc-demangler-rs reads the digit as a back-reference and fails, so mozilla left these
     * names mangled; llvm-undname and our short form read them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"??$__crt_fast_encode_pointer@P6AXXZ@@YAP6AXXZQ6AXXZ@Z",
            "?initialize@?$dual_state_global@P6AHI@Z@__crt_state_management@@QAEXQ6AHI@Z@Z",
            "??$__crt_interlocked_read_pointer@$$A6AXXZ@@YAP6AXXZPDS6AXXZ@Z"})
    void leavesMangledWhatTheCrateCannotRead(String mangled) {
        assertNull(Demangler.demangleLikeMozilla(mangled));
        assertEquals(true, Demangler.demangle(mangled) != null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"_main", "", "?"})
    void notMsvcOrMalformed(String name) {
        assertNull(Demangler.demangleLikeMozilla(name));
    }
}
