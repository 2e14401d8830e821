# larkhook: `make test` and `make demo` are the two commands a new user runs.
# Every target installs what it needs (wasm target, pinned wasm-bindgen-cli,
# npm packages, Chromium) and skips what is already there.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

WASM_BINDGEN_VERSION := 0.2.130
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)
WASM_OUT := target/wasm32-unknown-unknown/release/larkhook_wasm.wasm
# WASM_SIMD=0 builds a module without SIMD for runtimes that lack it (see .cargo/config.toml).
WASM_SIMD ?= 1
ifeq ($(WASM_SIMD),0)
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS :=
endif

.PHONY: build test demo bench fuzz generate www examples tools rust-tools npm-tools chromium redis python-sdk \
        test-rust test-wasm test-js clean

## ---- tools -------------------------------------------------------------

rust-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (a few minutes, once)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

npm-tools: node_modules/.installed

chromium:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian chromium and chromium-driver"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

# redis-server and redis-cli: the Redis dedup store and delivery tests start their own.
redis:
	@command -v redis-server >/dev/null && command -v redis-cli >/dev/null || { \
	  echo "installing Debian redis-server and redis-tools"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >/dev/null; }

# The official Python SDK (lark-oapi, pinned), for the card callbacks'
# differential test (tests/js/differential-cards.test.mjs), in a venv of its own.
PYTHON_SDK := target/pysdk
LARK_OAPI_VERSION := 1.7.5

$(PYTHON_SDK)/.installed:
	python3 -m venv $(PYTHON_SDK)
	$(PYTHON_SDK)/bin/pip install --quiet --disable-pip-version-check lark-oapi==$(LARK_OAPI_VERSION)
	@touch $@

python-sdk: $(PYTHON_SDK)/.installed

tools: rust-tools npm-tools

## ---- build -------------------------------------------------------------

# The npm package in pkg/: two wasm modules from bindings/wasm (the request
# path, and the tools), wasm-bindgen + wasm-opt, and the JS/TS layer. The
# request path's glue can replace its instance after a trap
# (--experimental-reset-state-function: core/wasm.mjs calls __wbg_reset_state).
build: tools
	cargo build --release --target wasm32-unknown-unknown -p larkhook-wasm
	mkdir -p target/wasm && cp $(WASM_OUT) target/wasm/larkhook.wasm
	cargo build --release --target wasm32-unknown-unknown -p larkhook-wasm --no-default-features --features tools
	cp $(WASM_OUT) target/wasm/larkhook_tools.wasm
	for module in larkhook larkhook_tools; do \
	  wasm-bindgen --target web --out-dir target/bindgen/web $$([ $$module = larkhook ] && echo --experimental-reset-state-function) target/wasm/$$module.wasm; \
	  wasm-bindgen --target nodejs --out-dir target/bindgen/node $$([ $$module = larkhook ] && echo --experimental-reset-state-function) target/wasm/$$module.wasm; \
	done
	WASM_SIMD=$(WASM_SIMD) node scripts/build-pkg.mjs

# Regenerate the TypeScript declarations, the JavaScript constants and the
# inspector's field tables from the Rust registry.
generate:
	LARKHOOK_UPDATE_GENERATED=1 cargo test --test generated

## ---- test --------------------------------------------------------------

test: examples chromium redis python-sdk
	$(MAKE) test-rust test-wasm test-js
	@echo "make test: all suites passed"

test-rust:
	cargo fmt --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p larkhook-wasm --all-features -- -D warnings
	cargo test --workspace
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace

test-wasm:
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test --target wasm32-unknown-unknown --test vectors --test events --test errors --test unsigned --test inspect --test review --test edges
	WASM_BINDGEN_USE_BROWSER=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test --target wasm32-unknown-unknown --test vectors --test events --test errors --test unsigned --test inspect --test review --test edges

test-js:
	node --test --test-concurrency=1 tests/js/

clean:
	rm -rf pkg target/bindgen test-output www-dist

## ---- fuzz --------------------------------------------------------------

# Every cargo-fuzz target in fuzz/, one after another (never in parallel),
# FUZZ_SECONDS each, seeded from fuzz/corpus/seed/ with fuzz/larkhook.dict.
# Needs the nightly toolchain; installs cargo-fuzz once. See SECURITY.md.
FUZZ_SECONDS ?= 600

fuzz:
	@cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

## ---- payload inspector -------------------------------------------------

# www-dist/: the inspector page (www-demo/) and the package files its browser
# entry loads, ready for any static host. `make demo` serves it at /.
www: build
	node scripts/build-www.mjs

## ---- examples and demo -------------------------------------------------

# The examples install larkhook from pkg/ (a file: dependency, no network
# beyond the registry), each with everything its README's `npm install` gives
# (the Worker's wrangler included, for `npm run dev`): a later install never
# removes what a user installed there.
examples/%/node_modules/.installed: examples/%/package.json pkg/package.json
	npm install --prefix examples/$* --no-audit --no-fund --prefer-offline
	@touch $@

examples: build examples/node-server/node_modules/.installed examples/cloudflare-worker/node_modules/.installed

# Builds the package and starts the Node endpoint (and inspector) on 127.0.0.1:8787,
# with the public demo secrets unless LARK_ENCRYPT_KEY / LARK_VERIFICATION_TOKEN are
# set (an empty value goes without it). The server itself never falls back to them.
# Only examples/node-server is installed: another example's packages (a Worker
# running under `npm run dev`, say) are never touched.
demo: build www examples/node-server/node_modules/.installed
	LARK_ENCRYPT_KEY="$${LARK_ENCRYPT_KEY-demo-encrypt-key}" LARK_VERIFICATION_TOKEN="$${LARK_VERIFICATION_TOKEN-demo-verification-token}" \
	  node examples/node-server/server.mjs

## ---- bench -------------------------------------------------------------

# Every benchmark in benches/ (see BENCHMARKS.md), then the target table:
# each target with the measured value and whether it is met. Exits non-zero
# only when a harness fails, never on a missed target. Results (JSON) go to
# target/bench/results/. LARKHOOK_BENCH_QUICK=1 makes a short smoke run.
BENCH_OUT := target/bench/results

bench: build
	@command -v hyperfine >/dev/null || { echo "installing hyperfine (optional; cold start falls back to spawnSync timing)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null 2>&1 || true; }
	rm -rf $(BENCH_OUT) && mkdir -p $(BENCH_OUT)
	node benches/machine.mjs --out $(BENCH_OUT)/machine.json
	cargo bench --bench parse
	node benches/criterion.mjs --out $(BENCH_OUT)/native.json
	node benches/node/compare.mjs --out $(BENCH_OUT)/node.json
	node benches/workerd/run.mjs --out $(BENCH_OUT)/workerd.json
	node benches/node/coldstart.mjs --out $(BENCH_OUT)/coldstart.json
	node --expose-gc benches/node/memory.mjs --out $(BENCH_OUT)/memory.json
	node benches/node/size.mjs --out $(BENCH_OUT)/size.json
	node benches/report.mjs $(BENCH_OUT)
