# Shuttle: `make run` builds the two binaries and serves the example; `make test` builds and runs
# every test.
# Both install missing Debian packages first (scripts/install-deps.sh).
JOBS ?= $(shell nproc)
BUILD ?= build
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 10

.PHONY: all deps configure build run test format unit asan fuzz-smoke fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh build

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The service on a local database with examples/resuming-talks.json as a session: prints one link
# per mediator, party member and observer, then serves until Ctrl-C. A second `make run` reuses the
# database and the session (nothing is lost) and prints fresh links (the previous ones are revoked).
RUN_DB ?= $(BUILD)/run/shuttle.db
RUN_PORT ?= 8080
# Builds only what it runs: the two binaries (`shuttle` execs `shuttle-full` for serve), not the
# tests and benchmarks.
run: configure
	@cmake --build $(BUILD) -j $(JOBS) --target shuttle_cli shuttle_full
	@mkdir -p $(dir $(RUN_DB))
	$(BUILD)/shuttle serve --db $(RUN_DB) --port $(RUN_PORT) --open examples/resuming-talks.json

test: build
	@scripts/install-deps.sh test
	@scripts/check-format.sh
	@# Reconfigure: the test set brings optional parts (Open MPI driver, Python module, web assets).
	@cmake -S . -B $(BUILD) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory fuzz-smoke

# Formats every C++ file by .clang-format (make test fails on unformatted C++).
format:
	@scripts/check-format.sh --fix

# One clang build serves both sanitizer jobs: every target under AddressSanitizer +
# UndefinedBehaviorSanitizer, the library also instrumented for libFuzzer.
SAN_BUILD ?= build-san
SAN_EXCLUDE ?= e2e_web_|e2e_report|e2e_tournament_mpi|python_bindings|e2e_service_load
$(SAN_BUILD)/build.ninja:
	@scripts/install-deps.sh fuzz
	@CC=clang CXX=clang++ cmake -S . -B $(SAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DSHUTTLE_SANITIZE=ON -DSHUTTLE_FUZZ=ON -DSHUTTLE_BENCH=OFF >/dev/null

# Unit and CLI end-to-end tests again under the sanitizers (browser tests, e2e_web_*, MPI and Python
# tests run in the plain build only: Chromium, Open MPI and CPython are not ours to instrument).
asan: $(SAN_BUILD)/build.ninja
	@cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -E '$(SAN_EXCLUDE)'

# Each fuzzer briefly on its seed corpus (and the regression inputs in fuzz/regressions).
fuzz-smoke: $(SAN_BUILD)/build.ninja
	@cmake --build $(SAN_BUILD) -j $(JOBS)
	@scripts/fuzz.sh $(SAN_BUILD) $(FUZZ_SECONDS)

# Long fuzzing: FUZZ_SECONDS per target (default here 600).
fuzz: FUZZ_SECONDS = 600
fuzz: fuzz-smoke

bench: build
	@scripts/install-deps.sh bench
	@scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
