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
	BIN=$(BIN) scripts/test-install.sh

demo: build
	$(BIN) demo

fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

bench: deps
	scripts/bench.sh

clean:
	rm -rf .build

# Installing on a room PC (issue 19). The binary carries the Swift runtime and Foundation
# (--static-swift-stdlib), so the PC needs no toolchain; `make check-static` proves it with ldd.
PREFIX ?= /usr/local
DESTDIR ?=
RELEASE_BIN := .build/release/vitals
DEB_ROOT := .build/deb-root

.PHONY: release check-static install deb

release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product vitals

check-static: release
	@if ldd $(RELEASE_BIN) | grep -Ei 'swift|toolchain|Foundation'; then \
		echo "vitals links the toolchain's libraries (above)"; exit 1; \
	else echo "ldd: no Swift toolchain library"; fi

install: check-static
	BIN=$(RELEASE_BIN) PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) scripts/install.sh

deb: check-static
	rm -rf $(DEB_ROOT)
	BIN=$(RELEASE_BIN) PREFIX=/usr DESTDIR=$(DEB_ROOT) scripts/install.sh
	scripts/make-deb.sh $(DEB_ROOT) $(RELEASE_BIN) .build
