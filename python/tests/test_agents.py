"""Agents written in Python (shuttle.Agent): against built-in agents, in a tournament, and failing."""
import os

import pytest

import shuttle

SOURCE = os.environ.get("SHUTTLE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CAR_SALE = os.path.join(SOURCE, "examples", "car-sale.json")


@pytest.fixture(scope="module")
def car():
    return shuttle.load_scenario(CAR_SALE)


class Concede(shuttle.Agent):
    """Offers, at time t, the outcome whose utility is nearest to 1 - t/2 among the ones it lists."""

    def __init__(self):
        super().__init__("py-concede")
        self.proposed = []

    def setup(self):
        info = self.info()
        self.issues = info["issues"]
        # The outcomes of a grid over the car-sale space, with its own utility, best first: every
        # value of an issue with few values, nine evenly spaced ones (both ends among them) of an
        # issue with many (price: 81 values, delivery: 36), so that 3,888 outcomes are ranked in
        # each setup rather than all 139,968.
        outcomes = [{}]
        for name, values in self.issues:
            if len(values) > 9:
                values = [values[round(k * (len(values) - 1) / 8)] for k in range(9)]
            outcomes = [dict(o, **{name: v}) for o in outcomes for v in values]
        self.ranked = sorted(((self.utility(o), o) for o in outcomes), key=lambda p: -p[0])

    def propose(self, t):
        target = self.ranked[0][0] * (1 - t / 2)
        u, offer = min(self.ranked, key=lambda p: abs(p[0] - target))
        self.proposed.append(offer)
        return offer


def test_python_agent_negotiates_against_boulware(car):
    me = Concede()
    r = shuttle.negotiate(car, [me, "boulware"], rounds=200, seed=3)
    assert me.proposed, "propose() was never called"
    records = r["log"].records()
    mine = [e["outcome"] for e in records if e["type"] == "offer" and e["actor"] == 0]
    assert mine == me.proposed[: len(mine)]  # Every offer it made is one propose() returned.
    assert r["agreement"] is not None
    r["log"].replay()  # Raises at the first event that differs.


def test_python_agent_in_a_tournament(car):
    shuttle.register_agent("py-concede", Concede)
    assert "py-concede" in shuttle.agent_names()
    t = shuttle.tournament(["py-concede", "boulware", "conceder"], [car], rounds=200, repetitions=1, threads=2)
    cols = t.columns()
    assert any("py-concede" in row for row in cols["agents"])
    assert all(e == "" for e in cols["error"])
    summary = {row["agent"]: row for row in t.summary()}
    assert summary["py-concede"]["negotiations"] > 0


class Broken(shuttle.Agent):
    def __init__(self):
        super().__init__("broken")

    def propose(self, t):
        raise KeyError("no such price")


def test_python_agent_that_raises_is_named(car):
    with pytest.raises(RuntimeError, match="agent 'broken'.*no such price"):
        shuttle.negotiate(car, [Broken(), "boulware"], rounds=50)


def test_python_agent_with_a_bad_offer_is_named(car):
    class Bad(shuttle.Agent):
        def __init__(self):
            super().__init__("bad")

        def propose(self, t):
            return {"price": "a million"}

    with pytest.raises(RuntimeError, match="agent 'bad'"):
        shuttle.negotiate(car, [Bad(), "boulware"], rounds=50)


def test_register_refuses_built_in_names():
    with pytest.raises(ValueError, match="built in"):
        shuttle.register_agent("boulware", Concede)
