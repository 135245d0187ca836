# The two commands a new user runs: `make demo` and `make test`. Both install what is missing.
SWIFT ?= swift
BIN := .build/debug/vitals

.PHONY: deps build test demo fuzz bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

# Tests run under the umockdev preload so the udev and hot-plug tests see their testbed;
# everything else passes straight through it.
test: deps
	$(SWIFT) build --build-tests
	umockdev-wrapper $(SWIFT) test --skip-build

demo: build
	$(BIN) demo

fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

bench: deps
	scripts/bench.sh

clean:
	rm -rf .build
