# blog: build the example site, run the tests, run the benchmarks.
CARGO ?= cargo

.PHONY: build serve test lint unit e2e bench clean

## Build the example site in this repository (content/ + themes/default) into public/.
build:
	$(CARGO) run --locked --release -- build

## Serve the example site on http://127.0.0.1:1111/, rebuilding on every save.
serve:
	$(CARGO) run --locked --release -- serve

## Every test: formatting, lints, unit and integration tests, then the
## browser end-to-end tests (which install chromium and playwright-core if missing).
test: lint unit e2e

unit:
	$(CARGO) test --locked --all-targets

e2e:
	$(CARGO) build --locked
	scripts/e2e-deps.sh
	BLOG_BIN=target/debug/blog node --test tests/e2e/

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

## Benchmarks against generated sites (not part of the tests); writes BENCHMARKS.md figures.
bench:
	$(CARGO) build --locked --release
	python3 bench/run.py
	python3 bench/serve_latency.py

clean:
	$(CARGO) clean
	rm -rf public .public.blog-* bench-sites node_modules
