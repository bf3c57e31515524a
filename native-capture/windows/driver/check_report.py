#!/usr/bin/env python3
"""Checks what resmon_driver.sys printed under Wine (driver/test.sh) against what its DriverEntry planted.

  check_report.py DRIVER.sys OBJDUMP LOG...

LOG files hold Wine's stderr with the debugstr channel on, where each DbgPrint is a line
  0128:warn:debugstr:vDbgPrintExWithPrefix 0000004d:00000001: resmon_driver.sys|resmon| <text>

Expected: the module line, then an on-demand report and the exit block, each listing exactly the three
planted leaks (docs/formats/resmon.md §5) and none of the released resources:
  - a pool block: size 1024, tag 0000000054534554 ("TEST"), (NonPagedPool), allocated by a call to
    ExAllocatePoolWithTag in DriverEntry;
  - a thread record for a handle of PsCreateSystemThread in DriverEntry, start address quick_thread;
  - an event, auto reset and nonsignaled (SynchronizationEvent, FALSE), from ZwCreateEvent in DriverEntry.
A returnAddress must lie inside the driver image (base and size from the module line), and the instruction
just before it, found by disassembling the .sys, must be the call to the wrapper the record's kind goes
through: that is the call site the report has to name. For the pool block, that call must also be the one
passing the TEST tag, not the one whose FREE block was released.
"""
import re
import struct
import subprocess
import sys

NAME = "resmon_driver.sys"
MARK = NAME + "|resmon| "
EXIT_START = "=========== CHECK UNRELEASED RESOUCRES ============"
EXIT_END = "=" * 51
DETAIL_END = "-" * 68
RECORD_END = "-" * 51
SECTION = re.compile(r"^-+ (resmon memory usage|memory usage|thread usage|sync object usage|handle usage) (\d+) -+$")


class Failure(Exception):
    pass


def report_lines(logs):
    lines = []
    for path in logs:
        with open(path, encoding="utf-8", errors="replace") as f:
            for raw in f:
                at = raw.find(MARK)
                if at >= 0:
                    lines.append(raw[at + len(MARK):].rstrip("\n"))
    return lines


def parse_report(lines):
    """{section: (total, [record lines])} of one report, from its 'resmon memory usage' header to the
    68-dash line after the histogram."""
    sections, current = {}, None
    for line in lines:
        m = SECTION.match(line)
        if m:
            current = m.group(1)
            sections[current] = (int(m.group(2)), [])
        elif line.startswith("-" * 20 + " allocations detail"):
            current = None
        elif current is not None:
            sections[current][1].append(line)
    return sections


def records(section_lines):
    """Record line groups, each ended by the 51-dash line."""
    result, record = [], []
    for line in section_lines:
        if line == RECORD_END:
            result.append(record)
            record = []
        else:
            record.append(line)
    if record:
        raise Failure(f"record not ended by the 51-dash line: {record}")
    return result


def image_base(sys_path):
    data = open(sys_path, "rb").read()
    nt = struct.unpack_from("<I", data, 0x3C)[0]
    return struct.unpack_from("<Q", data, nt + 24 + 24)[0]  # PE32+ optional header: ImageBase at 24


def disassembly(objdump, sys_path):
    """[(address, text)] of every instruction, and {function name: address}."""
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", sys_path], check=True, capture_output=True,
                         text=True).stdout
    instructions, functions = [], {}
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]+) <([^>]+)>:$", line)
        if m:
            functions[m.group(2)] = int(m.group(1), 16)
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(\S.*)$", line)
        if m:
            instructions.append((int(m.group(1), 16), m.group(2)))
    return instructions, functions


def function_at(functions, address):
    best = None
    for name, start in functions.items():
        if start <= address and (best is None or start > functions[best]):
            best = name
    return best


def check_call_site(what, return_address, module, disasm, wrapper, immediate=None):
    base, size, preferred = module
    if not base <= return_address < base + size:
        raise Failure(f"{what}: returnAddress 0x{return_address:X} outside the driver image "
                      f"0x{base:X}..0x{base + size:X}")
    va = preferred + (return_address - base)
    instructions, functions = disasm
    index = next((i for i, (address, _) in enumerate(instructions) if address == va), None)
    if index is None or index == 0:
        raise Failure(f"{what}: returnAddress 0x{return_address:X} (0x{va:X} in the file) is not an instruction "
                      f"boundary of the .sys")
    call = instructions[index - 1][1]
    caller = function_at(functions, instructions[index - 1][0])
    if not re.match(r"call\s", call) or f"<{wrapper}>" not in call or caller != "DriverEntry":
        raise Failure(f"{what}: the instruction before returnAddress 0x{return_address:X} is '{call}' in "
                      f"{caller}, not a call to {wrapper} in DriverEntry")
    if immediate is not None:
        # the argument is loaded into its (caller-saved) register after the previous call: this call site, not
        # the one of the same wrapper whose block was freed
        since = index - 2
        while since >= 0 and not re.match(r"call\s", instructions[since][1]):
            since -= 1
        if not any(immediate in text for _, text in instructions[since + 1:index - 1]):
            raise Failure(f"{what}: the call before returnAddress 0x{return_address:X} does not pass {immediate}")


def check_report(name, lines, module, disasm):
    """One report's sections against the plan; returns a one-line summary."""
    sections = parse_report(lines)
    for section in ("resmon memory usage", "memory usage", "thread usage", "sync object usage", "handle usage"):
        if section not in sections:
            raise Failure(f"{name}: no '{section}' section")
    totals = {s: sections[s][0] for s in sections}
    expected = {"memory usage": 1024, "thread usage": 1, "sync object usage": 1, "handle usage": 0}
    for section, total in expected.items():
        if totals[section] != total:
            raise Failure(f"{name}: {section} {totals[section]}, expected {total}")

    blocks = records(sections["memory usage"][1])
    if len(blocks) != 1:
        raise Failure(f"{name}: {len(blocks)} pool blocks, expected only the TEST one: {blocks}")
    m = re.match(r"^base 0x([0-9A-F]{16}) size (\d+) tag ([0-9A-F]{16}) \((\w+)\)$", blocks[0][0])
    if not m or (m.group(2), m.group(3), m.group(4)) != ("1024", "0000000054534554", "NonPagedPool"):
        raise Failure(f"{name}: pool block '{blocks[0][0]}', expected size 1024 tag 0000000054534554 "
                      f"(NonPagedPool)")
    block_ra = return_address(name, blocks[0])
    check_call_site(f"{name}: pool block", block_ra, module, disasm, "ResMonKmExAllocatePoolWithTag",
                    "$0x54534554")

    threads = records(sections["thread usage"][1])
    if len(threads) != 1:
        raise Failure(f"{name}: {len(threads)} thread records, expected 1: {threads}")
    m = re.match(r"^start address 0x([0-9A-F]{16})$", threads[0][1])
    instructions, functions = disasm
    base, size, preferred = module
    if not m or int(m.group(1), 16) - base + preferred != functions.get("quick_thread"):
        raise Failure(f"{name}: thread '{threads[0][1]}' does not start at quick_thread")
    check_call_site(f"{name}: thread", return_address(name, threads[0]), module, disasm,
                    "ResMonKmPsCreateSystemThread")

    events = records(sections["sync object usage"][1])
    if len(events) != 1:
        raise Failure(f"{name}: {len(events)} sync records, expected the one event: {events}")
    if not re.match(r"^event [0-9A-F]{16} type: auto reset, initial state: nonsignaled$", events[0][0]):
        raise Failure(f"{name}: '{events[0][0]}', expected an auto-reset nonsignaled event")
    check_call_site(f"{name}: event", return_address(name, events[0]), module, disasm, "ResMonKmZwCreateEvent")
    return (f"{name}: pool block 1024 TEST at {block_ra - base:#x}, thread, event; each at its call site in "
            f"DriverEntry")


def return_address(name, record):
    for line in record:
        m = re.match(r"^returnAddress 0x([0-9A-F]{16})$", line)
        if m:
            return int(m.group(1), 16)
    raise Failure(f"{name}: record without returnAddress: {record}")


def main(argv):
    if len(argv) < 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sys_path, objdump, logs = argv[1], argv[2], argv[3:]
    lines = report_lines(logs)
    try:
        if not lines:
            raise Failure(f"no '{MARK}' lines at all: the driver did not run or Wine did not print DbgPrint")
        modules = [re.match(r"^module 0x([0-9A-F]{16}) size (\d+) (.*)$", l) for l in lines]
        modules = [m for m in modules if m]
        if len(modules) != 1 or modules[0].group(3) != NAME:
            raise Failure(f"expected one module line naming {NAME}, found {[m.group(0) for m in modules]}")
        module = (int(modules[0].group(1), 16), int(modules[0].group(2)), image_base(sys_path))
        disasm = disassembly(objdump, sys_path)
        if "DriverEntry" not in disasm[1] or "quick_thread" not in disasm[1]:
            raise Failure(f"no DriverEntry or quick_thread symbol in {sys_path} (stripped?)")

        if lines.count(EXIT_START) != 1:
            raise Failure(f"{lines.count(EXIT_START)} exit blocks, expected 1 (did DriverUnload run?)")
        start = lines.index(EXIT_START)
        end = lines.index(EXIT_END, start + 1) if EXIT_END in lines[start + 1:] else -1
        if end < 0:
            raise Failure("the exit block has no closing '=' line")
        exit_block = lines[start + 1:end]
        if exit_block[-2:] != [DETAIL_END, "error ... not all resources free"]:
            raise Failure(f"the exit block does not end with the leak verdict: {exit_block[-2:]}")
        on_demand = lines[:start]
        if DETAIL_END not in on_demand:
            raise Failure("no on-demand report (ResMonKmLogAllResources) before the exit block")
        print("check_report: " + check_report("on-demand report", on_demand, module, disasm))
        print("check_report: " + check_report("exit block", exit_block, module, disasm))
        return 0
    except Failure as e:
        print(f"check_report: FAILED: {e}", file=sys.stderr)
        print(f"check_report: the {len(lines)} report lines:", file=sys.stderr)
        for line in lines:
            print("  " + line, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
