"""The heap snapshots libresmon.so writes (UMDH's layout, stacks as raw addresses), read here with their own
code (not the Java reader's) for the checks and benchmarks that compare stacks: tests/compare_stacks.py and
bench/unwind_reach.py.
"""
import re


def read(path):
    """(modules, blocks): modules as (base, size, path) from the header, blocks as one list of return addresses
    (innermost first) per live block, in file order."""
    modules = []
    traces = {}
    blocks = []
    trace = None
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"//\s+([0-9A-F]+)\s+([0-9A-F]+) (\S.*)$", line)
        if m:
            modules.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
            continue
        m = re.match(r"[0-9a-fA-F]+ bytes \+ \S+ at [0-9A-F]+ by BackTrace(\S+)", line)
        if m:
            trace = m.group(1)
            blocks.append(trace)
            traces.setdefault(trace, [])
            continue
        m = re.match(r"\t([0-9A-F]+)$", line)
        if m and trace is not None:
            traces[trace].append(int(m.group(1), 16))
    return modules, [traces[t] for t in blocks]
