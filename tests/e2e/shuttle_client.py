"""A small client of `shuttle serve` for the service's end-to-end tests and load benchmark.

Debian's python3 only (http.client, json, subprocess). Starts the server on 127.0.0.1 with an
ephemeral port, speaks the API of docs/api.md, and plays a party the way a careful person would:
confide the profile once, then accept a text when it is good enough for this visit, else object to
the issue where the text hurts most. Every decision reads only the party's own caucus, so a script
that is interrupted anywhere and restarted plays on to the same result.
"""
import http.client
import json
import os
import re
import select
import signal
import subprocess
import threading
import time


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body        # bytes
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "Response(%d, %r)" % (self.status, self.body[:200])


class Client:
    """One keep-alive connection; reconnects after a server restart."""

    def __init__(self, port, token=None, timeout=10):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn = None
        self.used = 0.0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, token=None, raw_body=None, headers=None, query_token=False):
        token = self.token if token is None else token
        hdrs = dict(headers or {})
        if token and not query_token:
            hdrs["Authorization"] = "Bearer " + token
        if token and query_token:
            path += ("&" if "?" in path else "?") + "token=" + token
        data = raw_body if raw_body is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        # A GET is retried once on a fresh connection (the server may have closed an idle one); a
        # POST never is: the caller decides whether a move whose answer was lost is repeated.
        attempts = 2 if method == "GET" else 1
        if self.conn is not None and time.time() - self.used > 3:
            self.close()  # The server drops keep-alive connections idle for 5 s.
        self.used = time.time()
        for attempt in range(attempts):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                r = self.conn.getresponse()
                return Response(r.status, r.getheaders(), r.read())
            except (http.client.HTTPException, ConnectionError, OSError):
                self.close()
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body if body is not None else {}, **kw)


class Server:
    """`shuttle serve` on 127.0.0.1, port 0; read the port and any --open links from stdout."""

    def __init__(self, shuttle, db, extra=(), env=None):
        self.shuttle = shuttle
        self.db = db
        self.extra = list(extra)
        self.env = env
        self.proc = None
        self.port = None
        self.links = {}   # label -> link
        self.output = []

    def start(self, timeout=30):
        self.proc = subprocess.Popen([self.shuttle, "serve", "--db", self.db, "--port", "0"] + self.extra,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + timeout
        buf = b""
        while time.time() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if not ready:
                if self.proc.poll() is not None:
                    break
                continue
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode()
                self.output.append(text)
                m = re.match(r"^  (.*?)\s+(http://\S+)$", text)
                if m:
                    self.links[m.group(1)] = m.group(2)
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", text)
                if m:
                    self.port = int(m.group(1))
                    # Keep reading what the server prints, so it never blocks on a full pipe.
                    threading.Thread(target=self._drain, daemon=True).start()
                    return self
        raise RuntimeError("shuttle serve did not start:\n" + "\n".join(self.output) + buf.decode(errors="replace"))

    def _drain(self):
        try:
            for line in iter(self.proc.stdout.readline, b""):
                self.output.append(line.decode(errors="replace").rstrip("\n"))
        except (OSError, ValueError):
            pass

    def kill(self):
        """kill -9: no chance to flush or close anything."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()


def token_of(link):
    return link.split("token=", 1)[1]


def create_session(client, scenario, options=None, invitations=None):
    body = {"scenario": scenario}
    if options is not None:
        body["options"] = options
    if invitations is not None:
        body["invitations"] = invitations
    r = client.post("/api/sessions", body)
    assert r.status == 201, r
    return r.json


def value_repr(issue, label):
    """A value as the API takes it: the label for discrete issues, the number otherwise."""
    if issue["type"] == "discrete":
        return label
    x = float(label)
    return int(x) if x == int(x) else x


def value_table(issue, values):
    """A profile's values of one issue as {label: v}: a numeric issue's {"piecewise": points} read
    at every value of the issue (lower, lower + step, ..., upper)."""
    if "piecewise" not in values:
        return values
    points = values["piecewise"]
    lower, upper, step = issue["lower"], issue["upper"], issue["step"]
    out = {}
    n = int(round((upper - lower) / step))
    for k in range(n + 1):
        x = min(lower + k * step, upper)
        if x <= points[0][0]:
            v = points[0][1]
        elif x >= points[-1][0]:
            v = points[-1][1]
        else:
            j = next(j for j in range(1, len(points)) if points[j][0] >= x)
            (x0, v0), (x1, v1) = points[j - 1], points[j]
            v = v0 + (v1 - v0) * (x - x0) / (x1 - x0)
        out[str(x) if issue["type"] == "integer" else repr(float(x))] = v
    return out


class Party:
    """A scripted person acting for one party through one token."""

    def __init__(self, client, sid, party, summary, patience=0.07):
        self.client = client
        self.sid = sid
        self.party = party
        self.issues = {i["name"]: i for i in summary["issues"]}
        self.patience = patience
        self.profile = None
        self.base = "/api/sessions/%s/parties/%d" % (sid, party)

    def load_profile(self):
        r = self.client.get(self.base + "/profile")
        assert r.status == 200, r
        self.profile = r.json

    def confidence(self):
        p = self.profile
        return {"weights": p["weights"], "values": p["values"], "red_lines": p["red_lines"],
                "reservation_value": p["reservation_value"]}

    def best(self):
        tables = {name: self.table(name) for name in self.profile["values"]}
        return {name: value_repr(self.issues[name], max(vals, key=vals.get)) for name, vals in tables.items()}

    def table(self, name):
        return value_table(self.issues[name], self.profile["values"][name])

    def objection(self, text):
        worst, loss = None, -1.0
        for name, label in text.items():
            vals = self.table(name)
            v = vals[str(label) if not isinstance(label, float) else repr(label)]
            l = self.profile["weights"][name] * (1.0 - v)
            if l > loss:
                worst, loss, now = name, l, v
        vals = self.table(worst)
        livable = [value_repr(self.issues[worst], k) for k, v in vals.items() if v > now]
        return {"issues": [{"issue": worst, "could_live_with": livable}]}

    def step(self):
        """One move if the party is in caucus; returns the move's name or None."""
        if self.profile is None:
            self.load_profile()
        r = self.client.get(self.base + "/caucus")
        assert r.status == 200, r
        c = r.json
        if not c["in_caucus"]:
            return None
        if not c["confided"]:
            r = self.client.post(self.base + "/confide", self.confidence())
            assert r.status == 200, r
            return "confide"
        if c["text"] is None:
            r = self.client.post(self.base + "/counter", {"outcome": self.best()})
            assert r.status == 200, r
            return "counter"
        aspiration = max(self.profile["reservation_value"] + 0.05, 0.95 - self.patience * (c["visit"] - 1))
        if c["utility"] is not None and c["utility"] >= aspiration - 1e-9:
            r = self.client.post(self.base + "/accept", {})
            assert r.status == 200, r
            return "accept"
        r = self.client.post(self.base + "/object", self.objection(c["text"]))
        assert r.status == 200, r
        return "object"


def play(parties, status_client, sid, max_steps=2000):
    """Lets the parties move until the talks end; returns the session summary."""
    for _ in range(max_steps):
        moved = False
        for p in parties:
            moved = p.step() is not None or moved
        s = status_client.get("/api/sessions/" + sid)
        assert s.status == 200, s
        if s.json["status"] != "talking":
            return s.json
        assert moved, "nobody could move while the talks go on"
    raise AssertionError("the talks did not end within %d steps" % max_steps)
