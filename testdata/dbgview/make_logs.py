#!/usr/bin/env python3
"""Writes the hand-written DebugView examples in this folder (python3 make_logs.py [OUTDIR]).

Each follows a shape in ../shared/corpus/FORMATS.md ("DebugView saved-log facts"): clock time with the
trailing TAB of copied logs and kernel lines that start with brackets; a file that switches from elapsed to
clock time, CRLF; a plain capture without SEQ/TIME columns.
"""
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))


def write(name, text, crlf=False):
    with open(os.path.join(OUT, name), "w", newline="\r\n" if crlf else "\n", encoding="utf-8") as f:
        f.write(text)


write("clock_kernel_trailing_tab.log",
      "[\\\\BUILD-07]\n"
      "00000001\t17:48:44\t[Driver] resmonDriverEntry(): started\t\n"
      "00000002\t17:48:44\tkernelmode_test.sys|resmon| threads used 2, sync object used 1, memory used 4096\t\n"
      "00000003\t17:48:45\t[2540] notepad.exe|resmon| threads used 3, sync object used 2, memory used 81920\t\n"
      "00000004\t17:48:45\tKTLS [INFO]: created by [8632] thread\t\n"
      "00000005\t17:48:46\t \t\n")

write("mixed_time_formats_crlf.log",
      "00000057\t12.50000000\t[4242] first line of a message\n"
      "00000058\t12.50000000\t[4242] second line of the same message\n"
      "00000059\t09:15:02\t[4242] after the user switched to clock time\n"
      "00000060\t09:15:02.125\t[4242] with milliseconds\n"
      "00000061\t09:15:03 PM\t[4242] twelve-hour clock\n", crlf=True)

write("plain_capture.log",
      "notepad.exe|resmon| threads used 3, sync object used 2, memory used 81920\n"
      "[2540] notepad.exe|resmon| update thread limit: 10 to 20\n"
      "\n"
      "kernelmode_test.sys [32] |INFO| resmonDriverUnload(): done\n")


# ---- resmon output (docs/formats/resmon.md: periodic lines, limit updates, reports) ----

class Log:
    """A DebugView log being written: SEQ<TAB>TIME<TAB>MESSAGE records (elapsed seconds or clock time)."""

    def __init__(self, computer=None, clock=False, trailing_tab=False):
        self.lines = [] if computer is None else ["[\\\\%s]" % computer]
        self.seq = 1
        self.clock = clock
        self.tab = "\t" if trailing_tab else ""

    def add(self, t, message):
        if self.clock:
            s = int(t) % 86400
            ts = "%02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60)
        else:
            ts = "%.8f" % t
        self.lines.append("%08d\t%s\t%s%s" % (self.seq, ts, message, self.tab))
        self.seq += 1

    def text(self):
        return "\n".join(self.lines) + "\n"


def prefix(name, pid):
    return ("[%d] " % pid if pid is not None else "") + name + "|resmon| "


def ptr(v, x64):
    return ("%016X" if x64 else "%08X") % v


def periodic(log, t, name, pid, threads, sync, memory, cpu=0, disk=0):
    p = prefix(name, pid)
    if cpu:
        log.add(t, p + "all threads used %d%% cpu (kernel %d%%, user %d%%)" % (cpu, cpu // 3, cpu - cpu // 3))
    if cpu or disk:
        log.add(t, p + "process [%d] used %d%% cpu (kernel %d%%, user %d%%) disk used %d bytes"
                % (pid if pid is not None else 4, cpu, cpu // 3, cpu - cpu // 3, disk))
    # "memory used %u": the low 32 bits of the 64-bit total on x64, like the block sizes
    log.add(t, p + "threads used %d, sync object used %d, memory used %d" % (threads, sync, memory & 0xFFFFFFFF))


def report(log, t, name, pid, x64, blocks=(), threads=(), syncs=(), histogram=(), exit=True, cut_after=None,
           interleave=None):
    """blocks: (base, size, tag, type, tid, ret); threads: (handle, id, start, tid, ret);
    syncs: (line1, tid, ret); histogram: (upper_shift, count); interleave: {report line index: [whole
    messages written before it]} (other processes, diagnostics). Returns the report lines written."""
    p = prefix(name, pid)
    out = []
    if exit:
        out.append("=========== CHECK UNRELEASED RESOUCRES ============")
    out.append("------------ resmon memory usage %d ----------------" % (48 * (len(blocks) + len(threads) + len(syncs))))
    out.append("------------------ memory usage %d -----------------" % sum(b[1] for b in blocks))
    for base, size, tag, typ, tid, ret in blocks:
        # resmon prints a block's size with %u: on x64 only its low 32 bits (docs/formats/resmon.md §5)
        out += ["base 0x%s size %d tag %s (%s)" % (ptr(base, x64), size & 0xFFFFFFFF, ptr(tag, x64), typ),
                "created by [%d] thread" % tid, "returnAddress 0x%s" % ptr(ret, x64), "-" * 51]
    out.append("------------------ thread usage %d -----------------" % len(threads))
    for handle, tid_, start, tid, ret in threads:
        out += ["handle(ptr) 0x%s id %d" % (ptr(handle, x64), tid_), "start address 0x%s" % ptr(start, x64),
                "thread create time 0x1D5708A2C3B4E10", "thread exit time 0x0",
                "thread [%d] used 0%% cpu (kernel 0%%, user 0%%)" % tid_, "created by [%d] thread" % tid,
                "returnAddress 0x%s" % ptr(ret, x64), "-" * 51]
    out.append("--------------- sync object usage %d ---------------" % len(syncs))
    for line1, tid, ret in syncs:
        out += [line1, "created by [%d] thread" % tid, "returnAddress 0x%s" % ptr(ret, x64), "-" * 51]
    out.append("-------------------- allocations detail ----------------------------")
    col = 40 if x64 else 24
    out.append("| size range".ljust(col) + "| total allocs")
    for shift, count in histogram:
        lo = 0 if shift == 0 else 16 << (shift - 1)
        hi = (1 << (64 if x64 else 32)) - 1 if shift == 31 else 16 << shift  # the last bucket's upper is all-F
        out.append("|0x%s - 0x%s| 0x%s(%d)" % (ptr(lo, x64), ptr(hi, x64), ptr(count, x64), count))
    out.append("-" * 68)
    if exit:
        if blocks or threads or syncs:
            out.append("error ... not all resources free")
        out.append("=" * 51)
    if cut_after is not None:
        out = out[:cut_after]
    for i, line in enumerate(out):
        for other in (interleave or {}).get(i, []):
            log.add(t, other)
        log.add(t, p + line)
    return out


def event(h, x64):
    return "event %s type: manual reset, initial state: nonsignaled" % ptr(h, x64)


# A 64-bit program with every periodic and limit line, an on-demand report mid-run, other processes' and
# resmon's own diagnostic lines interleaved, and an exit report that lists heap blocks, a thread, sync objects.
EXE = 0x00007FF6C2A80000
log = Log(computer="BUILD-07")
log.add(0.0, "[1044] svchost.exe: unrelated chatter")
log.add(0.0, "[2540] resmon.dll [5588] |INFO| ResMonitorThread():  ... start")
for i in range(12):
    t = 5.0 * i + 0.25
    periodic(log, t, "notepad.exe", 2540, 2 + (i > 3), 5 + (i > 5), 3104 + 4096 * i, cpu=12 if i % 3 == 0 else 0,
             disk=1327104 if i > 1 else 0)
    if i == 8:
        log.add(t, prefix("notepad.exe", 2540) + "update memory limit: from 0x0000000000008000 to 0x000000000000A0E0")
        log.add(t, prefix("notepad.exe", 2540) + "update cpu used limit overflow from 30% to 45%")
        log.add(t, prefix("notepad.exe", 2540) + "monitoring pause update to 5750 ms")
        log.add(t, prefix("notepad.exe", 2540) + "update thread limit: 3 to 3")
    log.add(t + 0.01, "[1044] svchost.exe: tick %d" % i)
    if i == 6:
        # an on-demand report; the monitor's next cycle lands between two of its sections
        report(log, t + 1, "notepad.exe", 2540, True, exit=False,
               blocks=[(0x00000284B86B3670, 144, 0x00000284B86B0000, "Heap", 8632, EXE + 0x1F6F7)],
               threads=[(0x4FC, 6472, EXE + 0x6C2C, 8632, EXE + 0x6EFB)], histogram=[(0, 3), (3, 1)],
               interleave={6: [prefix("notepad.exe", 2540) + "threads used 3, sync object used 6, memory used 27680"]})
log.add(61.0, "[2540] resmon.dll [5588] |WARN| MonFree(): pointer not found 000001F4A5E40000")
report(log, 62.0, "notepad.exe", 2540, True,
       blocks=[(0x00000284B86B3670, 144, 0x00000284B86B0000, "Heap", 8632, EXE + 0x1F6F7),
               (0x00000284B86B4000, 4096, 0x00000284B86B0000, "Heap", 8632, EXE + 0x1F6F7),
               (0x00000284B86C1000, 100, 0, "Malloc", 6472, EXE + 0x2A010),
               (0x0000020000000000, 65536, 0x2454, "Virtual", 8632, EXE + 0x3B000)],
       threads=[(0x4FC, 6472, EXE + 0x6C2C, 8632, EXE + 0x6EFB)],
       syncs=[(event(0x120, True), 8632, EXE + 0x7100),
              ("mutex %s initial state: acquire" % ptr(0x128, True), 8632, EXE + 0x7180),
              ("semaphore %s initial count: 0 maximum count 1" % ptr(0x130, True), 6472, EXE + 0x71C0)],
       histogram=[(0, 1119), (3, 12), (8, 4), (12, 1)],
       # other processes, another monitored program and resmon.dll's own diagnostics between report lines
       interleave={3: ["[1044] svchost.exe: tick 12"],
                   9: ["[2540] resmon.dll [5588] |WARN| MonFree(): pointer not found 000001F4A5E40000",
                       "[3300] other.exe|resmon| threads used 2, sync object used 0, memory used 512"],
                   20: ["KDNS: Cache initialized", "[1044] svchost.exe: [7] bracketed text"]})
log.add(62.5, "[2540] resmon.dll [5588] |INFO| ExitProcessHook(): exit process [2540] 0")
write("resmon_user_x64_exit_report.log", log.text(), crlf=True)

# Kernel driver (no pid) loaded twice, clock time with the trailing TAB: pool blocks tagged 'TEST', an event;
# and a 32-bit user program between them (x86 column widths), which frees everything.
DRV = 0xFFFFF80112340000
log = Log(clock=True, trailing_tab=True)
day = 23 * 3600 + 59 * 60 + 30  # crosses midnight
for run in range(2):
    t0 = day + run * 60
    for i in range(4):
        periodic(log, t0 + 5 * i, "kernelmode_test.sys", None, 1, 1, 1024 * (i + 1), cpu=1, disk=0)
    log.add(t0 + 20, "kernelmode_test.sys [32] |INFO| resmonDriverUnload(): : ************************************ ")
    report(log, t0 + 21, "kernelmode_test.sys", None, True,
           blocks=[(0xFFFFB70C4E2A1000 + 0x1000 * k, 1024, 0x54534554, "NonPagedPool", 32, DRV + 0x1234)
                   for k in range(run + 2)],
           syncs=[("event FFFFFFFF800029B8 type: manual reset, initial state: signaled", 32, DRV + 0x1300)],
           histogram=[(6, 40 + run)])
    periodic(log, t0 + 22, "app32.exe", 3300, 2, 0, 48)
    # an on-demand report in the first driver run, the exit report (nothing left) in the second
    report(log, t0 + 23, "app32.exe", 3300, False, histogram=[(1, 7), (2, 2)], exit=run == 1)
write("resmon_kernel_and_x86_clock.log", log.text())

# The same program run three times in one capture, 12 hours each, a sample every 5 minutes; one call site
# leaks 2 blocks of 50000 bytes every 30 minutes in every run, so memory use grows steadily by 0.2 MB/h
# (with +-20 kB of noise); then the same program with flat usage and nothing left at exit.
import random


def soak(name, leak):
    rnd = random.Random(4 if leak else 5)
    log = Log(computer="SOAK-RIG")
    t = 0.0
    for run in range(3):
        pid = 4100 + run
        base = 0x00007FF7AA000000 + run * 0x10000000  # another ASLR base each run
        for i in range(12 * 12):
            t += 300.0
            noise = rnd.randint(-20000, 20000)
            mem = 2_000_000 + noise + (i // 6 * 100_000 if leak else 0)
            periodic(log, t, name, pid, 4, 6, mem)
            if i % 3 == 0:
                log.add(t, "[%d] %s: other output %d" % (900 + run, "worker.exe", i))
        blocks = [(0x1D0000000 + k * 0x10000, 50000, 0x1C0000, "Heap", 77, base + 0x4A2B1) for k in
                  range(2 * 24 if leak else 0)]
        blocks += [(0x1E0000000, 24, 0, "Malloc", 77, base + 0x11000)] if leak else []
        report(log, t + 1, name, pid, True, blocks=blocks, histogram=[(0, 100), (6, len(blocks) + 3)])
        t += 600
    return log


write("resmon_soak_leaking.log", soak("soak.exe", True).text())
write("resmon_soak_flat.log", soak("soak.exe", False).text())

# A report that stops in the middle (the capture ended), after an on-demand report, in a plain capture.
log_lines = []
plain = Log()
periodic(plain, 0, "crashy.exe", 777, 3, 1, 500)
report(plain, 1, "crashy.exe", 777, False, blocks=[(0x5000, 500, 0x510000, "Heap", 9, 0x401234)], exit=False)
report(plain, 2, "crashy.exe", 777, False, blocks=[(0x5000, 500, 0x510000, "Heap", 9, 0x401234)], cut_after=7)  # exit block
write("resmon_truncated_plain.log", "\n".join(l.split("\t", 2)[2] for l in plain.lines) + "\n")

# DebugView++'s saved-log layout: ELAPSED<TAB>DATE TIME<TAB>PID<TAB>PROCESS<TAB>MESSAGE after its header line.
pp = ["0.000000\t2026/11/29 23:59:58.000\t0\tDebugView++.exe\tFile Identification Header, DebugView++ Format Version 1"]
for i in range(3):
    pp.append("%.6f\t2026/11/%s.%03d\t5120\tsvc.exe\tsvc.exe|resmon| threads used 2, sync object used 0, memory used %d"
              % (1.5 + 5 * i, ["29 23:59:59", "30 00:00:04", "30 00:00:09"][i], 500, 1000 * (i + 1)))
pp.append("16.600000\t2026/11/30 00:00:10.100\t5120\tsvc.exe\tsvc.exe|resmon| " + "=" * 11
          + " CHECK UNRELEASED RESOUCRES " + "=" * 12)
for line in ["------------ resmon memory usage 0 ----------------", "------------------ memory usage 0 -----------------",
             "------------------ thread usage 0 -----------------", "--------------- sync object usage 0 ---------------",
             "-------------------- allocations detail ----------------------------",
             "| size range                            | total allocs", "-" * 68, "=" * 51]:
    pp.append("16.600000\t2026/11/30 00:00:10.100\t5120\tsvc.exe\tsvc.exe|resmon| " + line)
write("resmon_debugviewpp_export.log", "\n".join(pp) + "\n", crlf=True)

# Blocks of 4 GiB or more (x64): resmon lists each size modulo 4 GiB ("size %u") under the exact section total
# ("memory usage %I64d"), and "memory used %u" wraps too, while "update memory limit" (%p) shows the whole value.
# Run 1: a 5 GiB reservation listed as 1073741824 under memory usage 5372000061, as in a real run of the
# original resmon; the allocation-size table has no 512 MiB-1 GiB allocation but one of 4-8 GiB, so the
# block can be corrected. Run 2: two blocks listed as 1 GiB, one of them really 5 GiB; the table saw a 1 GiB
# and a 4-8 GiB allocation, so either may be the big one (reported, not corrected). Run 3: over the memory
# and cpu limits, everything freed at exit (a limit-only run: --fail-on-leak trips on it alone).
GIB = 1 << 30
log = Log(computer="BIGMEM-01")
t = 0.0
name = "bigalloc.exe"
big_exe = 0x00007FF7B0000000
for pid, blocks, histogram, cpu in [
        (4400, [(0x0000020000000000, 5 * GIB, 0x1130, "Virtual", 4404, big_exe + 0x1A2B),
                (0x000001D4C2B10000, 3 * 1024 * 1024, 0x000001D4C2A00000, "Heap", 4404, big_exe + 0x1C40),
                (0x000001D4C2F20000, 145213, 0x000001D4C2A00000, "Heap", 4408, big_exe + 0x1C88)],
         [(0, 30), (3, 5), (14, 1), (18, 1), (29, 1)], 0),
        (4401, [(0x0000020000000000, 5 * GIB, 0x1131, "Virtual", 4405, big_exe + 0x1A2B),
                (0x0000021000000000, 1 * GIB, 0x1131, "Virtual", 4405, big_exe + 0x1A70)],
         [(0, 30), (3, 5), (26, 1), (29, 1)], 0),
        (4402, [], [(0, 30), (3, 5), (24, 1)], 55)]:
    total = sum(b[1] for b in blocks) or 200 * 1024 * 1024
    periodic(log, t, name, pid, 2, 0, 96)
    periodic(log, t + 5, name, pid, 2, 0, total + 96, cpu=cpu)
    log.add(t + 5, prefix(name, pid) + "update memory limit: from 0x%s to 0x%s" % (ptr(128 << 20, True),
                                                                                    ptr(total + 96, True)))
    if cpu:
        log.add(t + 5, prefix(name, pid) + "update cpu used limit overflow from 30%% to %d%%" % cpu)
        log.add(t + 5, prefix(name, pid) + "monitoring pause update to 6250 ms")
    report(log, t + 7, name, pid, True, blocks=blocks, histogram=histogram)
    t += 10
write("resmon_x64_blocks_over_4gib.log", log.text())

# Module lines as Leakscope's trackers write them (docs/formats/resmon.md §9), with the identity fields: a
# libresmon.so run (the program and a library with a GNU build id, one library without, and the vdso) and a
# resmon.dll run (a program under "Program Files" with a CodeView id, a PDB name with a space, and its link
# timestamp; a DLL with a timestamp only; a line in the older shape, without fields). Each exit report leaves
# one block per module, so frames resolve through every kind of line.
log = Log()
lin = prefix("plantd", 7100)
linux_modules = [
    (0x000055886B8EB000, 17328, "buildid 8bd2f3e7c59b34a1d4f0c3a2e1b0a9f8e7d6c5b4 ", "/opt/plant/bin/plantd"),
    (0x00007F3A12000000, 16400, "buildid 0123456789abcdef0011223344556677deadbeef ", "/opt/plant/lib/libplant.so"),
    (0x00007F3A12400000, 8192, "", "/opt/plant/lib/libnoid.so"),
    (0x00007FFD5A3F1000, 5474, "buildid b3b3501986df8548944f8c990f327aca ", "linux-vdso.so.1")]
for i, (base, size, fields, path) in enumerate(linux_modules):
    log.add(0.0, lin + "module 0x%016X size %d %s%s" % (base, size, fields, path))
periodic(log, 0.0, "plantd", 7100, 1, 0, 0)
report(log, 1.0, "plantd", 7100, True,
       blocks=[(0x000055886C0102A0 + 0x100 * k, 100, 0, "Malloc", 7100, base + 0x1234)
               for k, (base, _, _, _) in enumerate(linux_modules[:3])])
win = prefix("app.exe", 7200)
windows_modules = [
    (0x0000000140000000, 262144, "debugid 5A9832E5287241C1838ED98914E9B7FF1 pdb my%20app.pdb timestamp 0x5F3A1B2C ",
     "Z:\\Program Files\\App\\app.exe"),
    (0x00007FF8A1B20000, 1200128, "timestamp 0x0A1B2C3D ", "C:\\windows\\system32\\kernelbase.dll"),
    (0x00007FF8A3C40000, 2011136, "", "C:\\windows\\system32\\ntdll.dll")]
for base, size, fields, path in windows_modules:
    log.add(2.0, win + "module 0x%016X size %d %s%s" % (base, size, fields, path))
periodic(log, 2.0, "app.exe", 7200, 2, 0, 0)
report(log, 3.0, "app.exe", 7200, True,
       blocks=[(0x000001D4C2B10000 + 0x1000 * k, 200, 0x000001D4C2A00000, "Heap", 7204, base + 0x2000)
               for k, (base, _, _, _) in enumerate(windows_modules)])
write("resmon_tracker_module_ids.log", log.text())

# A C++ program under libresmon.so with the C++ hooks and whole stacks (docs/formats/resmon.md §9, the `stack`
# line; docs/attribution.md): objects from `new` in open_sessions() (called from two places in main), their
# std::vector<int> buffers through libstdc++'s operator new and malloc (a run without the C++ hooks records
# malloc's caller), their std::string buffers through basic_string internals, a shared_ptr control block, a
# std::map and its node, an array from new[], an over-aligned object, a user method named push_back (not a
# std:: one: it stays the call site), and one record in the original shape (no stack line). cppleak.sym and
# libstdc++.so.6.sym in cpp_symbols/ name the functions as dump_syms writes them (demangled); libc.so.6 has
# no symbol file, so its frame is folded by its module's name.
def breakpad_id(build_id):
    """Breakpad's debug id of an ELF file: the build id's first 16 bytes as a GUID, age 0."""
    b = bytes.fromhex(build_id)[:16]
    return (b[3::-1] + b[5:3:-1] + b[7:5:-1] + b[8:16]).hex().upper() + "0"


APP, STDCXX, LIBC = 0x000055D0A0C00000, 0x00007F3A1C200000, 0x00007F3A1BE00000
cpp_modules = [(APP, 0x6000, "c0ffee00112233445566778899aabbccddeeff01", "/opt/cpp/bin/cppleak"),
               (STDCXX, 0x260000, "5e1dc0de00112233445566778899aabbccddee02", "/opt/cpp/lib/libstdc++.so.6"),
               (LIBC, 0x1e0000, None, "/opt/cpp/lib/libc.so.6")]
APP_FUNCS = [(0x1000, 0x100, "main"),
             (0x1200, 0x100, "open_sessions()"),
             (0x1400, 0x100, "Session::Session()"),
             (0x1600, 0x100, "void std::vector<int, std::allocator<int> >::_M_realloc_insert<int>("
                             "__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > >, int&&)"),
             (0x1800, 0x80, "std::__new_allocator<int>::allocate(unsigned long, void const*)"),
             (0x1900, 0x80, "MyQueue::push_back(int)"),
             (0x1a00, 0x100, "std::shared_ptr<Node> std::make_shared<Node>()"),
             (0x1b00, 0x80, "make_cycle()"),
             (0x1c00, 0x100, "build_map()"),
             (0x1d00, 0x100, "std::map<int, int, std::less<int>, std::allocator<std::pair<int const, int> > >"
                             "::operator[](int&&)")]
STDCXX_FUNCS = [(0xbc000, 0x40, "operator new(unsigned long)"),
                (0x14a000, 0x200, "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"
                                  "::_M_create(unsigned long&, unsigned long)"),
                (0x14b000, 0x200, "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"
                                  "::_M_construct(unsigned long, char)")]


def sym_file(root, name, build_id, funcs):
    d = os.path.join(root, name, breakpad_id(build_id))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".sym"), "w", encoding="utf-8", newline="\n") as f:
        f.write("MODULE Linux x86_64 %s %s\nINFO CODE_ID %s\n" % (breakpad_id(build_id), name, build_id.upper()))
        for start, size, fn in funcs:
            f.write("FUNC %x %x 0 %s\n" % (start, size, fn))


sym_root = os.path.join(OUT, "cpp_symbols")
sym_file(sym_root, "cppleak", cpp_modules[0][2], APP_FUNCS)
sym_file(sym_root, "libstdc++.so.6", cpp_modules[1][2], STDCXX_FUNCS)

main_a, main_b = APP + 0x1010, APP + 0x1024  # two calls of open_sessions() in main
malloc_in_libc = LIBC + 0x9a3c0
new_in_stdcxx = STDCXX + 0xbc01c
# (count, size, type, stack innermost first; None = the original resmon's shape, returnAddress only)
cpp_records = [
    (3, 88, "New", [APP + 0x1234, main_a]),
    (3, 88, "New", [APP + 0x1234, main_b]),
    (6, 40, "Malloc", [malloc_in_libc, new_in_stdcxx, APP + 0x182c, APP + 0x165c, APP + 0x1440, APP + 0x1230,
                       main_a]),
    (6, 41, "New", [STDCXX + 0x14a02a, STDCXX + 0x14b03c, APP + 0x1424, APP + 0x1230, main_b]),
    (1, 32, "New", [APP + 0x1a20, APP + 0x1b18, APP + 0x1030]),
    (1, 48, "New", [APP + 0x1c10, APP + 0x1040]),
    (1, 40, "New", [APP + 0x1d60, APP + 0x1c2c, APP + 0x1040]),
    (1, 40, "New[]", [APP + 0x1280, main_a]),
    (1, 64, "New align", [APP + 0x1290, main_a]),
    (2, 16, "New", [APP + 0x191c, APP + 0x1050]),
    (1, 24, "Malloc", None),
]
log = Log()
cpp = prefix("cppleak", 7300)
for base, size, build_id, path in cpp_modules:
    log.add(0.0, cpp + "module 0x%016X size %d %s%s" % (base, size, "buildid %s " % build_id if build_id else "",
                                                           path))
periodic(log, 0.0, "cppleak", 7300, 1, 0, 0)
lines = ["=========== CHECK UNRELEASED RESOUCRES ============", "------------ resmon memory usage 0 ----------------",
         "------------------ memory usage %d -----------------" % sum(c * s for c, s, _, _ in cpp_records)]
block = 0x000055D0A1E00000
for count, size, typ, stack in cpp_records:
    for k in range(count):
        block += 0x100
        ret = stack[0] if stack else APP + 0x1060
        lines += ["base 0x%016X size %d tag 0000000000000000 (%s)" % (block, size, typ), "created by [7300] thread",
                  "returnAddress 0x%016X" % ret]
        if stack:
            lines.append("stack " + " ".join("0x%016X" % a for a in stack))
        lines.append("-" * 51)
lines += ["------------------ thread usage 0 -----------------", "--------------- sync object usage 0 ---------------",
          "-------------------- allocations detail ----------------------------",
          "| size range".ljust(40) + "| total allocs", "-" * 68, "error ... not all resources free", "=" * 51]
for line in lines:
    log.add(1.0, cpp + line)
write("resmon_cpp_stacks.log", log.text())
