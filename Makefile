# The two set-up commands of the README: `make run` and `make test`. Both bootstrap the
# Debian packages the build needs (scripts/bootstrap) and build first.
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=

.PHONY: all bootstrap build build-asan test test-release test-asan run bench format format-check clean

all: build

bootstrap:
	@./scripts/bootstrap

$(BUILD)/build.ninja:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: bootstrap $(BUILD)/build.ninja
	@ninja -C $(BUILD) -j $(JOBS) --quiet
	@test -x $(BUILD)/trailwarden

# -g1: line tables for the sanitizers' stack traces, without the full debug information that
# made this build slower (one file of it: 27 s -> 19 s).
$(ASAN_BUILD)/build.ninja:
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="-O1" \
		-DCMAKE_CXX_FLAGS_DEBUG="-g1" -DTW_SANITIZE=ON -DTW_BUILD_BENCH=OFF $(CMAKE_FLAGS) >/dev/null

build-asan: bootstrap $(ASAN_BUILD)/build.ninja
	@ninja -C $(ASAN_BUILD) -j $(JOBS) --quiet
	@test -x $(ASAN_BUILD)/trailwarden

# Release tests, then the same suite under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the formatting check.
test: test-release test-asan format-check

test-release: build
	@cd $(BUILD) && ctest -j $(JOBS) --output-on-failure --timeout 900

test-asan: build-asan
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest -j $(JOBS) --output-on-failure --timeout 900

# The main job on data it makes itself.
run: build
	@./scripts/demo $(BUILD)/trailwarden

bench: build
	@./scripts/bench $(BUILD)

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

format-check:
	@out=$$(clang-format --dry-run $$(git ls-files '*.cpp' '*.h') 2>&1); \
	if [ -n "$$out" ]; then echo "$$out" | head -20; echo "clang-format: run 'make format'"; exit 1; fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
