// The Python module `shuttle` (skeleton; filled in below).
#include <pybind11/pybind11.h>

PYBIND11_MODULE(shuttle, m) { m.doc() = "Shuttle: negotiation analysis, simulation and mediation"; }
