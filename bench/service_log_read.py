"""Reading a long log (a benchmark, not a test): one session with a 14,000-event log on
`shuttle serve`, then `--clients` threads reading GET .../events without `after` for `--seconds`.
Prints requests/s, p50/p99 latency and the server's memory (VmRSS before and after, VmHWM).
The server answered the whole log to such a read before events were paged; now the first page.

Usage: python3 bench/service_log_read.py PATH_TO_SHUTTLE [--events 14000] [--clients 50] [--seconds 10]
"""
import argparse
import json
import os
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from shuttle_client import Client, Server, create_session  # noqa: E402


def memory(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) // 1024
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("shuttle")
    ap.add_argument("--events", type=int, default=14000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10)
    a = ap.parse_args()
    scenario = json.load(open(os.path.join(ROOT, "tests", "data", "service", "harbour-talks.json")))
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(a.shuttle, os.path.join(tmp, "log.db")).start()
        try:
            created = create_session(Client(server.port), scenario)
            sid = created["session"]["id"]
            tokens = {i["label"]: i["token"] for i in created["invitations"]}
            med = Client(server.port, tokens["mediator"])
            for i in range(a.events):
                r = med.post("/api/sessions/%s/statements" % sid, {"text": "statement %d of a long log" % i})
                assert r.status == 201, r
            before = memory(server.proc.pid)
            times, stop = [], time.time() + a.seconds
            lock = threading.Lock()

            def reader():
                c = Client(server.port, tokens["observer"], timeout=60)
                mine = []
                while time.time() < stop:
                    t0 = time.perf_counter()
                    r = c.get("/api/sessions/%s/events" % sid)
                    assert r.status == 200, r
                    mine.append(time.perf_counter() - t0)
                with lock:
                    times.extend(mine)
            threads = [threading.Thread(target=reader) for _ in range(a.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            after = memory(server.proc.pid)
        finally:
            server.stop()
    times.sort()
    pct = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1e3  # noqa: E731
    print("%d events, %d clients, %.0f s: %.0f requests/s, p50 %.1f ms, p99 %.1f ms; server RSS %d -> %d MiB "
          "(peak %d MiB)" % (a.events, a.clients, a.seconds, len(times) / a.seconds, pct(0.5), pct(0.99),
                             before["VmRSS"], after["VmRSS"], after["VmHWM"]))


if __name__ == "__main__":
    main()
