# The two commands a new user runs: `make demo` and `make test`. Both install what is missing.
SWIFT ?= swift
BIN := .build/debug/vitals

.PHONY: deps build test demo fuzz bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

# Two runs: everything but the umockdev suites, then those suites alone under the umockdev
# preload, one at a time. A testbed is process-wide (UMOCKDEV_DIR) and the preload tracks file
# descriptors by number, so it must not overlap pty tests or another testbed.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip Umockdev
	umockdev-wrapper $(SWIFT) test --skip-build --filter Umockdev --no-parallel

demo: build
	$(BIN) demo

fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

bench: deps
	scripts/bench.sh

clean:
	rm -rf .build
