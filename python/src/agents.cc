// Agents written in Python: a subclass of shuttle.Agent writes propose(t) and plays in negotiate()
// and, once registered by name, in tournaments and replays.
//
// shuttle.Agent is ProposingAgent (strategy.h) with a pybind11 trampoline, so Python overrides
// Propose. The C++ runner owns its agents (unique_ptr), Python owns the object: a Borrowed agent
// forwards to the Python object and keeps a reference to it, taken and dropped under the GIL.
// The runner releases the GIL; every call into Python takes it back. An exception in propose()
// makes the agent walk out (the runner cannot unwind through C++ that never throws) and is kept;
// negotiate() raises it afterwards, naming the agent.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <string>

#include "shuttle/strategy.h"

namespace py = pybind11;

namespace shuttle::python {
namespace {

class PyAgent : public ProposingAgent {
 public:
  using ProposingAgent::ProposingAgent;

  void Propose(double t, uint32_t* outcome) override {
    py::gil_scoped_acquire gil;
    try {
      py::function propose = py::get_override(static_cast<const ProposingAgent*>(this), "propose");
      if (!propose) throw py::type_error("shuttle.Agent subclasses must define propose(self, t)");
      Fill(propose(t), outcome);
    } catch (py::error_already_set& e) {
      Fail(e.what());
    } catch (const std::exception& e) {
      Fail(e.what());
    }
    if (failed()) std::fill(outcome, outcome + context().space->issue_count(), 0);
  }

  Status Setup() override {
    py::gil_scoped_acquire gil;
    try {
      py::function setup = py::get_override(static_cast<const ProposingAgent*>(this), "setup");
      if (setup) setup();
    } catch (py::error_already_set& e) {
      Fail(e.what());
    }
    return Status::Ok();
  }

  // The outcome a Python value names: {issue: label or value}, or a sequence in issue order of
  // labels, values or (ints) value indices.
  void Fill(const py::handle& value, uint32_t* outcome) const {
    const OutcomeSpace& space = *context().space;
    auto set = [&](size_t i, const py::handle& v) {
      const Issue& issue = space.issue(i);
      if (py::isinstance<py::int_>(v) && issue.type() == IssueType::kDiscrete) {
        const int64_t k = v.cast<int64_t>();
        if (k < 0 || static_cast<uint64_t>(k) >= issue.size()) {
          throw py::value_error("issue '" + issue.name() + "' has no value index " +
                                std::to_string(k));
        }
        outcome[i] = static_cast<uint32_t>(k);
        return;
      }
      Result<uint64_t> found = issue.FindValue(py::str(v).cast<std::string>());
      if (!found.ok()) throw py::value_error(found.status().message());
      outcome[i] = static_cast<uint32_t>(*found);
    };
    if (py::isinstance<py::dict>(value)) {
      py::dict d = value.cast<py::dict>();
      for (size_t i = 0; i < space.issue_count(); ++i) {
        py::str key(space.issue(i).name());
        if (!d.contains(key))
          throw py::value_error("propose(): no value for issue '" + space.issue(i).name() + "'");
        set(i, d[key]);
      }
      return;
    }
    py::sequence seq = value.cast<py::sequence>();
    if (seq.size() != space.issue_count()) {
      throw py::value_error("propose(): " + std::to_string(seq.size()) + " values for " +
                            std::to_string(space.issue_count()) + " issues");
    }
    for (size_t i = 0; i < space.issue_count(); ++i) set(i, seq[i]);
  }

  // Own utility of an outcome named as Fill reads it.
  double UtilityOf(const py::handle& value) const {
    std::vector<uint32_t> o(context().space->issue_count());
    Fill(value, o.data());
    return Utility(o.data());
  }

  py::dict Info() const {
    py::dict d;
    const AgentContext& c = context();
    d["party"] = c.self;
    d["parties"] = c.party_count;
    d["reservation"] = c.utility->reservation_value();
    py::list issues;
    for (const Issue& issue : c.space->issues()) {
      py::list values;
      for (uint64_t v = 0; v < issue.size() && v < 100000; ++v) values.append(issue.ValueLabel(v));
      issues.append(py::make_tuple(issue.name(), values));
    }
    d["issues"] = issues;
    return d;
  }

  bool failed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return !error_.empty();
  }
  std::string error() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return error_;
  }

 private:
  void Fail(const std::string& message) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (error_.empty()) error_ = message;
    }
    WalkOut();
  }
  mutable std::mutex mutex_;
  std::string error_;
};

// What the runner owns: the Python agent, kept alive by a reference taken and dropped under the
// GIL.
class Borrowed final : public Agent {
 public:
  Borrowed(py::object self, PyAgent* agent) : self_(std::move(self)), agent_(agent) {}
  ~Borrowed() override {
    py::gil_scoped_acquire gil;
    self_ = py::object();
  }
  const std::string& name() const override { return agent_->name(); }
  Status Init(const AgentContext& context) override { return agent_->Init(context); }
  void Observe(const EventLog& log, const Event& event) override { agent_->Observe(log, event); }
  void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) override {
    agent_->Act(turn, t, action, scratch);
  }

 private:
  py::object self_;
  PyAgent* agent_;
};

}  // namespace

std::unique_ptr<Agent> BorrowPythonAgent(py::object agent) {
  PyAgent* py_agent = py::isinstance<ProposingAgent>(agent)
                          ? dynamic_cast<PyAgent*>(agent.cast<ProposingAgent*>())
                          : nullptr;
  if (py_agent == nullptr)
    throw py::type_error("an agent is a spec string or a shuttle.Agent instance");
  return std::make_unique<Borrowed>(std::move(agent), py_agent);
}

// The first error a Python agent met, or "".
std::string PythonAgentError(const py::object& agent) {
  if (!py::isinstance<ProposingAgent>(agent)) return "";
  const PyAgent* a = dynamic_cast<const PyAgent*>(agent.cast<ProposingAgent*>());
  return a != nullptr ? a->error() : std::string();
}

void DefineAgents(py::module_& m) {
  py::class_<ProposingAgent, PyAgent>(m, "Agent", R"(Base class of an agent written in Python.

Subclass it and write one method, propose(self, t), returning the offer to make at normalized
time t in [0, 1]: a dict {issue: value label} or a list of labels (or value indices) in issue
order. Optionally setup(self), called once the agent knows its party (self.info(), self.utility()).
Accepting, voting, feedback and answering a mediator's caucus follow the built-in rules (accept
an individually rational offer worth at least your own next proposal).)")
      .def(py::init<std::string>(), py::arg("name"))
      .def_property_readonly("name", &ProposingAgent::name)
      .def(
          "info", [](const ProposingAgent& a) { return static_cast<const PyAgent&>(a).Info(); },
          "{party, parties, reservation, issues: [(name, [labels])]} of the negotiation it plays.")
      .def(
          "utility",
          [](const ProposingAgent& a, const py::object& outcome) {
            return static_cast<const PyAgent&>(a).UtilityOf(outcome);
          },
          py::arg("outcome"), "Own utility of an outcome (dict or list, as propose returns).");

  m.def(
      "register_agent",
      [](const std::string& name, py::object factory) {
        if (!PyCallable_Check(factory.ptr()))
          throw py::type_error("register_agent(name, factory): factory is not callable");
        auto keep = std::make_shared<py::object>(factory);
        Status s =
            RegisterAgent(name, [keep](std::string_view spec) -> Result<std::unique_ptr<Agent>> {
              py::gil_scoped_acquire gil;
              try {
                py::object made = (*keep)();
                return BorrowPythonAgent(made);
              } catch (py::error_already_set& e) {
                return Status::InvalidArgument(e.what());
              } catch (const std::exception& e) {
                return Status::InvalidArgument(e.what());
              }
            });
        if (!s.ok()) throw py::value_error(s.message());
      },
      py::arg("name"), py::arg("factory"),
      "Registers a class (or any callable making a shuttle.Agent) under `name`, so the spec `name` "
      "works in tournament(), negotiate() and replays.");
  m.def("agent_names", &AgentNames,
        "Agent specs negotiate() and tournament() know, registered ones last.");
}

}  // namespace shuttle::python
