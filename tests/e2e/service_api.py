"""`shuttle serve` over loopback: a whole mediated session, the authorization matrix with marker
scanning of every body and header, bad input, restart, and bad-token rate limiting.

Usage: python3 service_api.py PATH_TO_SHUTTLE SOURCE_DIR
"""
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shuttle_client import Client, Party, Server, create_session, play  # noqa: E402

NOT_FOUND = b'{"error":{"code":"not_found","message":"not found"}}'
ROLES = ["mediator", "North principal", "North negotiator", "North adviser",
         "South principal", "South negotiator", "South adviser", "observer"]
NORTH_SECRET = "the fishing fleet would leave"
KINDS = ["NORTH-CONF", "NORTH-NOTE", "MED-NORTH", "SOUTH-CONF", "SOUTH-NOTE", "MED-SOUTH", "ANON", "PUBLIC"]
ENDPOINTS = [  # method, path, reach, roles allowed within reach
    ("GET", "/api/me", "none", ""),
    ("GET", "/api/sessions/{sid}", "session", ""),
    ("GET", "/api/sessions/{sid}/events", "session", ""),
    ("GET", "/api/sessions/{sid}/public", "session", ""),
    ("GET", "/api/sessions/{sid}/stream", "session", ""),
    ("POST", "/api/sessions/{sid}/anonymous-notes", "session", ""),
    ("GET", "/api/sessions/{sid}/parties/{p}/caucus", "caucus", ""),
    ("GET", "/api/sessions/{sid}/parties/{p}/profile", "members", ""),
    ("POST", "/api/sessions/{sid}/parties/{p}/confide", "caucus", "principal negotiator adviser"),
    ("POST", "/api/sessions/{sid}/parties/{p}/accept", "caucus", "principal negotiator"),
    ("POST", "/api/sessions/{sid}/parties/{p}/object", "caucus", "principal negotiator"),
    ("POST", "/api/sessions/{sid}/parties/{p}/counter", "caucus", "principal negotiator"),
    ("POST", "/api/sessions/{sid}/parties/{p}/walk-out", "caucus", "principal"),
    ("POST", "/api/sessions/{sid}/parties/{p}/notes", "caucus", ""),
    ("GET", "/api/sessions/{sid}/mediator", "mediator", ""),
    ("POST", "/api/sessions/{sid}/statements", "mediator", ""),
    ("POST", "/api/sessions/{sid}/close", "mediator", ""),
    ("GET", "/api/sessions/{sid}/invitations", "mediator", ""),
    ("POST", "/api/sessions/{sid}/invitations", "mediator", ""),
    ("DELETE", "/api/sessions/{sid}/invitations/nonexistent", "mediator", ""),
]

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        if len(failures) < 30:
            print("FAIL:", what)


def tokens_of(created):
    return {i["label"]: i["token"] for i in created["invitations"]}


def role_of(label):
    return label if label in ("mediator", "observer") else label.split(" ", 1)[1]


def party_of(label):
    return 0 if label.startswith("North") else 1 if label.startswith("South") else -1


def whole_session(client, scenario):
    created = create_session(client, scenario)
    sid = created["session"]["id"]
    t = tokens_of(created)
    check(len(t) == 8, "eight default invitations")
    med = Client(client.port, t["mediator"])
    parties = [Party(Client(client.port, t["North negotiator"]), sid, 0, created["session"]),
               Party(Client(client.port, t["South principal"]), sid, 1, created["session"])]
    end = play(parties, med, sid)
    check(end["status"] == "agreement", "the scripted session ends in agreement, got %s" % end["status"])
    pub = Client(client.port, t["observer"]).get("/api/sessions/%s/public" % sid).json
    check(pub["agreement"] == end["agreement"], "the public page shows the agreement")
    check(len(pub["statements"]) == end["visit"], "one statement per visit")
    console = med.get("/api/sessions/%s/mediator" % sid).json
    check(len(console["gap_by_visit"]) == end["visit"], "the console has the gap of every visit")
    check(all(p["model"]["confided"] for p in console["parties"]), "the console shows what each party confided")
    print("whole session: %s after %d visits: %s" % (end["status"], end["visit"], json.dumps(end["agreement"])))
    return sid, t


def plant(client, sid, t, s):
    base = "/api/sessions/" + sid
    def ok(r):
        check(r.status < 300, "planting: %r" % r)
    c = lambda label: Client(client.port, t[label])
    ok(c("North negotiator").post(base + "/parties/0/confide", {"red_lines": [
        {"issue": "berths", "forbid": ["south keeps all"], "note": "MK-%s-NORTH-CONF" % s}]}))
    ok(c("North adviser").post(base + "/parties/0/notes", {"text": "MK-%s-NORTH-NOTE" % s}))
    ok(c("mediator").post(base + "/parties/0/notes", {"text": "MK-%s-MED-NORTH" % s}))
    ok(c("North principal").post(base + "/parties/0/counter", {"outcome": {
        "berths": "north keeps all", "dredging": "south pays", "patrols": 3, "start": "spring"}}))
    ok(c("South negotiator").post(base + "/parties/1/confide", {"red_lines": [
        {"issue": "patrols", "at_most": 2, "note": "MK-%s-SOUTH-CONF" % s}]}))
    ok(c("South principal").post(base + "/parties/1/notes", {"text": "MK-%s-SOUTH-NOTE" % s}))
    ok(c("mediator").post(base + "/parties/1/notes", {"text": "MK-%s-MED-SOUTH" % s}))
    ok(c("South negotiator").post(base + "/parties/1/counter", {"outcome": {
        "berths": "south keeps all", "dredging": "north pays", "patrols": 0, "start": "summer"}}))
    ok(c("observer").post(base + "/anonymous-notes", {"text": "MK-%s-ANON" % s}))
    time.sleep(1.1)  # Anonymous notes reach the mediator's console once their batch (1 s here) is over.
    ok(c("mediator").post(base + "/statements", {"text": "MK-%s-PUBLIC" % s}))


def allowed(s, label):
    out = {"MK-%s-PUBLIC" % s}
    if label == "mediator":
        out |= {"MK-%s-%s" % (s, k) for k in KINDS}
    elif party_of(label) == 0:
        out |= {"MK-%s-%s" % (s, k) for k in ("NORTH-CONF", "NORTH-NOTE", "MED-NORTH")} | {NORTH_SECRET}
    elif party_of(label) == 1:
        out |= {"MK-%s-%s" % (s, k) for k in ("SOUTH-CONF", "SOUTH-NOTE", "MED-SOUTH")}
    return out


def in_reach(reach, label, own, party):
    if reach == "none":
        return True
    if not own:
        return False
    if reach in ("caucus", "members") and party not in (0, 1):
        return False
    member = party_of(label) >= 0 and party_of(label) == party
    if reach == "session":
        return True
    if reach == "mediator":
        return label == "mediator"
    if reach == "members":
        return member
    return member or label == "mediator"


def matrix(client, scenario):
    sids, tokens = {}, {}
    for s in ("A", "B"):
        created = create_session(client, scenario)
        sids[s] = created["session"]["id"]
        tokens[s] = tokens_of(created)
        plant(client, sids[s], tokens[s], s)
    markers = [NORTH_SECRET] + ["MK-%s-%s" % (s, k) for s in ("A", "B") for k in KINDS]
    n = 0
    for s in ("A", "B"):
        for label in ROLES:
            c = Client(client.port, tokens[s][label])
            ok_markers = allowed(s, label)
            seen = ""
            for method, path, reach, roles in ENDPOINTS:
                party_values = ["0", "1", "2", "x"] if "{p}" in path else ["-"]
                for target in ("A", "B"):
                    for p in party_values:
                        url = path.replace("{sid}", sids[target]).replace("{p}", p)
                        body = b'{"unknown_field": 1}' if method == "POST" else None
                        # Half the requests carry the token as a link does (?token=).
                        r = c.request(method, url, raw_body=body, query_token=(n % 2 == 1))
                        n += 1
                        party = int(p) if p in ("0", "1") else -1
                        where = "%s/%s %s %s" % (s, label, method, url)
                        if not in_reach(reach, label, s == target, party):
                            check(r.status == 404 and r.body == NOT_FOUND, where + " -> %r" % r)
                        elif roles and role_of(label) not in roles.split():
                            check(r.status == 403, where + " -> %r" % r)
                        elif method == "DELETE":
                            check(r.body == NOT_FOUND, where + " -> %r" % r)
                        else:
                            check(r.status == (200 if method == "GET" else 400), where + " -> %r" % r)
                        text = r.body.decode("utf-8", "replace") + "\n" + "\n".join("%s: %s" % h for h in r.headers)
                        seen += text
                        for m in markers:
                            if m not in ok_markers:
                                check(m not in text, where + " leaks " + m)
            for m in ok_markers:
                check(m in seen, "%s/%s never sees %s" % (s, label, m))
    print("authorization matrix: %d requests over loopback" % n)
    return sids, tokens


def bad_input(client, sid, t):
    c = Client(client.port, t["North negotiator"])
    med = Client(client.port, t["mediator"])
    base = "/api/sessions/%s" % sid
    before = med.get(base + "/events").json["next"]
    cases = [
        ("/parties/0/notes", b'{"text": ', 400),
        ("/parties/0/notes", b'"just a string"', 400),
        ("/parties/0/notes", b'{"text": "hi", "mood": "calm"}', 400),
        ("/parties/0/notes", b'{"text": ["hi"]}', 400),
        ("/parties/0/notes", b'{"text": "' + b"a" * 5000 + b'"}', 400),
        ("/parties/0/notes", b'{"text": "' + b"a" * 100000 + b'"}', 413),
        ("/parties/0/confide", b'{"weights": {"berths": "heavy"}}', 400),
        ("/parties/0/confide", b'{"reservation_value": 2}', 400),
        ("/parties/0/counter", b'{"outcome": {"berths": "even split"}}', 400),
        ("/parties/0/object", b'{"issues": "all"}', 400),
        ("/statements", b'{"text": null}', 400),
    ]
    for path, body, status in cases:
        caller = med if path == "/statements" else c
        r = caller.request("POST", base + path, raw_body=body)
        check(r.status == status and r.json and r.json["error"]["message"], "%s %r -> %r" % (path, body[:40], r))
    # Larger than any limit: refused before it is read whole.
    r = c.request("POST", "/api/sessions", raw_body=b'{"scenario": "' + b"x" * (5 << 20) + b'"}')
    check(r.status == 413 and r.json and r.json["error"]["code"] == "payload_too_large", "5 MiB body -> %r" % r)
    r = c.request("POST", "/api/sessions", raw_body=b'{"scenario": {"format": "shuttle-scenario"}, "extra": 1}')
    check(r.status == 400 and b"extra" in r.body, "unknown field in create -> %r" % r)
    after = med.get(base + "/events").json["next"]
    check(after == before, "bad input stored nothing (%d events before, %d after)" % (before, after))
    print("bad input: %d cases" % (len(cases) + 2))


def rate_limit(client, sid, t):
    bad = "B" * 43
    statuses = [client.get("/api/sessions/" + sid, token=bad).status for _ in range(21)]
    check(statuses == [401] * 21, "bad tokens answer 401 until the limit: %r" % statuses)
    r = client.get("/api/sessions/" + sid, token=bad)
    retry = dict((k.lower(), v) for k, v in r.headers).get("retry-after")
    check(r.status == 429 and retry and int(retry) > 0, "then bad tokens wait: %r %r" % (r, retry))
    # Issue 12.5: behind a proxy one address is everyone; a valid token is never refused.
    good = client.get("/api/sessions/" + sid, token=t["mediator"])
    check(good.status == 200, "a valid token from the blocked address is served: %r" % good)
    created = client.request("POST", "/api/sessions", body={"scenario": json.load(open(os.path.join(
        sys.argv[2], "tests/data/service/harbour-talks.json")))})
    check(created.status == 201, "session creation (no create key) from the blocked address: %r" % created)
    print("rate limit: 429 with Retry-After %s after 21 bad tokens; valid tokens still served" % retry)


def stored_safely(folder, tokens):
    """The database is in WAL mode and holds token hashes, never a token."""
    import sqlite3
    db = sqlite3.connect(os.path.join(folder, "api.db"))
    mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    hashes = db.execute("SELECT COUNT(*) FROM invitations").fetchone()[0]
    db.close()
    check(mode == "wal", "journal mode is WAL, not %s" % mode)
    raw = b"".join(open(os.path.join(folder, f), "rb").read() for f in os.listdir(folder) if f.startswith("api.db"))
    check(hashes >= len(tokens), "every invitation is stored")
    for label, token in tokens.items():
        check(token.encode() not in raw, "the token of %s is not in the database files" % label)
    print("storage: WAL; %d token hashes, no token in the database files" % hashes)


def main():
    shuttle, source = sys.argv[1], sys.argv[2]
    scenario = json.load(open(os.path.join(source, "tests/data/service/harbour-talks.json")))
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "api.db")
        # Short anonymous-note batches and event streams, so the matrix sees both within the test.
        flags = ["--anonymous-batch", "1", "--stream-seconds", "0"]
        server = Server(shuttle, db, flags).start()
        try:
            client = Client(server.port)
            r = client.get("/api/health")
            check(r.status == 200 and r.json["ok"], "health")
            sid, t = whole_session(client, scenario)
            stored_safely(tmp, t)
            sids, tokens = matrix(client, scenario)
            bad_input(client, sids["A"], tokens["A"])
            events = Client(server.port, t["mediator"]).get("/api/sessions/%s/events" % sid).body
            server.stop()
            server = Server(shuttle, db, flags).start()
            client = Client(server.port)
            again = Client(server.port, t["mediator"]).get("/api/sessions/%s/events" % sid).body
            check(again == events, "after a restart the log reads the same")
            listening = [l for l in server.output if "listening on" in l]
            check(listening and "(3 sessions" in listening[-1], "all sessions reloaded: %r" % listening)
            rate_limit(client, sid, t)
        finally:
            server.stop()
    if failures:
        print("%d failures" % len(failures))
        sys.exit(1)
    print("service api: ok")


if __name__ == "__main__":
    main()
