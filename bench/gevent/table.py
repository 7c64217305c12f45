#!/usr/bin/python3
"""Prints compare.sh's tables from Go benchmark-format files.

Usage: table.py FILE...

Each FILE holds lines such as "BenchmarkSwitch/impl=greenlet-2 N 61.3 ns/op"
from go test -bench or bench.py. The median of every (benchmark, impl, unit)
is set beside gevent's and beside the Go baseline, with the target each must
meet. The exit status is 0 even when a target is missed: this reports.
"""

import re
import statistics
import sys

LINE = re.compile(r"^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$")


def parse(paths):
    runs = {}  # (bench, impl, unit) -> [values]
    for path in paths:
        with open(path) as f:
            for line in f:
                m = LINE.match(line.strip())
                if not m or "/impl=" not in m.group(1):
                    continue
                bench, impl = m.group(1).split("/impl=", 1)
                fields = m.group(2).split()
                for value, unit in zip(fields[0::2], fields[1::2]):
                    runs.setdefault((bench, impl, unit), []).append(float(value))
    return {k: statistics.median(v) for k, v in runs.items()}, {k: len(v) for k, v in runs.items()}


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "ns/op" and v >= 1e6:
        return f"{v / 1e6:,.2f} ms"
    if unit == "ns/op" and v >= 1e4:
        return f"{v / 1e3:,.2f} µs"
    short = {"ns/op": "ns", "ns/yield": "ns", "B/parked": "B"}[unit]
    return f"{v:,.0f} {short}" if v >= 100 else f"{v:,.1f} {short}"


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())


def main():
    med, count = parse(sys.argv[1:])

    def get(bench, impl, unit):
        return med.get((bench, impl, unit))

    # Against gevent: gevent's figure over gopatch's, at least `want`.
    vs_gevent = [
        ("switch (Greenlet.Switch vs greenlet.switch)", "Switch", "greenlet", "ns/op", 2.5),
        ("yield (rt.Sleep(0) vs gevent.sleep(0))", "Yield", "greenlet", "ns/yield", 10),
        ("spawn+join, per greenlet", "SpawnJoin", "greenlet", "ns/op", 10),
        ("Channel ping-pong, per round trip", "ChanPingPong", "channel", "ns/op", 10),
        ("chan ping-pong (rt.Send/Recv), per round trip", "ChanPingPong", "chan", "ns/op", 10),
        ("Event.Set waking 10,000 waiters", "EventWake10000", "greenlet", "ns/op", 10),
        ("memory per parked greenlet", "ParkedMemory", "greenlet", "B/parked", 10),
    ]
    rows = []
    for label, bench, impl, unit, want in vs_gevent:
        ours, theirs = get(bench, impl, unit), get(bench, "gevent", unit)
        if ours is None:
            continue
        ratio = theirs / ours if ours and theirs else None
        rows.append([label, fmt(ours, unit), fmt(theirs, unit),
                     f"{ratio:.2f}x better" if ratio else "-",
                     f">= {want:g}x better",
                     "-" if ratio is None else ("PASS" if ratio >= want else "FAIL")])
    print("gopatch vs gevent (medians of each side's runs, from one run of compare.sh)")
    table(["metric", "gopatch", "gevent", "ratio", "target", "result"], rows)
    print()

    # Against the Go baseline in the same benchmark: greenlet over baseline,
    # at most `limit` (or an absolute bound for Yield).
    vs_go = [
        # The issue asks for a Switch within 2x one raw coroutine switch; an
        # iter.Pull round trip is two of them.
        ("switch: Greenlet.Switch / iter.Pull round trip", "Switch", "greenlet", "iterpull", "ns/op", 1.0, None),
        ("yield: rt.Sleep(0) / runtime.Gosched", "Yield", "greenlet", "gosched", "ns/yield", None, 150),
        ("yield: rt.Sleep(0) / iter.Pull round trip", "Yield", "greenlet", ("Switch", "iterpull", "ns/op"), "ns/yield", None, None),
        ("spawn+join: rt.Spawn+Join / go+WaitGroup", "SpawnJoin", "greenlet", "goroutine", "ns/op", 2.0, None),
        ("ping-pong: rt.Channel / unbuffered chan", "ChanPingPong", "channel", "goroutine", "ns/op", None, None),
        ("ping-pong: rt.Send+Recv / unbuffered chan", "ChanPingPong", "chan", "goroutine", "ns/op", None, None),
        ("wake 10,000: Event.Set / close(chan)", "EventWake10000", "greenlet", "goroutine", "ns/op", None, None),
        ("parked: greenlet / goroutine", "ParkedMemory", "greenlet", "goroutine", "B/parked", 1.5, None),
    ]
    rows = []
    for label, bench, impl, base, unit, limit, absolute in vs_go:
        ours = get(bench, impl, unit)
        # base is an impl of the same benchmark, or (benchmark, impl, unit).
        theirs = get(*base) if isinstance(base, tuple) else get(bench, base, unit)
        if ours is None:
            continue
        ratio = ours / theirs if ours and theirs else None
        if limit is not None:
            target, ok = f"<= {limit:g}x", ratio is not None and ratio <= limit
        elif absolute is not None:
            target, ok = f"<= {absolute:g} {unit.split('/')[0]}", ours <= absolute
        else:
            target, ok = "(none)", None
        rows.append([label, fmt(ours, unit), fmt(theirs, base[2] if isinstance(base, tuple) else unit),
                     f"{ratio:.2f}x" if ratio else "-", target,
                     "-" if ok is None else ("PASS" if ok else "FAIL")])
    print("gopatch vs its Go baseline (same go test run)")
    table(["metric", "gopatch", "Go baseline", "ratio", "target", "result"], rows)
    runs = sorted(set(count.values()))
    print(f"\nruns per figure: {', '.join(map(str, runs))}")


if __name__ == "__main__":
    main()
