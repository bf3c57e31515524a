/**
 * C++ names as people read them: Itanium C++ ABI names ({@code _ZN7Session4openEv}, from GCC and Clang on ELF,
 * and mingw-w64 PE symbols) and MSVC decorated names ({@code ?Insert@LeakyCache@@QEAAXAEBVKey@@$$QEAVValue@@@Z}).
 *
 * <p>{@link org.leakscope.demangle.Demangler} is the one entry point. Names come from the inputs (symbol files,
 * logs, dumps), so every demangler is bounded: recursion depth and output length are capped, and a name over the
 * caps is left as it is rather than demangled in part.
 */
package org.leakscope.demangle;
