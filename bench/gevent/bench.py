#!/usr/bin/python3
"""The programs of gopatch's bench package, written with greenlet and gevent.

Each benchmark does what its Go namesake in ../programs_test.go does, with the
same definition of one op, and prints one line per run in Go's benchmark
format, named impl=gevent, so that benchstat reads it beside go test's output:

    BenchmarkSwitch/impl=gevent-2  2000000  157.2 ns/op

Usage: bench.py [-count N] [-benchtime DURATION] [-bench REGEXP]
"""

import argparse
import gc
import os
import re
import subprocess
import sys
import time

import gevent
import gevent.event
import gevent.queue
from greenlet import greenlet

WAKE_COUNT = 10_000  # waiters woken per op by EventWake10000
PARKED_COUNT = 100_000  # greenlets parked by ParkedMemory


def switch(n):
    """One op is one greenlet.switch between two greenlets. One greenlet
    counts the rounds, so that a round of two switches costs one step of a
    for loop."""

    def mine():
        to_theirs = gb.switch
        for _ in range(n):
            to_theirs()

    def theirs():
        to_mine = ga.switch
        while True:
            to_mine()

    ga, gb = greenlet(mine), greenlet(theirs)
    t = time.perf_counter_ns()
    ga.switch()
    t = time.perf_counter_ns() - t
    gb.throw()  # GreenletExit: gb dies and returns here
    return t / 2, {}  # n rounds are 2n switches: n switches took t/2


def yield_(n):
    """One op is one gevent.sleep(0) by each of two greenlets."""
    stop = [False]

    def mine():
        for _ in range(n):
            gevent.sleep(0)
        stop[0] = True

    def theirs():
        while not stop[0]:
            gevent.sleep(0)

    t = time.perf_counter_ns()
    gevent.joinall([gevent.spawn(mine), gevent.spawn(theirs)])
    t = time.perf_counter_ns() - t
    return t, {"ns/yield": t / (2 * n)}


def spawn_join(n):
    """One op spawns one greenlet and joins it."""
    ran = [0]

    def fn():
        ran[0] += 1

    t = time.perf_counter_ns()
    for _ in range(n):
        gevent.spawn(fn).join()
    t = time.perf_counter_ns() - t
    assert ran[0] == n
    return t, {}


def chan_ping_pong(n):
    """One op is a round trip through two gevent.queue.Channels."""
    ping, pong = gevent.queue.Channel(), gevent.queue.Channel()

    def partner():
        while True:
            v = ping.get()
            if v < 0:
                return
            pong.put(v + 1)

    p = gevent.spawn(partner)
    gevent.sleep(0)
    last = 0
    t = time.perf_counter_ns()
    for _ in range(n):
        ping.put(last)
        last = pong.get()
    t = time.perf_counter_ns() - t
    ping.put(-1)
    p.join()
    assert last == n
    return t, {}


class Round:
    __slots__ = ("ev", "done", "left", "next")

    def __init__(self):
        self.ev = gevent.event.Event()
        self.done = gevent.event.Event()
        self.left = 0
        self.next = None


def event_wake(n):
    """One op sets an Event that 10,000 greenlets wait on and waits until
    every one has counted itself and waits on the next round."""
    first = Round()
    stop = [False]
    wakes = [0]

    def waiter():
        r = first
        while True:
            r.ev.wait()
            if stop[0]:
                return
            wakes[0] += 1
            r.left -= 1
            if r.left == 0:
                r.done.set()
            r = r.next

    gs = [gevent.spawn(waiter) for _ in range(WAKE_COUNT)]
    gevent.sleep(0)
    r = first
    t = time.perf_counter_ns()
    for _ in range(n):
        r.next = Round()
        r.left = WAKE_COUNT
        r.ev.set()
        r.done.wait()
        r = r.next
    t = time.perf_counter_ns() - t
    stop[0] = True
    r.ev.set()
    gevent.joinall(gs)
    assert wakes[0] == n * WAKE_COUNT
    return t, {}


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def parked_here():
    """Bytes of resident memory per greenlet parked in Event.wait."""
    ev = gevent.event.Event()
    gs = [None] * PARKED_COUNT
    gc.collect()
    before = rss()
    for i in range(PARKED_COUNT):
        gs[i] = gevent.spawn(ev.wait)
    gevent.sleep(0)
    gc.collect()
    after = rss()
    ev.set()
    gevent.joinall(gs)
    return (after - before) / PARKED_COUNT


def parked_memory(n):
    """Each op measures in a fresh interpreter, whose allocator has not yet
    got memory back from earlier greenlets, as the Go side uses a fresh
    process."""
    total = 0.0
    for _ in range(n):
        out = subprocess.run([sys.executable, __file__, "-parked-child"],
                             check=True, capture_output=True, text=True).stdout
        total += float(out)
    return None, {"B/parked": total / n}


BENCHMARKS = [
    ("Switch", switch),
    ("Yield", yield_),
    ("SpawnJoin", spawn_join),
    ("ChanPingPong", chan_ping_pong),
    ("EventWake10000", event_wake),
    ("ParkedMemory", parked_memory),
]


def run(name, fn, benchtime):
    """Grows n as testing.B does until one run takes benchtime, and prints
    that run."""
    if name == "ParkedMemory":
        n = 1
        _, extra = fn(n)
        fmt_line(name, n, None, extra)
        return
    n = 1
    while True:
        t, extra = fn(n)
        if t >= benchtime * 1e9 or n >= 1e9:
            break
        per = max(t / n, 1)
        n = int(min(100 * n, max(n + 1, 1.2 * benchtime * 1e9 / per)))
    fmt_line(name, n, t / n, extra)


def fmt_line(name, n, ns_per_op, extra):
    fields = [f"Benchmark{name}/impl=gevent-{os.cpu_count()}", str(n)]
    if ns_per_op is not None:
        fields.append(f"{ns_per_op:.1f} ns/op")
    for unit, v in extra.items():
        fields.append(f"{v:.1f} {unit}")
    print("\t".join(fields), flush=True)


def duration(s):
    """Seconds in a Go duration such as 1s, 1.5s or 200ms."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", s)
    if not m:
        raise argparse.ArgumentTypeError(f"bad duration {s!r}: want e.g. 1s or 200ms")
    return float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)


def main():
    if sys.argv[1:] == ["-parked-child"]:
        print(parked_here())
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-count", type=int, default=1)
    ap.add_argument("-benchtime", type=duration, default=1.0,
                    help="time per benchmark, as Go writes it: 1s, 500ms")
    ap.add_argument("-bench", default=".")
    args = ap.parse_args()
    import greenlet as greenlet_module
    # The configuration lines of go test ./bench, and names suffixed with
    # the CPU count as go test suffixes GOMAXPROCS, so that benchstat puts
    # impl=gevent in the same rows as the Go impls.
    print(f"# gevent {gevent.__version__}, greenlet {greenlet_module.__version__}, "
          f"python {sys.version.split()[0]}")
    print("goos: linux")
    print("goarch: amd64")
    print("pkg: github.com/gopatch/gopatch/bench")
    pat = re.compile(args.bench)
    for name, fn in BENCHMARKS:
        if pat.search(f"Benchmark{name}"):
            for _ in range(args.count):
                run(name, fn, args.benchtime)


if __name__ == "__main__":
    main()
