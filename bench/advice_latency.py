"""Latency of the engine's advice to a person in the mediator's seat, whole requests through
`shuttle serve` on 127.0.0.1 (a benchmark, not a test).

Usage: python3 bench/advice_latency.py PATH_TO_SHUTTLE [--requests 50] [--visits 4]

For the example (examples/car-sale.json) and the largest 2-party linear corpus domain
(genius-templates/6issues, 10^6 outcomes, converted with `shuttle convert`): creates a session
with a person in the seat and two reticent automated parties, plays `visits` visits through the
seat's moves (each party sees the engine's suggestion), then times `requests` advice requests on
drafts that change one issue at a time, as a mediator editing a draft would. Prints the median,
90th percentile and largest time per scenario.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from shuttle_client import Client, Server  # noqa: E402

CORPUS = os.path.join(ROOT, "..", "shared", "domains", "genius", "genius-templates", "6issues")


def scenarios(shuttle, tmp):
    yield "example (car-sale)", json.load(open(os.path.join(ROOT, "examples", "car-sale.json")))
    if not os.path.isdir(CORPUS):
        print("no corpus at %s: the 10^6-outcome domain is skipped" % CORPUS)
        return
    out = os.path.join(tmp, "6issues.json")
    files = [os.path.join(CORPUS, f) for f in ("6issues.xml", "6issues_util1.xml", "6issues_util2.xml")]
    subprocess.run([shuttle, "convert", "-o", out] + files, check=True, capture_output=True)
    yield "corpus genius-templates/6issues (10^6 outcomes)", json.load(open(out))


def measure(port, name, scenario, requests, visits):
    c = Client(port, timeout=60)
    r = c.request("POST", "/api/sessions", {"scenario": scenario, "options": {
        "mediator": "person", "parties": ["reticent", "reticent"]}})
    assert r.status == 201, r
    sid = r.json["session"]["id"]
    token = next(i["token"] for i in r.json["invitations"] if i["role"] == "mediator")
    seat = Client(port, token, timeout=60)

    def move(body):
        m = seat.request("POST", "/api/sessions/%s/mediator/moves" % sid, body)
        assert m.status == 200, (body, m)

    def advice(draft=None):
        a = seat.request("POST", "/api/sessions/%s/mediator/advice" % sid,
                         {"draft": draft} if draft else {})
        assert a.status == 200, a
        return a.json["advice"]

    for visit in range(visits):
        suggestion = advice()["draft"] if visit > 0 else None
        for p in (visit % 2, 1 - visit % 2):
            move({"move": "open", "party": p})
            move({"move": "text", "outcome": suggestion} if suggestion else {"move": "text"})
            move({"move": "leave"})
        move({"move": "round"})
    draft = dict(advice()["draft"])
    issues = [i for i in scenario["issues"]]
    times = []
    for k in range(requests):
        issue = issues[k % len(issues)]
        if issue.get("type", "discrete") == "discrete":
            values = issue["values"]
            draft[issue["name"]] = values[(values.index(draft[issue["name"]]) + 1) % len(values)]
        else:  # The next value of an integer issue or of a real issue's grid (the next step).
            lo, hi = issue["lower"], issue["upper"]
            step = 1 if issue["type"] == "integer" else issue.get("step") or (hi - lo) / 10
            count = int(round((hi - lo) / step)) + 1
            at = int(round((draft[issue["name"]] - lo) / step))
            draft[issue["name"]] = min(hi, lo + (at + 1) % count * step)
        t0 = time.perf_counter()
        advice(draft)
        times.append(time.perf_counter() - t0)
    times.sort()
    print("%-50s advice: %d requests, median %.1f ms, p90 %.1f ms, largest %.1f ms" % (
        name, len(times), 1e3 * statistics.median(times), 1e3 * times[int(0.9 * len(times))],
        1e3 * times[-1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("shuttle")
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--visits", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(os.path.abspath(args.shuttle), os.path.join(tmp, "advice.db")).start()
        try:
            for name, scenario in scenarios(args.shuttle, tmp):
                measure(server.port, name, scenario, args.requests, args.visits)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
