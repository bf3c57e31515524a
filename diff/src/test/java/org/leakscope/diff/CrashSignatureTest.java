package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Frame;

class CrashSignatureTest {
    private static Frame named(long base, String module, long offset, String function) {
        return new Frame(base + offset, module, offset, function, 4L, null, null);
    }

    private static Frame raw(long base, String module, long offset) {
        return new Frame(base + offset, module, offset, null, null, null, null);
    }

    /** A glibc abort from an assert in a C++ method, then three frames of the program and libc's start. */
    private static List<Frame> assertStack(long libc, long app) {
        return List.of(
                named(libc, "libc.so.6", 0x8eebc, "__pthread_kill_implementation"),
                named(libc, "libc.so.6", 0x8ef1f, "__pthread_kill_internal"),
                named(libc, "libc.so.6", 0x3e472, "raise"),
                named(libc, "libc.so.6", 0x284b2, "abort"),
                named(libc, "libc.so.6", 0x283d5, "__assert_fail_base.cold"),
                named(libc, "libc.so.6", 0x37dc2, "__assert_fail"),
                named(app, "server", 0x1234, "Cache::evict(unsigned long)"),
                named(app, "server", 0x1500, "Cache::put(std::string const&, Entry)"),
                raw(app, "server", 0x1800),
                Frame.unresolved(0xdeadbeef),
                named(app, "server", 0x1900, "worker(void*)"),
                named(app, "server", 0x1a00, "main"),
                named(libc, "libc.so.6", 0x29d90, "__libc_start_call_main"));
    }

    @Test
    void skipsAbortAndAssertHelpersAndNamesTheCodeThatFailed() {
        // the five frames after the noise: parameter lists dropped, a raw frame by module offset, the frame
        // outside every module left out
        assertEquals("server!Cache::evict | server!Cache::put | server+0x1800 | server!worker | server!main",
                CrashSignature.defaults().of(assertStack(0x7f00_0000_0000L, 0x5555_0000_0000L)));
    }

    @Test
    void isTheSameWhereverTheModulesWereLoaded() {
        CrashSignature s = CrashSignature.defaults();
        assertEquals(s.of(assertStack(0x7f00_0000_0000L, 0x5555_0000_0000L)),
                s.of(assertStack(0x7fab_cd00_0000L, 0x5600_1200_0000L)));
    }

    @Test
    void heapCorruptionCaughtInFreeIsNamedAtTheCaller() {
        long nt = 0x7ffb_0000_0000L;
        List<Frame> stack = List.of(
                named(nt, "ntdll.dll", 0xa0000, "RtlReportFatalFailure"),
                named(nt, "ntdll.dll", 0xa0100, "RtlpHeapHandleError"),
                named(nt, "ntdll.dll", 0xa0200, "RtlFreeHeap"),
                named(0x1400_0000L, "ucrtbase.dll", 0x100, "_free_base"),
                named(0x1400_0000L, "ucrtbase.dll", 0x200, "free"),
                named(0x1_4000_0000L, "app.exe", 0x1000, "Session::~Session()"));
        // the heap's failure report, its free and the CRT's: all noise; the destructor that freed twice is the bug
        assertEquals("app.exe!Session::~Session",
                CrashSignature.defaults().of(stack));
    }

    @Test
    void aStackOfNoiseHasAnEmptySignature() {
        assertEquals("", CrashSignature.defaults().of(List.of(Frame.unresolved(1),
                named(0x1000, "libc.so.6", 0x10, "abort"))));
    }

    @Test
    void aThreadBlockedInTheKernelIsWaiting() {
        long nt = 0x7ffb_0000_0000L;
        ThreadWait w = new ThreadWait();
        assertEquals(Optional.of("NtWaitForSingleObject"), w.waitingIn(List.of(
                named(nt, "ntdll.dll", 0x9d0e4, "NtWaitForSingleObject"),
                named(nt, "KERNELBASE.dll", 0x2a4e, "WaitForSingleObjectEx"),
                named(0x1_4000_0000L, "app.exe", 0x1000, "Worker::join()"))));
        assertEquals(Optional.of("futex_wait"), w.waitingIn(List.of(
                raw(0x7f00_0000_0000L, "libc.so.6", 0x91117),
                named(0x7f00_0000_0000L, "libc.so.6", 0x91117, "futex_wait"),
                named(0x7f00_0000_0000L, "libc.so.6", 0x9212a, "__lll_lock_wait"))));
        // a wait deeper than the top frames is code that will wait later, not a blocked thread
        assertEquals(Optional.empty(), w.waitingIn(List.of(
                named(0x1000, "app", 1, "crc32"), named(0x1000, "app", 2, "hash"), named(0x1000, "app", 3, "put"),
                named(0x1000, "app", 4, "flush"), named(0x1000, "libc.so.6", 5, "pthread_join"))));
    }

    @Test
    void keepsMsvcAnonymousNamespacesWhole() {
        // minidump2's crash as Breakpad's .sym names it: the space inside the MSVC spelling is no return type
        List<Frame> stack = List.of(named(0x400000, "test_app.exe", 0x429e, "`anonymous namespace'::CrashFunction"),
                named(0x400000, "test_app.exe", 0x4200, "main"));
        assertEquals("test_app.exe!`anonymous namespace'::CrashFunction | test_app.exe!main",
                CrashSignature.defaults().of(stack));
    }
}
