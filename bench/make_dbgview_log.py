#!/usr/bin/env python3
"""Writes a large synthetic DebugView saved log with resmon output, for the logscan benchmark.

The log has the shape of a real DebugView save (see ../shared/corpus/FORMATS.md, "DebugView saved-log
facts"): a `[\\\\COMPUTER]` first line, then `SEQ<TAB>TIME<TAB>MESSAGE` records with elapsed time, CRLF.
About 60 % of the lines are other processes' chatter (one very chatty pid, kernel lines without a pid). The
rest is resmon output (docs/formats/resmon.md) of 8 monitored x64 programs `app<k>.exe`: the periodic cycle
every 5 s of log time, `update memory limit` lines at new peaks, and at the end of each run (every 33-133
minutes of log time) the full exit report: a few hundred heap/malloc/virtual blocks from ~20 return addresses,
a couple of threads and sync objects, the allocations histogram. The program then restarts under a new pid.
Line shapes are those of testdata/dbgview/make_logs.py (`periodic`, `report`). Deterministic for a seed.

usage: make_dbgview_log.py OUT SIZE [--seed 1]     (SIZE like 1G, 200M)
"""
import argparse
import random
import sys

CYCLE = 5.0          # resmon's default monitoring interval, seconds of log time
APPS = 8             # monitored programs
RUN_CYCLES = (400, 1600)
DASH51 = "-" * 51
DASH68 = "-" * 68
TYPES = ["Heap"] * 6 + ["Malloc"] * 3 + ["Calloc", "Virtual"]

# other processes' chatter: (prefix, text, weight); kernel lines have no pid and may start with brackets
CHATTER = [("[1044] svchost.exe: ", "service tick ", 6),
           ("[3120] chrome.exe: ", "[15:26:42.0672213] renderer frame committed, sequence ", 18),
           ("[988] explorer.exe: ", "shell change notify ", 3),
           ("[4416] sqlservr.exe: ", "checkpoint completed for database 5, pages written ", 4),
           ("[5120] worker.exe: ", "message text ", 8),
           ("[7312] updater.exe: ", r"GET https://updates.example.com/channel/stable/manifest.xml -> 304, try ", 2),
           ("[612] lsass.exe: ", "ticket cache hit ", 2),
           ("", "KDNS: cache refresh ", 3),
           ("", "[Driver] poll queue depth 0, pass ", 2),
           ("", "KTLS [INFO]: session resumed ", 1)]


def parse_size(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(s[:-1]) * mult[s[-1].upper()]) if s[-1].upper() in mult else int(s)


class App:
    """One monitored program: fixed image base and call sites; pid, tids, heap and counters change per run."""

    def __init__(self, k, rnd):
        self.k = k
        self.name = "app%d.exe" % k
        self.exe = 0x00007FF600000000 + rnd.randrange(0x100, 0xFFFF) * 0x10000
        self.phase = 0.1 + k * 0.53 + rnd.random() * 0.2  # offset of its monitor cycle within the 5 s
        self.sites = []  # (returnAddress, type, size choices)
        for _ in range(20):
            typ = TYPES[rnd.randrange(len(TYPES))]
            if typ == "Virtual":
                sizes = [65536, 1 << 20]
            else:
                sizes = rnd.sample([16, 24, 32, 48, 64, 100, 144, 256, 512, 1024, 4096, 8192], rnd.randrange(1, 4))
            self.sites.append((self.exe + rnd.randrange(0x1000, 0x90000), typ, sizes))
        # skewed: a few call sites hold most of the blocks
        self.pick = [i for i in range(20) for _ in range(12 if i < 3 else 4 if i < 8 else 1)]
        self.disk = k < 3          # these write to disk: the process line follows every cycle once non-zero
        self.grows = k < 2         # these pass the 128 MiB memory limit and raise it at every new peak
        self.base_mem = (118 << 20) if self.grows else rnd.randrange(200_000, 40 << 20)
        self.prefix = ""
        self.left = 0

    def start(self, pid, rnd, first=False):
        self.pid = pid
        self.prefix = "[%d] %s|resmon| " % (pid, self.name)
        self.proc = "process [%d] used " % pid
        lo, hi = RUN_CYCLES
        self.cycles = rnd.randrange(lo, hi)
        self.left = rnd.randrange(1, self.cycles) if first else self.cycles
        self.i = 0
        self.limit = 0x8000000
        self.disk_bytes = 0
        self.threads = 2 + rnd.randrange(4)
        self.sync = rnd.randrange(12)
        self.tids = [pid + 4 * rnd.randrange(1, 3000) for _ in range(4)]
        self.heap = 0x0000020000000000 + rnd.randrange(0x100, 0x3FF0) * 0x10000000
        self.noise = [rnd.randrange(-(1 << 21), 1 << 21) for _ in range(97)]


def periodic(app, t, rnd, ev):
    """One monitor cycle: make_logs.py's `periodic` lines, then an `update memory limit` at a new peak."""
    p = app.prefix
    i = app.i
    app.i += 1
    mem = app.base_mem + app.noise[i % 97] // (1 if app.grows else 64)
    if app.grows:
        mem += i * 60_000
    mem = max(mem, 4096)
    cpu = rnd.randrange(0, 40) if rnd.random() < 0.2 else 0
    if app.disk and (app.disk_bytes or i > 3):
        app.disk_bytes += 4096 * rnd.randrange(0, 64)
    if i % 50 == 0:
        app.threads = 2 + rnd.randrange(4)
        app.sync = rnd.randrange(12)
    if cpu:
        ev.append((t, p + "all threads used %d%% cpu (kernel %d%%, user %d%%)" % (cpu, cpu // 3, cpu - cpu // 3)))
        t += 0.00001
    if cpu or app.disk_bytes:
        ev.append((t, p + app.proc + "%d%% cpu (kernel %d%%, user %d%%) disk used %d bytes"
                   % (cpu, cpu // 3, cpu - cpu // 3, app.disk_bytes)))
        t += 0.00001
    ev.append((t, p + "threads used %d, sync object used %d, memory used %d" % (app.threads, app.sync, mem)))
    if mem > app.limit:
        ev.append((t + 0.00001, p + "update memory limit: from 0x%016X to 0x%016X" % (app.limit, mem)))
        app.limit = mem


def report(app, t, rnd, ev):
    """The exit report of make_logs.py's `report` (x64): blocks, threads, syncs, histogram, error line."""
    tids = app.tids
    blocks = []
    if rnd.random() < 0.9:  # one run in ten frees everything
        addr = app.heap
        for _ in range(rnd.randrange(150, 450)):
            ret, typ, sizes = app.sites[app.pick[rnd.randrange(len(app.pick))]]
            size = sizes[rnd.randrange(len(sizes))]
            if typ == "Virtual":
                base, tag = 0x0000010000000000 + rnd.randrange(1, 1 << 20) * 0x10000, app.pid
            else:
                addr += 0x40 + (size + 15) // 16 * 16 + rnd.randrange(0, 8) * 0x10
                base, tag = addr, app.heap if typ == "Heap" else 0
            blocks.append((base, size, tag, typ, tids[rnd.randrange(4)], ret))
        # AVL post-order: neither address nor time order
        blocks.sort(key=lambda b: (b[0] * 0x9E3779B1) & 0xFFFFFFFF)
    threads = [(0x100 + 4 * rnd.randrange(1, 400), app.pid + 4 * rnd.randrange(1, 3000),
                app.exe + rnd.randrange(0x1000, 0x90000), tids[0], app.sites[j][0])
               for j in range(rnd.randrange(0, 3))]
    syncs = []
    for j in range(rnd.randrange(0, 4)):
        h = 0x100 + 4 * rnd.randrange(1, 400)
        kind = rnd.randrange(3)
        if kind == 0:
            line1 = "event %016X type: %s reset, initial state: %s" % (h, ("manual", "auto")[j % 2],
                                                                          ("nonsignaled", "signaled")[h % 3 == 0])
        elif kind == 1:
            line1 = "mutex %016X initial state: %s" % (h, ("acquire", "free")[j % 2])
        else:
            line1 = "semaphore %016X initial count: 0 maximum count %d" % (h, 1 + j)
        syncs.append((line1, tids[j % 4], app.exe + rnd.randrange(0x1000, 0x90000)))
    hist = {}
    for b in blocks:
        s = max(0, (b[1] - 1).bit_length() - 4)
        hist[s] = hist.get(s, 0) + 1
    for s in (0, 1, 2, 3, 6):
        hist[s] = hist.get(s, 0) + rnd.randrange(1, 5000)

    out = ["=========== CHECK UNRELEASED RESOUCRES ============",
           "------------ resmon memory usage %d ----------------" % (48 * (len(blocks) + len(threads) + len(syncs))),
           "------------------ memory usage %d -----------------" % sum(b[1] for b in blocks)]
    for base, size, tag, typ, tid, ret in blocks:
        out += ["base 0x%016X size %d tag %016X (%s)" % (base, size, tag, typ), "created by [%d] thread" % tid,
                "returnAddress 0x%016X" % ret, DASH51]
    out.append("------------------ thread usage %d -----------------" % len(threads))
    for handle, tid_, start, tid, ret in threads:
        out += ["handle(ptr) 0x%016X id %d" % (handle, tid_), "start address 0x%016X" % start,
                "thread create time 0x%X" % (0x1D5708A2C3B4E10 + int(t * 1e7)), "thread exit time 0x0",
                "thread [%d] used 0%% cpu (kernel 0%%, user 0%%)" % tid_, "created by [%d] thread" % tid,
                "returnAddress 0x%016X" % ret, DASH51]
    out.append("--------------- sync object usage %d ---------------" % len(syncs))
    for line1, tid, ret in syncs:
        out += [line1, "created by [%d] thread" % tid, "returnAddress 0x%016X" % ret, DASH51]
    out.append("-------------------- allocations detail ----------------------------")
    out.append("| size range".ljust(40) + "| total allocs")
    for s in sorted(hist):
        lo = 0 if s == 0 else 16 << (s - 1)
        out.append("|0x%016X - 0x%016X| 0x%016X(%d)" % (lo, 16 << s, hist[s], hist[s]))
    out.append(DASH68)
    if blocks or threads or syncs:
        out.append("error ... not all resources free")
    out.append("=" * 51)
    p = app.prefix
    step = 0.0002  # one OutputDebugString per line: other pids' lines can fall in between
    ev += [(t + j * step, p + line) for j, line in enumerate(out)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("size")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    target = parse_size(a.size)

    rnd = random.Random(a.seed)
    apps = [App(k, rnd) for k in range(APPS)]
    next_pid = [1200]
    live = {int(c[0][1:c[0].index("]")]) for c in CHATTER if c[0]}

    def new_pid():
        while True:  # Windows-like: multiples of 4, reused after wrapping
            next_pid[0] += 4 * rnd.randrange(1, 60)
            if next_pid[0] > 30000:
                next_pid[0] = 1200 + 4 * rnd.randrange(0, 50)
            if next_pid[0] not in live:
                live.add(next_pid[0])
                return next_pid[0]

    for app in apps:
        app.start(new_pid(), rnd, first=True)
    pick = [i for i, c in enumerate(CHATTER) for _ in range(c[2])]
    counters = [0] * len(CHATTER)
    # ~14 periodic lines and ~10 report lines per cycle on average: 36 chatter lines make them ~60 %
    chatter_mean = 36

    out = open(a.out, "w", encoding="ascii", newline="")
    w = out.write
    head = "[\\\\BENCH-RIG]\r\n"
    w(head)
    written = len(head)
    seq = 1
    cycle = 0
    buf = []
    key = lambda e: e[0]
    while written < target:
        t0 = 3.25 + cycle * CYCLE
        ev = []
        for app in apps:
            t = t0 + app.phase
            if app.left == 0:
                report(app, t, rnd, ev)
                live.discard(app.pid)
                app.start(new_pid(), rnd)
            else:
                periodic(app, t, rnd, ev)
                app.left -= 1
        rr = rnd.random
        for t in sorted([t0 + rr() * CYCLE for _ in range(chatter_mean - 12 + rnd.randrange(25))]):
            c = pick[int(rr() * len(pick))]
            counters[c] += 1  # each source counts up in time order
            src = CHATTER[c]
            ev.append((t, "%s%s%d" % (src[0], src[1], counters[c])))
        ev.sort(key=key)
        chunk = "".join(["%08d\t%.8f\t%s\r\n" % (seq + j, t, msg) for j, (t, msg) in enumerate(ev)])
        seq += len(ev)
        written += len(chunk)
        buf.append(chunk)
        cycle += 1
        if len(buf) >= 1000:
            w("".join(buf))
            buf = []
    w("".join(buf))
    out.close()
    print("%s: %d bytes, %d lines" % (a.out, written, seq), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
