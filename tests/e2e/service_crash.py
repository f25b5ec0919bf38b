"""Crash safety of `shuttle serve`: kill -9 at random points of scripted sessions, restart, check
that every acknowledged event is still there exactly as it was, and that each session continues to
the same result as an uninterrupted run.

Usage: python3 service_crash.py PATH_TO_SHUTTLE SOURCE_DIR [--kills N] [--seed S]

An acknowledged request is one whose answer arrived (2xx). After each one the script reads the
mediator's whole view of the log; after every restart that log must begin with the last
acknowledged copy, byte for byte (times included). A request cut off by the kill may or may not
have been committed: the scripted parties read their caucus again and carry on either way.
"""
import argparse
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shuttle_client import Client, Party, Server, create_session  # noqa: E402

OPTIONS = {"seed": 11, "max_visits": 40}


def protocol_events(events):
    """The mediator engine's events without wall-clock times: what must match across runs."""
    out = []
    for e in events:
        if e.get("service"):
            continue
        out.append({k: v for k, v in e.items() if k not in ("at", "seq")})
    return out


class Run:
    def __init__(self, shuttle, db, scenario, rng):
        self.shuttle, self.db, self.scenario, self.rng = shuttle, db, scenario, rng
        self.server = Server(shuttle, db).start()
        self.kills = 0
        self.restarts_checked = 0
        self.acked = {}     # sid -> the mediator's event list after the last acknowledged request
        self.tokens = {}    # sid -> tokens by label

    def restart(self):
        self.server.kill()
        self.server = Server(self.shuttle, self.db).start()
        for sid, acked in self.acked.items():
            now = Client(self.server.port, self.tokens[sid]["mediator"]).get("/api/sessions/%s/events" % sid)
            assert now.status == 200, now
            events = now.json["events"]
            assert events[:len(acked)] == acked, "session %s lost or changed acknowledged events" % sid
            self.restarts_checked += 1

    def acknowledge(self, sid):
        r = Client(self.server.port, self.tokens[sid]["mediator"]).get("/api/sessions/%s/events" % sid)
        assert r.status == 200, r
        self.acked[sid] = r.json["events"]

    def attempt(self, action, kill_chance):
        """Runs one scripted action; maybe kills the server at a random moment during it."""
        timer = None
        if kill_chance > 0 and self.rng.random() < kill_chance:
            timer = threading.Timer(self.rng.uniform(0.0, 0.006), self.server.kill)
            timer.start()
        try:
            result = action()
        except (ConnectionError, OSError, AssertionError, http.client.HTTPException) as e:
            result = e
        if timer is not None:
            timer.join()
        if self.server.proc.poll() is not None:  # Killed (during or after the action): restart.
            self.kills += 1
            self.restart()
            return None
        if isinstance(result, Exception):
            raise result
        return result

    def session(self, kill_chance, max_steps=3000):
        created = None
        while created is None:  # Creating is acknowledged only by its answer, like anything else.
            created = self.attempt(lambda: create_session(Client(self.server.port), self.scenario, OPTIONS), kill_chance)
        sid = created["session"]["id"]
        self.tokens[sid] = {i["label"]: i["token"] for i in created["invitations"]}
        self.acknowledge(sid)
        t = self.tokens[sid]
        statements = 0
        for step in range(max_steps):
            port = self.server.port
            parties = [Party(Client(port, t["North negotiator"]), sid, 0, created["session"]),
                       Party(Client(port, t["South principal"]), sid, 1, created["session"])]
            who = parties[step % 2]
            if self.attempt(who.step, kill_chance) is not None:
                self.acknowledge(sid)
            if step % 7 == 3:  # The mediator's staff say something now and then: service events.
                med = Client(self.server.port, t["mediator"])
                r = self.attempt(lambda: med.post("/api/sessions/%s/statements" % sid, {"text": "update %d" % statements}),
                                 kill_chance)
                if r is not None and r.status == 201:
                    statements += 1
                    self.acknowledge(sid)
            s = Client(self.server.port, t["mediator"]).get("/api/sessions/" + sid).json
            if s["status"] != "talking":
                events = Client(self.server.port, t["mediator"]).get("/api/sessions/%s/events" % sid).json["events"]
                return s, protocol_events(events)
        raise AssertionError("session did not end")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("shuttle")
    ap.add_argument("source")
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    scenario = json.load(open(os.path.join(args.source, "tests/data/service/harbour-talks.json")))
    with tempfile.TemporaryDirectory() as tmp:
        ref_run = Run(args.shuttle, os.path.join(tmp, "reference.db"), scenario, rng)
        try:
            ref_summary, ref_events = ref_run.session(kill_chance=0)
        finally:
            ref_run.server.stop()
        print("reference: %s after %d visits, %d engine events" % (ref_summary["status"], ref_summary["visit"], len(ref_events)))
        run = Run(args.shuttle, os.path.join(tmp, "crash.db"), scenario, rng)
        sessions = 0
        try:
            while run.kills < args.kills:
                summary, events = run.session(kill_chance=0.25)
                sessions += 1
                assert summary["agreement"] == ref_summary["agreement"], "session %d ended differently" % sessions
                assert summary["status"] == ref_summary["status"]
                assert events == ref_events, "session %d's engine events differ from the uninterrupted run" % sessions
                assert sessions < 10 * max(args.kills, 1), "too few kills landed"
        finally:
            run.server.stop()
    print("crash safety: %d kill -9 over %d sessions (seed %d), %d restarts checked every acknowledged event; "
          "every session ended as the uninterrupted one" % (run.kills, sessions, args.seed, run.restarts_checked))


if __name__ == "__main__":
    main()
