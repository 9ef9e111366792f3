# The two commands of README.md. Both install whatever is missing first.
.PHONY: run test size perf dev

# Start the portal on the embedded SQLite database with the demo data: http://127.0.0.1:3000
run:
	scripts/install-tools.sh
	PATH="$(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$$PATH" cargo leptos serve --release --split --precompress

# Every test: fmt, clippy, unit + HTTP tests on SQLite and PostgreSQL, Playwright in Chromium.
test:
	scripts/test.sh

# The browser bundle size report (see docs/benchmarks.md).
size:
	scripts/size-report.sh

# What a visitor gets: bytes, requests and time to interactive per page in Chromium,
# Lighthouse, and server throughput with wrk (see docs/benchmarks.md).
perf:
	scripts/perf.sh

# Rebuild and restart on every edit (debug build).
dev:
	scripts/install-tools.sh
	PATH="$(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$$PATH" cargo leptos watch --split
