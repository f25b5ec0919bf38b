# Shuttle: `make run` builds and runs the main job, `make test` builds and runs every test.
# Both install missing Debian packages first (scripts/install-deps.sh).
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 10

.PHONY: all deps build run test unit asan fuzz-smoke fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh build

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The service on a local database with examples/resuming-talks.json as a session: prints one link
# per mediator, party member and observer, then serves until Ctrl-C. A second `make run` reuses the
# database and the session (nothing is lost) and prints fresh links (the previous ones are revoked).
RUN_DB ?= $(BUILD)/run/shuttle.db
RUN_PORT ?= 8080
run: build
	@mkdir -p $(dir $(RUN_DB))
	$(BUILD)/shuttle serve --db $(RUN_DB) --port $(RUN_PORT) --open examples/resuming-talks.json

test: build
	@scripts/install-deps.sh test
	@# Reconfigure: the test set brings optional parts (Open MPI driver, Python module, web assets).
	@cmake -S . -B $(BUILD) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory fuzz-smoke

# Unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHUTTLE_SANITIZE=ON -DSHUTTLE_BENCH=OFF >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target shuttle_tests shuttle_cli
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

$(FUZZ_BUILD)/build.ninja:
	@scripts/install-deps.sh fuzz
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHUTTLE_FUZZ=ON >/dev/null

# Each fuzzer briefly on its seed corpus (and the regression inputs in fuzz/regressions).
fuzz-smoke: $(FUZZ_BUILD)/build.ninja
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Long fuzzing: FUZZ_SECONDS per target (default here 600).
fuzz: FUZZ_SECONDS = 600
fuzz: fuzz-smoke

bench: build
	@scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
