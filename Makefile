# blog: build the example site, run the tests, run the benchmarks.
CARGO ?= cargo

.PHONY: build serve test deps lint unit e2e bench fuzz clean

## Build the example site in this repository (content/ + themes/default) into public/.
build:
	$(CARGO) run --locked --release -- build

## Serve the example site on http://127.0.0.1:1111/, rebuilding on every save.
serve:
	$(CARGO) run --locked --release -- serve

## Every test: what the tests need (installed if missing), formatting, lints,
## unit and integration tests (HTML, feed and sitemap validators among them),
## then the browser end-to-end tests.
test: deps lint unit e2e

deps:
	scripts/test-deps.sh

unit: deps
	S3S_FS="$(CURDIR)/.tools/s3s-fs/bin/s3s-fs" $(CARGO) test --locked --all-targets

e2e: deps
	BLOG_BIN="$$(CARGO=$(CARGO) scripts/blog-bin.sh)" && export BLOG_BIN && node --test tests/e2e/

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

## Benchmarks against generated sites (not part of the tests); writes BENCHMARKS.md figures.
bench:
	scripts/bench-deps.sh
	BLOG_BIN="$$(CARGO=$(CARGO) scripts/blog-bin.sh --release)" && export BLOG_BIN \
	  && python3 bench/run.py && python3 bench/serve_latency.py \
	  && python3 bench/serve_latency.py --posts 100000 --edits 5 \
	  && python3 bench/features.py
	$(CARGO) test --locked --release --test serve_load -- --nocapture

## Fuzz each target for FUZZ_SECONDS (default 60); needs the nightly toolchain.
fuzz:
	scripts/fuzz.sh

clean:
	$(CARGO) clean
	rm -rf public .public.blog-* bench-sites node_modules
