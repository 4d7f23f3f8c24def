# blog: build the example site, run the tests, run the benchmarks.
CARGO ?= cargo

.PHONY: build serve test lint bench clean

## Build the example site in this repository (content/ + themes/default) into public/.
build:
	$(CARGO) run --locked --release -- build

## Serve the example site on http://127.0.0.1:1111/, rebuilding on every save.
serve:
	$(CARGO) run --locked --release -- serve

## Every test: formatting, lints, unit and integration tests.
test: lint
	$(CARGO) test --locked --all-targets

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

## Benchmarks against generated sites (not part of the tests); writes BENCHMARKS.md figures.
bench:
	$(CARGO) build --locked --release
	python3 bench/run.py

clean:
	$(CARGO) clean
	rm -rf public .public.blog-* bench-sites
