"""Tests of the Python module `shuttle` (run by ctest as `python3 -m pytest python/tests`).

PYTHONPATH points at the build's python/ folder; SHUTTLE_SOURCE_DIR at the source tree.
"""
import os
import json

import numpy as np
import pytest

import shuttle

SOURCE = os.environ.get("SHUTTLE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CAR_SALE = os.path.join(SOURCE, "examples", "car-sale.json")


@pytest.fixture(scope="module")
def car():
    return shuttle.load_scenario(CAR_SALE)


def pareto_filter(u):
    """Brute-force Pareto filter of the rows of u (independent of the C++ per-issue merge)."""
    keep = []
    for i, row in enumerate(u):
        dominated = np.any(np.all(u >= row - 1e-12, axis=1) & np.any(u > row + 1e-12, axis=1))
        if not dominated:
            keep.append(i)
    return u[keep]


def pareto_filter_sweep(u):
    """pareto_filter of a two-column u with many rows (the example has 139,968 outcomes).

    Sorted by the first utility, best first (ties: by the second), a row can be on the frontier only
    if its second utility beats every row before it; one sweep keeps those (and drops near-copies,
    within 1e-12, of a row kept before them, which np.round merges anyway). The quadratic filter
    then runs on these few rows, with its own tolerance.
    """
    assert u.shape[1] == 2
    keep, best = [], -np.inf
    for i in np.lexsort((-u[:, 1], -u[:, 0])):
        if u[i, 1] > best + 1e-12:
            keep.append(i)
            best = u[i, 1]
    return pareto_filter(u[keep])


def test_load_scenario_reports_parties_and_size(car):
    assert car.parties == ["buyer", "dealer"]
    # 81 prices (24000 to 28000 in steps of 50) x 4 warranties x 36 delivery days (7 to 42) x 4
    # extras x 3 financing options.
    assert car.outcome_count == 81 * 4 * 36 * 4 * 3
    assert [name for name, _ in car.issues][0] == "price"


def test_utilities_are_a_numpy_view_of_a_cpp_buffer(car):
    u = car.utilities()
    assert u.dtype == np.float64
    assert u.shape == (car.outcome_count, 2)
    assert not u.flags.owndata and u.base is not None  # Owned by the C++ buffer, not copied per outcome.
    assert np.all((u >= -1e-12) & (u <= 1 + 1e-12))
    with pytest.raises(ValueError):
        car.utilities(limit=10)


def test_frontier_matches_a_brute_force_filter_of_all_utilities(car):
    a = shuttle.analyze(car)
    frontier = a.pareto_utilities
    assert frontier.shape[1] == 2 and a.pareto_exact
    # The frontier is that of the outcomes no red line forbids.
    brute = pareto_filter_sweep(car.utilities()[car.allowed()])
    brute = np.unique(np.round(brute, 9), axis=0)
    mine = np.unique(np.round(frontier, 9), axis=0)
    assert np.allclose(brute, mine)
    assert a.pareto_outcomes.shape == (len(frontier), len(car.issues))
    nash = shuttle.solutions(car, a)["nash"]
    rv = np.array(car.reservation_values)
    products = np.prod(np.clip(car.utilities()[car.allowed()] - rv, 0, None), axis=1)
    assert np.isclose(np.prod(np.array(nash["utilities"]) - rv), products.max())


def test_negotiation_log_columns_replay_and_file_round_trip(car, tmp_path):
    r = shuttle.negotiate(car, ["boulware", "conceder"], rounds=60, seed=3)
    log = r["log"]
    cols = log.columns()
    types = shuttle.event_types()
    assert types[cols["type"][0]] == "start"
    assert len(log) == len(cols["time"]) and cols["outcome"].shape == (len(log), len(car.issues))
    offers = cols["type"] == types.index("offer")
    assert offers.sum() > 0 and np.all(cols["outcome"][offers] >= 0)
    u = log.utilities()
    assert np.all(np.isnan(u[~offers & (cols["outcome"][:, 0] < 0)]))
    log.replay()
    if r["agreement"] is not None:
        last = cols["outcome"][-1]
        assert r["agreement"] == car.outcome(int(np.ravel_multi_index(last, [len(v) for _, v in car.issues])))
    path = tmp_path / "run.jsonl"
    log.save(str(path))
    back = shuttle.read_event_log(str(path))
    assert back.protocol == "sao"
    for key, column in back.columns().items():
        assert np.array_equal(column, cols[key]), key
    # Same seed, same log.
    again = shuttle.negotiate(car, ["boulware", "conceder"], rounds=60, seed=3)["log"].columns()
    assert np.array_equal(again["outcome"], cols["outcome"])


def test_mediation_gives_gap_per_visit_and_a_report(car):
    m = shuttle.mediate(car, ["reticent", "reticent"], max_visits=30)
    assert m["visits"] == len(m["gap_by_visit"]) > 0
    assert isinstance(m["gap_by_visit"], np.ndarray)
    assert len(m["statements"]) == m["visits"]
    html = m["log"].report_html("car sale")
    assert 'id="chart-gap-over-visits"' in html and 'id="chart-utility-space"' in html
    specs = json.loads(m["log"].report_specs())
    assert {c["id"] for c in specs} >= {"utility-space", "utility-over-time", "gap-over-visits"}


def test_tournament_is_deterministic_and_matches_its_files(car, tmp_path):
    kw = dict(rounds=40, seed=9)
    t1 = shuttle.tournament(["boulware", "tit-for-tat"], [car], threads=1, **kw)
    t2 = shuttle.tournament(["boulware", "tit-for-tat"], [car], threads=2, out=str(tmp_path / "t"), **kw)
    assert t1.jobs == 2 * 4  # 2 rotations x 4 ordered pairs with self-play.
    c1, c2 = t1.columns(), t2.columns()
    assert c1["utilities"].shape == (8, 2)
    for key in ("job", "seed", "agreement", "utilities", "welfare", "pareto_distance"):
        assert np.array_equal(c1[key], c2[key], equal_nan=c1[key].dtype.kind == "f"), key
    read = shuttle.read_tournament(str(tmp_path / "t"))
    assert np.array_equal(read.columns()["utilities"], c1["utilities"])
    summary = {row["agent"]: row for row in t1.summary()}
    mine = [u for agents, us in zip(c1["agents"], c1["utilities"]) for a, u in zip(agents, us) if a == "boulware"]
    assert summary["boulware"]["negotiations"] == len(mine)
    assert np.isclose(summary["boulware"]["utility"]["mean"], np.mean(mine))
    assert "chart-head-to-head" in t1.report_html()


def test_errors_become_python_exceptions(car):
    with pytest.raises(FileNotFoundError):
        shuttle.load_scenario("/nonexistent/scenario.json")
    with pytest.raises(ValueError):
        shuttle.negotiate(car, ["no-such-agent", "boulware"])
    with pytest.raises(ValueError):
        shuttle.tournament([], [car])


def test_agreement_rule_is_shown():
    harbor = shuttle.load_scenario(os.path.join(SOURCE, "examples", "harbor-expansion.json"))
    assert harbor.agreement_rule == {"at_least": 5, "required": ["developer", "federal_agency"]}
    assert shuttle.load_scenario(CAR_SALE).agreement_rule is None
