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
