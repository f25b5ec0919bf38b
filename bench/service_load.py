"""Load on `shuttle serve` (a benchmark, not a test): many concurrent mediated sessions whose
parties answer, on 127.0.0.1, against a real SQLite database (WAL, synchronous=FULL).

Usage: python3 bench/service_load.py PATH_TO_SHUTTLE [--sessions 100] [--seconds 20]
                                      [--processes 4] [--wrk-seconds 10]

Each of `sessions` drivers plays both parties of its own session with the scripted people of
tests/e2e/shuttle_client.py (read the caucus, confide, accept or object) and polls the public page
now and then, like a room left open; when its talks end it opens a new session. Drivers are threads
spread over a few processes (Python's GIL). Prints requests per second, p50/p99 latency for reads
and writes, and the server's memory from /proc (VmRSS now, VmHWM peak). Then, if wrk is installed,
a read-only peak: 100 connections polling one caucus.
"""
import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from shuttle_client import Client, Party, Server  # noqa: E402

SCENARIO = json.load(open(os.path.join(ROOT, "tests", "data", "service", "harbour-talks.json")))


class TimedClient(Client):
    """Records (is_write, seconds) per request."""

    def __init__(self, port, token, sink):
        super().__init__(port, token, timeout=60)
        self.sink = sink

    def request(self, method, path, *args, **kwargs):
        t0 = time.perf_counter()
        r = super().request(method, path, *args, **kwargs)
        self.sink.append((method != "GET", time.perf_counter() - t0))
        return r


def driver(port, deadline, sink, ended):
    while time.time() < deadline:
        c = TimedClient(port, None, sink)
        r = c.post("/api/sessions", {"scenario": SCENARIO, "options": {"max_visits": 40}})
        assert r.status == 201, r
        created = r.json
        sid = created["session"]["id"]
        t = {i["label"]: i["token"] for i in created["invitations"]}
        parties = [Party(TimedClient(port, t["North negotiator"], sink), sid, 0, created["session"]),
                   Party(TimedClient(port, t["South principal"], sink), sid, 1, created["session"])]
        observer = TimedClient(port, t["observer"], sink)
        step = 0
        while time.time() < deadline:
            for p in parties:
                p.step()
            step += 1
            if step % 3 == 0:
                observer.get("/api/sessions/%s/public" % sid)
            s = observer.get("/api/sessions/" + sid)
            if s.json["status"] != "talking":
                ended.append(s.json["status"])
                break


def process_main(port, threads, deadline, queue):
    sink, ended = [], []
    ts = [threading.Thread(target=driver, args=(port, deadline, sink, ended)) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    queue.put((sink, ended))


def memory_kb(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                k, v = line.split(":")
                out[k] = int(v.split()[0])
    return out


def percentile(xs, q):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("shuttle")
    ap.add_argument("--sessions", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--processes", type=int, default=4)
    ap.add_argument("--wrk-seconds", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(args.shuttle, os.path.join(tmp, "load.db"), extra=["--threads", str(3 * args.sessions + 16),
                                                                         # Every client is on 127.0.0.1.
                                                                         "--max-connections-per-address", "0"]).start()
        try:
            idle = memory_kb(server.proc.pid)
            deadline = time.time() + args.seconds
            queue = multiprocessing.Queue()
            per = [args.sessions // args.processes + (1 if i < args.sessions % args.processes else 0)
                   for i in range(args.processes)]
            procs = [multiprocessing.Process(target=process_main, args=(server.port, n, deadline, queue)) for n in per if n]
            t0 = time.time()
            for p in procs:
                p.start()
            results = [queue.get() for _ in procs]
            for p in procs:
                p.join()
            elapsed = time.time() - t0
            loaded = memory_kb(server.proc.pid)
            sink = [x for r in results for x in r[0]]
            ended = [x for r in results for x in r[1]]
            reads = [s for w, s in sink if not w]
            writes = [s for w, s in sink if w]
            size = sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp))
            print("service load: %d concurrent sessions for %.1f s (%d client processes), database on %s"
                  % (args.sessions, elapsed, len(procs), tmp))
            print("  requests      %d (%.0f per second); %d reads, %d writes (moves, statements, new sessions)"
                  % (len(sink), len(sink) / elapsed, len(reads), len(writes)))
            print("  latency  all  p50 %.2f ms  p99 %.2f ms" % (1e3 * percentile([s for _, s in sink], .5),
                                                             1e3 * percentile([s for _, s in sink], .99)))
            print("        reads   p50 %.2f ms  p99 %.2f ms" % (1e3 * percentile(reads, .5), 1e3 * percentile(reads, .99)))
            print("        writes  p50 %.2f ms  p99 %.2f ms  (each committed to SQLite before the answer)"
                  % (1e3 * percentile(writes, .5), 1e3 * percentile(writes, .99)))
            print("  sessions ended %d (%s)" % (len(ended), ", ".join("%s %d" % (k, ended.count(k)) for k in sorted(set(ended)))))
            print("  server memory  idle RSS %.1f MiB; after load RSS %.1f MiB, peak %.1f MiB; database %.1f MiB"
                  % (idle["VmRSS"] / 1024, loaded["VmRSS"] / 1024, loaded["VmHWM"] / 1024, size / 2**20))
            wrk = shutil.which("wrk")
            if wrk and args.wrk_seconds > 0:
                c = Client(server.port)
                created = c.post("/api/sessions", {"scenario": SCENARIO}).json
                token = {i["label"]: i["token"] for i in created["invitations"]}["North negotiator"]
                url = "http://127.0.0.1:%d/api/sessions/%s/parties/0/caucus" % (server.port, created["session"]["id"])
                out = subprocess.run([wrk, "-t2", "-c100", "-d%ds" % args.wrk_seconds, "--latency",
                                      "-H", "Authorization: Bearer " + token, url],
                                     capture_output=True, text=True, check=True).stdout
                print("  wrk, reads only (GET caucus, 100 connections, %d s):" % args.wrk_seconds)
                for line in out.splitlines():
                    if any(k in line for k in ("Requests/sec", " 50%", " 99%", "Non-2xx", "Socket errors")):
                        print("   " + line.strip())
                print("  server memory after wrk: RSS %.1f MiB" % (memory_kb(server.proc.pid)["VmRSS"] / 1024))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
