#!/usr/bin/env python3
"""symbol_order.py BINARY TRACE... : prints BINARY's functions that the traces
(steptrace output, one per command) executed, for lld's --symbol-ordering-file.
Functions every command runs come first, then those fewer commands run; within
a group the most executed first. Laid out so, a command's code lies in a few
dense pages instead of being spread over the whole static binary."""
import bisect
import collections
import subprocess
import sys

# A static (non-PIE) binary is mapped low; addresses up there are the vDSO's.
VDSO_AND_STACK = 0x7f0000000000


def functions(binary):
    listing = subprocess.run(["nm", "-n", "--defined-only", binary], capture_output=True,
                             text=True, check=True).stdout
    starts, names = [], []
    for line in listing.splitlines():
        parts = line.split(maxsplit=2)
        if len(parts) == 3 and parts[1] in "tTwWiI":
            starts.append(int(parts[0], 16))
            names.append(parts[2])
    return starts, names


def main():
    binary, traces = sys.argv[1], sys.argv[2:]
    starts, names = functions(binary)
    commands = collections.Counter()  # how many traces ran the function
    executed = collections.Counter()  # instructions executed in it, over all traces
    for trace in traces:
        seen = set()
        with open(trace) as f:
            for line in f:
                address, count = line.split()
                address = int(address, 16)
                i = bisect.bisect_right(starts, address) - 1
                if i < 0 or address >= VDSO_AND_STACK:
                    continue
                seen.add(names[i])
                executed[names[i]] += int(count)
        commands.update(seen)
    for name in sorted(commands, key=lambda n: (-commands[n], -executed[n], n)):
        print(name)


if __name__ == "__main__":
    main()
