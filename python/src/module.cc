// The Python module `shuttle`: scenarios, analysis, negotiations, mediations, tournaments, event
// logs and reports over the C++ library. Tables (utilities of every outcome, frontiers, event
// columns, tournament results) cross as NumPy arrays that own C++ buffers: no Python object per
// outcome or per event. Long calls release the GIL. Library errors become Python exceptions:
// kInvalidArgument/kCorruption/kOutOfRange -> ValueError, kNotFound -> FileNotFoundError,
// kIOError -> OSError, others -> RuntimeError.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>

#include "shuttle/analysis.h"
#include "shuttle/io.h"
#include "shuttle/log_io.h"
#include "shuttle/mediation.h"
#include "shuttle/negotiate.h"
#include "shuttle/report.h"
#include "shuttle/strategy.h"
#include "shuttle/tournament.h"

namespace py = pybind11;

namespace shuttle::python {
namespace {

[[noreturn]] void Raise(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kCorruption:
    case StatusCode::kOutOfRange: throw py::value_error(s.message());
    case StatusCode::kNotFound: {
      PyErr_SetString(PyExc_FileNotFoundError, s.message().c_str());
      throw py::error_already_set();
    }
    case StatusCode::kIOError: {
      PyErr_SetString(PyExc_OSError, s.message().c_str());
      throw py::error_already_set();
    }
    default: throw std::runtime_error(s.ToString());
  }
}

void Check(const Status& s) {
  if (!s.ok()) Raise(s);
}

template <typename T>
T Take(Result<T> r) {
  if (!r.ok()) Raise(r.status());
  return std::move(r).value();
}

// A NumPy array of shape `shape` owning `data` (moved to the heap; freed with the array).
template <typename T>
py::array_t<T> Owned(std::vector<T> data, std::vector<py::ssize_t> shape) {
  auto* heap = new std::vector<T>(std::move(data));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(shape, heap->data(), owner);
}

py::array_t<double> PointUtilities(const std::vector<Point>& points, size_t parties) {
  std::vector<double> u;
  u.reserve(points.size() * parties);
  for (const Point& p : points) u.insert(u.end(), p.utilities.begin(), p.utilities.end());
  return Owned(std::move(u),
               {static_cast<py::ssize_t>(points.size()), static_cast<py::ssize_t>(parties)});
}

py::array_t<uint32_t> PointOutcomes(const std::vector<Point>& points, size_t issues) {
  std::vector<uint32_t> o;
  o.reserve(points.size() * issues);
  for (const Point& p : points) o.insert(o.end(), p.outcome.begin(), p.outcome.end());
  return Owned(std::move(o),
               {static_cast<py::ssize_t>(points.size()), static_cast<py::ssize_t>(issues)});
}

std::vector<Utility> Compile(const Scenario& s) {
  std::vector<Utility> u;
  for (const Party& p : s.parties) u.push_back(Take(Utility::Compile(s.space, p.profile)));
  return u;
}

// Utilities of every outcome, (outcomes x parties), in mixed-radix index order.
py::array_t<double> AllUtilities(const Scenario& s, uint64_t limit) {
  if (!s.space.EnumerableWithin(limit))
    throw py::value_error("scenario '" + s.name + "' has more than " + std::to_string(limit) +
                          " outcomes (or a continuous issue); raise limit= or sample instead");
  std::vector<Utility> utilities = Compile(s);
  uint64_t n = s.space.cardinality().ToU64();
  size_t parties = utilities.size();
  std::vector<double> table(n * parties);
  {
    py::gil_scoped_release release;
    Outcome o(s.space.issue_count());
    for (uint64_t i = 0; i < n; ++i) {
      s.space.Decode(i, &o);
      for (size_t p = 0; p < parties; ++p) table[i * parties + p] = utilities[p].Evaluate(o);
    }
  }
  return Owned(std::move(table), {static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(parties)});
}

// Whether each outcome crosses no party's red line, in mixed-radix index order.
py::object AllAllowed(const Scenario& s, uint64_t limit) {
  if (!s.space.EnumerableWithin(limit))
    throw py::value_error("scenario '" + s.name + "' has more than " + std::to_string(limit) +
                          " outcomes");
  std::vector<Utility> utilities = Compile(s);
  uint64_t n = s.space.cardinality().ToU64();
  std::vector<bool> allowed(n);
  Outcome o(s.space.issue_count());
  for (uint64_t i = 0; i < n; ++i) {
    s.space.Decode(i, &o);
    bool ok = true;
    for (const Utility& u : utilities) ok = ok && u.Allows(o.data());
    allowed[i] = ok;
  }
  std::vector<uint8_t> bytes(allowed.begin(), allowed.end());
  return Owned(std::move(bytes), {static_cast<py::ssize_t>(n)}).attr("view")("bool");
}

py::object OutcomeLabels(const OutcomeSpace& space, const std::optional<Outcome>& o) {
  if (!o) return py::none();
  py::dict d;
  for (size_t i = 0; i < space.issue_count(); ++i)
    d[py::str(space.issue(i).name())] = space.issue(i).ValueLabel((*o)[i]);
  return d;
}

py::object PointDict(const Scenario& s, const std::optional<Point>& p) {
  if (!p) return py::none();
  py::dict d;
  d["outcome"] = OutcomeLabels(s.space, p->outcome);
  d["utilities"] = p->utilities;
  return d;
}

// An event log as columns; outcomes as an (events x issues) array with -1 where there is none.
struct PyLog {
  EventLog log;
  Scenario scenario;
  std::string protocol;

  size_t size() const { return log.size(); }
  py::dict Columns() const {
    size_t n = log.size(), k = log.issue_count();
    std::vector<uint8_t> type(n);
    std::vector<int32_t> actor(n), round(n), value(n);
    std::vector<double> time(n);
    std::vector<int64_t> outcome(n * k, -1);
    for (size_t i = 0; i < n; ++i) {
      const Event& e = log[i];
      type[i] = static_cast<uint8_t>(e.type);
      actor[i] = e.actor;
      round[i] = e.round;
      value[i] = e.value;
      time[i] = e.time;
      auto o = log.OutcomeOf(e);
      for (size_t j = 0; j < o.size() && j < k; ++j) outcome[i * k + j] = o[j];
    }
    py::dict d;
    auto len = static_cast<py::ssize_t>(n);
    d["type"] = Owned(std::move(type), {len});
    d["actor"] = Owned(std::move(actor), {len});
    d["round"] = Owned(std::move(round), {len});
    d["value"] = Owned(std::move(value), {len});
    d["time"] = Owned(std::move(time), {len});
    d["outcome"] = Owned(std::move(outcome), {len, static_cast<py::ssize_t>(k)});
    return d;
  }
  // Utilities of each event's outcome for every party, NaN where the event has none.
  py::array_t<double> Utilities() const {
    std::vector<Utility> u = Compile(scenario);
    size_t n = log.size(), parties = u.size();
    std::vector<double> out(n * parties, std::numeric_limits<double>::quiet_NaN());
    for (size_t i = 0; i < n; ++i) {
      auto o = log.OutcomeOf(log[i]);
      if (o.empty()) continue;
      for (size_t p = 0; p < parties; ++p) out[i * parties + p] = u[p].Evaluate(o.data());
    }
    return Owned(std::move(out), {static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(parties)});
  }
  py::list Records() const {
    py::list out;
    for (const Event& e : log.events()) {
      py::dict d;
      d["type"] = EventTypeName(e.type);
      d["actor"] = e.actor == kMediator ? py::object(py::str("mediator"))
                   : e.actor == kSystem ? py::object(py::str("system"))
                                        : py::object(py::int_(e.actor));
      d["round"] = e.round;
      d["time"] = e.time;
      if (e.type == EventType::kVote || e.type == EventType::kFeedback) d["value"] = e.value;
      if (e.outcome != Event::kNone)
        d["outcome"] = OutcomeLabels(scenario.space, log.OutcomeCopy(e));
      if (e.text != Event::kNone) d["text"] = std::string(log.TextOf(e));
      out.append(d);
    }
    return out;
  }
};

// Tournament results as columns (jobs in index order).
py::dict ResultColumns(const std::vector<JobResult>& results, int max_parties) {
  size_t n = results.size(), k = static_cast<size_t>(max_parties);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<uint64_t> job(n), seed(n);
  std::vector<int32_t> rotation(n), repetition(n), rounds(n);
  std::vector<uint8_t> agreement(n);
  std::vector<double> time(n), welfare(n), nash(n), pareto(n), nash_d(n), ks(n), u(n * k, nan);
  py::list scenario, agents, parties, error;
  for (size_t i = 0; i < n; ++i) {
    const JobResult& r = results[i];
    job[i] = r.job, seed[i] = r.seed, rotation[i] = r.rotation, repetition[i] = r.repetition;
    rounds[i] = r.rounds, agreement[i] = r.agreement, time[i] = r.time, welfare[i] = r.welfare;
    nash[i] = r.nash_product, pareto[i] = r.pareto_distance, nash_d[i] = r.nash_distance,
    ks[i] = r.ks_distance;
    for (size_t p = 0; p < r.utilities.size() && p < k; ++p) u[i * k + p] = r.utilities[p];
    scenario.append(r.scenario);
    agents.append(py::cast(r.agents));
    parties.append(py::cast(r.parties));
    error.append(r.error);
  }
  auto len = static_cast<py::ssize_t>(n);
  py::dict d;
  d["job"] = Owned(std::move(job), {len});
  d["scenario"] = scenario;
  d["rotation"] = Owned(std::move(rotation), {len});
  d["repetition"] = Owned(std::move(repetition), {len});
  d["seed"] = Owned(std::move(seed), {len});
  d["agents"] = agents;
  d["parties"] = parties;
  d["agreement"] = Owned(std::move(agreement), {len}).attr("view")("bool");
  d["rounds"] = Owned(std::move(rounds), {len});
  d["time"] = Owned(std::move(time), {len});
  d["utilities"] = Owned(std::move(u), {len, static_cast<py::ssize_t>(k)});
  d["welfare"] = Owned(std::move(welfare), {len});
  d["nash_product"] = Owned(std::move(nash), {len});
  d["pareto_distance"] = Owned(std::move(pareto), {len});
  d["nash_distance"] = Owned(std::move(nash_d), {len});
  d["ks_distance"] = Owned(std::move(ks), {len});
  d["error"] = error;
  return d;
}

py::dict EstimateDict(const Estimate& e) {
  py::dict d;
  d["mean"] = e.mean, d["low"] = e.low, d["high"] = e.high, d["n"] = e.n;
  return d;
}

py::list SummaryList(const TournamentSummary& s) {
  py::list out;
  for (const AgentSummary& a : s.agents) {
    py::dict d;
    d["agent"] = a.agent;
    d["negotiations"] = a.negotiations;
    d["utility"] = EstimateDict(a.utility);
    d["discounted"] = EstimateDict(a.discounted);
    d["agreement_rate"] = EstimateDict(a.agreement_rate);
    d["welfare"] = EstimateDict(a.welfare);
    d["pareto_distance"] = EstimateDict(a.pareto_distance);
    d["nash_distance"] = EstimateDict(a.nash_distance);
    d["ks_distance"] = EstimateDict(a.ks_distance);
    out.append(d);
  }
  return out;
}

struct PyTournament {
  std::vector<std::string> agents;
  std::vector<JobResult> results;
  TournamentSummary summary;
  int max_parties = 2;
  size_t jobs = 0;
};

Scenario LoadArgument(const py::object& paths) {
  std::vector<std::string> files;
  if (py::isinstance<py::str>(paths) || py::hasattr(paths, "__fspath__")) {
    files.push_back(py::str(py::module_::import("os").attr("fspath")(paths)));
  } else {
    for (const py::handle& p : paths)
      files.push_back(py::str(py::module_::import("os").attr("fspath")(p)));
  }
  return Take(LoadScenario(files));
}

}  // namespace

void Define(py::module_& m);
void DefineAgents(py::module_& m);
std::unique_ptr<Agent> BorrowPythonAgent(py::object agent);
std::string PythonAgentError(const py::object& agent);

}  // namespace shuttle::python

PYBIND11_MODULE(shuttle, m) { shuttle::python::Define(m); }

namespace shuttle::python {

void Define(py::module_& m) {
  m.doc() =
      "Shuttle: negotiation analysis, simulation, mediation and tournaments (C++ library bindings)";

  py::class_<Scenario>(m, "Scenario", "A negotiation: issues, parties with their profiles, agenda.")
      .def_readonly("name", &Scenario::name)
      .def_readonly("description", &Scenario::description)
      .def_property_readonly("parties",
                             [](const Scenario& s) {
                               std::vector<std::string> names;
                               for (const Party& p : s.parties) names.push_back(p.name);
                               return names;
                             })
      .def_property_readonly(
          "issues",
          [](const Scenario& s) {
            py::list out;
            for (const Issue& i : s.space.issues()) {
              py::list values;
              for (uint64_t v = 0; v < i.size() && v < 100000; ++v) values.append(i.ValueLabel(v));
              out.append(py::make_tuple(i.name(), values));
            }
            return out;
          },
          "[(issue name, [value labels])]")
      .def_property_readonly(
          "outcome_count",
          [](const Scenario& s) { return py::int_(py::str(s.space.cardinality().ToString())); })
      .def_property_readonly("reservation_values",
                             [](const Scenario& s) {
                               std::vector<double> rv;
                               for (const Party& p : s.parties)
                                 rv.push_back(p.profile.reservation_value);
                               return rv;
                             })
      .def_property_readonly(
          "agreement_rule",
          [](const Scenario& s) -> py::object {
            if (s.rule.unanimous()) return py::none();
            py::dict d;
            d["at_least"] = s.rule.Needed(static_cast<int>(s.parties.size()));
            py::list required;
            for (int k : s.rule.required) required.append(s.parties[k].name);
            d["required"] = required;
            return d;
          },
          "None (every party must accept) or {'at_least': k, 'required': [party names]}")
      .def("utilities", &AllUtilities, py::arg("limit") = 10'000'000,
           "Utilities of every outcome as a float64 array (outcomes x parties), outcome i in "
           "mixed-radix order "
           "(last issue fastest). ValueError past `limit` outcomes.")
      .def("allowed", &AllAllowed, py::arg("limit") = 10'000'000,
           "Whether each outcome crosses no party's red line: bool array (outcomes,), same order "
           "as utilities().")
      .def(
          "outcome",
          [](const Scenario& s, uint64_t index) {
            return OutcomeLabels(s.space, s.space.Decode(index));
          },
          py::arg("index"), "The outcome with this index as {issue: value label}.")
      .def(
          "discretized", [](const Scenario& s, double step) { return Take(s.Discretized(step)); },
          py::arg("step"))
      .def("to_json", &WriteScenarioJson)
      .def(
          "save",
          [](const Scenario& s, const std::string& path) {
            Check(SaveScenario(s, path, Format::kShuttleJson));
          },
          py::arg("path"), "Writes Shuttle JSON.")
      .def("__repr__", [](const Scenario& s) {
        return "<shuttle.Scenario '" + s.name + "': " + std::to_string(s.parties.size()) +
               " parties, " + s.space.cardinality().ToString() + " outcomes>";
      });

  m.def("load_scenario", &LoadArgument, py::arg("paths"),
        "Loads a scenario: one Shuttle JSON file, or a GENIUS / GeniusWeb domain followed by "
        "profile files.");
  m.def(
      "parse_scenario_json",
      [](const std::string& text) { return Take(ParseScenarioJson(text, "<string>")); },
      py::arg("text"));

  py::class_<Analysis>(m, "Analysis", "Pareto frontier, bargaining solutions, ZOPA of a scenario.")
      .def_readonly("parties", &Analysis::parties)
      .def_readonly("reservation_values", &Analysis::reservation_values)
      .def_readonly("ideal", &Analysis::ideal)
      .def_readonly("mean_utilities", &Analysis::mean_utilities)
      .def_readonly("opposition", &Analysis::opposition)
      .def_property_readonly(
          "outcome_count",
          [](const Analysis& a) { return py::int_(py::str(a.outcome_count.ToString())); })
      .def_property_readonly(
          "pareto_utilities",
          [](const Analysis& a) { return PointUtilities(a.pareto.points, a.parties.size()); },
          "Frontier utilities, float64 (points x parties), first party's utility descending.")
      .def_property_readonly(
          "pareto_outcomes",
          [](const Analysis& a) {
            size_t issues = a.pareto.points.empty() ? 0 : a.pareto.points[0].outcome.size();
            return PointOutcomes(a.pareto.points, issues);
          },
          "Frontier outcomes as value indices, uint32 (points x issues).")
      .def_property_readonly("pareto_exact", [](const Analysis& a) { return a.pareto.exact; })
      .def_property_readonly("pareto_method", [](const Analysis& a) { return a.pareto.method; })
      .def_property_readonly(
          "pareto_gap", [](const Analysis& a) { return a.pareto.gap; },
          "Bound on the distance to the exact frontier (0 when exact, None when unknown).")
      .def_property_readonly("zopa_size", [](const Analysis& a) { return a.zopa.size; })
      .def_property_readonly("zopa_exact", [](const Analysis& a) { return a.zopa.exact; });

  m.def(
      "analyze",
      [](const Scenario& s, uint64_t enumerate_limit, uint64_t samples, uint64_t seed) {
        AnalysisOptions o;
        o.enumerate_limit = enumerate_limit;
        o.samples = samples;
        o.seed = seed;
        Result<Analysis> a = Status::Unimplemented("");
        {
          py::gil_scoped_release release;
          a = Analyze(s, o);
        }
        return Take(std::move(a));
      },
      py::arg("scenario"), py::arg("enumerate_limit") = 10'000'000, py::arg("samples") = 200'000,
      py::arg("seed") = 1);
  m.def(
      "solutions",
      [](const Scenario& s, const Analysis& a) {
        py::dict d;
        d["nash"] = PointDict(s, a.nash);
        d["kalai_smorodinsky"] = PointDict(s, a.kalai_smorodinsky);
        d["egalitarian"] = PointDict(s, a.egalitarian);
        d["max_welfare"] = PointDict(s, a.max_welfare);
        return d;
      },
      py::arg("scenario"), py::arg("analysis"),
      "The bargaining solutions as {name: {outcome, utilities} | None}.");

  py::class_<PyLog>(m, "EventLog", "A negotiation's event log, with the scenario it was played on.")
      .def("__len__", &PyLog::size)
      .def_readonly("scenario", &PyLog::scenario)
      .def("columns", &PyLog::Columns,
           "Events as NumPy columns: type (uint8, see event_types()), actor, round, value (int32), "
           "time (float64), "
           "outcome (int64 events x issues, -1 where none).")
      .def("utilities", &PyLog::Utilities,
           "Each event's outcome's utility per party (events x parties), NaN where none.")
      .def("records", &PyLog::Records,
           "Events as a list of dicts (labels, texts): for reading, not for big logs.")
      .def(
          "save",
          [](const PyLog& l, const std::string& path) {
            Check(SaveEventLog(path, l.scenario, l.log));
          },
          py::arg("path"))
      .def("to_json", [](const PyLog& l) { return Take(WriteEventLogJson(l.scenario, l.log)); })
      .def_readonly("protocol", &PyLog::protocol)
      .def(
          "replay",
          [](const PyLog& l) {
            Check(l.protocol == "shuttle" ? ReplayMediation(l.scenario, l.log)
                                          : Replay(l.scenario, l.log));
          },
          "Re-runs the protocol on the logged actions; raises ValueError at the first event that "
          "differs.")
      .def(
          "report_html",
          [](const PyLog& l, const std::string& title) {
            ReportOptions o;
            o.title = title;
            return Take(NegotiationReportHtml(l.scenario, l.log, o));
          },
          py::arg("title") = "", "A self-contained HTML report (show with IPython.display.HTML).")
      .def(
          "report_specs",
          [](const PyLog& l) { return Take(NegotiationReportSpecs(l.scenario, l.log)); },
          "The report's Vega-Lite specs as JSON text.");

  m.def(
      "event_types",
      [] {
        std::vector<std::string> names;
        for (int t = 0; t <= static_cast<int>(kLastEventType); ++t)
          names.push_back(EventTypeName(static_cast<EventType>(t)));
        return names;
      },
      "Names of the event type codes in EventLog.columns()['type'].");
  m.def(
      "read_event_log",
      [](const std::string& path) {
        EventLogFile f = Take(LoadEventLog(path));
        return PyLog{std::move(f.log), std::move(f.scenario), f.protocol};
      },
      py::arg("path"), "Reads an event-log file (JSON Lines) with its embedded scenario.");

  DefineAgents(m);
  m.def(
      "negotiate",
      [](const Scenario& s, const py::list& agents, const std::string& protocol, int rounds,
         uint64_t seed) {
        NegotiationOptions o;
        o.protocol = protocol;
        o.protocol_options.rounds = rounds;
        o.protocol_options.seed = seed;
        // Spec strings are made here; shuttle.Agent objects play as they are (their name is
        // logged).
        std::vector<std::unique_ptr<Agent>> made;
        for (const py::handle& a : agents) {
          if (py::isinstance<py::str>(a)) {
            made.push_back(Take(MakeAgent(a.cast<std::string>())));
          } else {
            made.push_back(BorrowPythonAgent(py::reinterpret_borrow<py::object>(a)));
          }
          o.agents.push_back(made.back()->name());
        }
        Result<NegotiationResult> r = Status::Unimplemented("");
        {
          py::gil_scoped_release release;
          r = Negotiate(s, o, std::move(made));
        }
        for (const py::handle& a : agents) {
          const std::string error = PythonAgentError(py::reinterpret_borrow<py::object>(a));
          if (!error.empty()) {
            throw std::runtime_error("agent '" + a.attr("name").cast<std::string>() +
                                     "': " + error);
          }
        }
        NegotiationResult n = Take(std::move(r));
        py::dict d;
        d["agreement"] = OutcomeLabels(s.space, n.agreement);
        d["utilities"] = n.metrics.utilities;
        d["welfare"] = n.metrics.welfare;
        d["nash_product"] = n.metrics.nash_product;
        d["pareto_distance"] = n.metrics.pareto_distance;
        d["nash_distance"] = n.metrics.nash_distance;
        d["ks_distance"] = n.metrics.ks_distance;
        d["rounds"] = n.metrics.rounds;
        d["time"] = n.metrics.time;
        d["log"] = PyLog{std::move(n.log), s, protocol};
        return d;
      },
      py::arg("scenario"), py::arg("agents"), py::arg("protocol") = "sao", py::arg("rounds") = 1000,
      py::arg("seed") = 1,
      "Runs one negotiation with automated agents; returns {agreement, utilities, metrics..., "
      "log}.");

  m.def(
      "mediate",
      [](const Scenario& s, const std::vector<std::string>& parties, const std::string& criterion,
         int max_visits, uint64_t seed) {
        MediationRunOptions o;
        o.parties = parties;
        o.mediation.criterion = Take(ParseCriterion(criterion));
        o.mediation.max_visits = max_visits;
        o.mediation.seed = seed;
        Result<MediationReport> r = Status::Unimplemented("");
        {
          py::gil_scoped_release release;
          r = Mediate(s, o);
        }
        MediationReport m = Take(std::move(r));
        py::dict d;
        d["status"] = MediationStatusName(m.status);
        d["end_reason"] = m.end_reason;
        d["agreement"] = OutcomeLabels(s.space, m.agreement);
        d["utilities"] = m.utilities;
        d["visits"] = m.visits;
        d["gap_by_visit"] =
            Owned(m.gap_by_visit, {static_cast<py::ssize_t>(m.gap_by_visit.size())});
        d["statements"] = m.statements;
        d["bits_disclosed"] = m.bits_disclosed;
        d["log"] = PyLog{std::move(m.log), s, "shuttle"};
        return d;
      },
      py::arg("scenario"), py::arg("parties") = std::vector<std::string>{},
      py::arg("criterion") = "nash", py::arg("max_visits") = 0, py::arg("seed") = 1,
      "Runs the shuttle mediator with automated caucus parties; returns {status, agreement, "
      "gap_by_visit, statements, log, ...}.");

  py::class_<PyTournament>(m, "Tournament", "Results of a tournament (jobs in index order).")
      .def_readonly("agents", &PyTournament::agents)
      .def_property_readonly("jobs", [](const PyTournament& t) { return t.jobs; })
      .def(
          "columns", [](const PyTournament& t) { return ResultColumns(t.results, t.max_parties); },
          "Results as NumPy columns (utilities: jobs x role slots, NaN for absent slots).")
      .def(
          "summary", [](const PyTournament& t) { return SummaryList(t.summary); },
          "Per agent: negotiations and {mean, low, high, n} of utility, agreement_rate, welfare, "
          "distances.")
      .def(
          "report_html",
          [](const PyTournament& t, const std::string& title) {
            ReportOptions o;
            o.title = title;
            return Take(TournamentReportHtml(t.results, t.agents, o));
          },
          py::arg("title") = "");

  m.def(
      "tournament",
      [](const std::vector<std::string>& agents, const std::vector<Scenario>& scenarios, int rounds,
         int repetitions, bool rotate, bool self_play, uint64_t seed, int threads,
         const std::string& protocol, const std::string& out, bool resume) {
        TournamentConfig c;
        c.agents = agents;
        c.scenarios = scenarios;
        c.protocol = protocol;
        c.protocol_options.rounds = rounds;
        c.repetitions = repetitions;
        c.rotate = rotate;
        c.self_play = self_play;
        c.seed = seed;
        PyTournament t;
        t.agents = agents;
        Status status;
        {
          py::gil_scoped_release release;
          auto plan = TournamentPlan::Make(c);
          if (!plan.ok()) {
            status = plan.status();
          } else {
            t.max_parties = plan->max_parties();
            t.jobs = plan->job_count();
            TournamentRunOptions o;
            o.threads = threads;
            if (out.empty()) {
              CollectingSink sink;
              status = RunTournament(*plan, o, &sink);
              t.results = sink.results();
              t.summary = Summarize(*plan, t.results);
            } else {
              auto writer = TournamentWriter::Open(out, *plan, resume);
              if (!writer.ok()) {
                status = writer.status();
              } else {
                o.done = &(*writer)->done();
                status = RunTournament(*plan, o, writer->get());
                auto summary =
                    status.ok() ? (*writer)->Finish() : Result<TournamentSummary>(status);
                status = summary.status();
                t.results = (*writer)->results();
                std::sort(t.results.begin(), t.results.end(),
                          [](auto& a, auto& b) { return a.job < b.job; });
                if (summary.ok()) t.summary = *summary;
              }
            }
          }
        }
        Check(status);
        return t;
      },
      py::arg("agents"), py::arg("scenarios"), py::arg("rounds") = 1000, py::arg("repetitions") = 1,
      py::arg("rotate") = true, py::arg("self_play") = true, py::arg("seed") = 1,
      py::arg("threads") = 0, py::arg("protocol") = "sao", py::arg("out") = "",
      py::arg("resume") = false,
      "Runs every agent against every other on every scenario, in every role, on all cores. With "
      "out=FOLDER, streams "
      "results there (resumable) as `shuttle tournament` does.");
  m.def(
      "read_tournament",
      [](const std::string& path) {
        PyTournament t;
        t.results = Take(ReadTournamentResults(path));
        std::sort(t.results.begin(), t.results.end(),
                  [](auto& a, auto& b) { return a.job < b.job; });
        for (const JobResult& r : t.results) {
          t.max_parties = std::max(t.max_parties, static_cast<int>(r.agents.size()));
          for (const std::string& a : r.agents)
            if (std::find(t.agents.begin(), t.agents.end(), a) == t.agents.end())
              t.agents.push_back(a);
        }
        t.jobs = t.results.size();
        t.summary = Summarize(t.agents, t.results);
        return t;
      },
      py::arg("path"), "Reads a tournament folder's results.jsonl (or the file).");
}

}  // namespace shuttle::python
