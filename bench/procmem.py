#!/usr/bin/env python3
"""procmem.py — peak memory of a process tree that is not our child (a PostgreSQL server).

    procmem.py PID STOPFILE     sample every 50 ms until STOPFILE exists, then print
                                "peak_kb N" (largest sum of PSS over PID and its descendants)

PSS (proportional set size) counts shared memory (shared_buffers) once across the server's
processes, where summing RSS would count it in every backend."""
import os
import sys
import time


def children(pid):
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return kids


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    root, stop = int(sys.argv[1]), sys.argv[2]
    peak = 0
    while not os.path.exists(stop):
        todo, total = [root], 0
        while todo:
            p = todo.pop()
            total += pss_kb(p)
            todo += children(p)
        peak = max(peak, total)
        time.sleep(0.05)
    print(f"peak_kb {peak}")


if __name__ == "__main__":
    main()
