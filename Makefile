# Boundaries: every target installs what it needs first, so a clean clone works.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit quality bench bench-web bench-logs bench-images bench-cases bench-connections install clean chromium pango wrk tesseract java goaccess squid

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The main job: the web app on the default SQLite file with the demo schools (invented people).
# It migrates the database, adds the demo data (idempotent) and prints the address and sign-ins.
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(STAMP) pango
	$(BIN)/boundaries serve --demo --host $(HOST) --port $(PORT)

# System packages the tests and benchmarks drive: Debian's chromium for the browser tests,
# wrk for the load benchmark. Installed with apt-get only when missing.
APT_GET := $(shell command -v apt-get)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) $(APT_GET) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) $(APT_GET) install -y -qq chromium >/dev/null; }

# WeasyPrint draws the PDF reports with Pango (Debian's libpango; chromium brings it too).
pango:
	@ldconfig -p | grep -q libpangoft2-1.0 || { \
		echo "Installing Debian's Pango for the PDF reports"; \
		$(SUDO) $(APT_GET) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) $(APT_GET) install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

# Tesseract reads the text in screenshots (image screening); English data only.
tesseract:
	@command -v tesseract >/dev/null || { \
		echo "Installing Debian's tesseract-ocr for text in images"; \
		$(SUDO) $(APT_GET) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) $(APT_GET) install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null; }

# Apache Spark (pyspark, from PyPI) runs the monitoring reports for a council; it needs Java 17.
java:
	@command -v java >/dev/null || { \
		echo "Installing Java 17 for Apache Spark"; \
		$(SUDO) $(APT_GET) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) $(APT_GET) install -y -qq openjdk-17-jre-headless >/dev/null; }

# GoAccess is the reference the log benchmark compares with.
goaccess:
	@command -v goaccess >/dev/null || { \
		echo "Installing GoAccess for the log benchmark"; \
		$(SUDO) $(APT_GET) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) $(APT_GET) install -y -qq goaccess >/dev/null; }

# Squid checks that the filtering exports (ACL files) parse: `squid -k parse` in the tests.
squid:
	@command -v squid >/dev/null || [ -x /usr/sbin/squid ] || { \
		echo "Installing Debian's squid to check the filtering exports"; \
		$(SUDO) $(APT_GET) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) $(APT_GET) install -y -qq squid >/dev/null; }

wrk:
	@command -v wrk >/dev/null || { \
		echo "Installing wrk for the load benchmark"; \
		$(SUDO) $(APT_GET) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) $(APT_GET) install -y -qq wrk >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# pytest exits 5 when it collects nothing: that is a failure here, never a pass.
unit: $(STAMP) chromium pango tesseract java squid
	$(BIN)/pytest

test: lint typecheck unit

quality: $(STAMP)
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/pupils_disambiguation.py

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/bench.py

# The web app under load: 50 users for 30 s from a second process, then wrk's peak rate.
bench-web: $(STAMP) wrk
	$(BIN)/python benchmarks/bench_web.py

# Proxy logs: 10 million generated Squid lines (made once, cached in benchmarks/.cache), lines
# per second for ingest + the standard report on DuckDB and Spark against GoAccess, and peak
# memory at 1, 3 and 10 million lines. `make bench-logs LINES=1000000` for a quicker run.
LINES ?= 10000000
bench-logs: $(STAMP) goaccess java
	$(BIN)/python benchmarks/bench_logs.py --lines $(LINES)

# Connections audit: precision, recall and time of one whole audit on a generated school.
bench-connections: $(STAMP)
	$(BIN)/python benchmarks/bench_connections.py

# `boundaries cases verify` over 100,000 audit entries and 10,000 evidence files (SQLite, then
# PostgreSQL when it answers): entries/s, files/s and the command's total time.
bench-cases: $(STAMP)
	$(BIN)/python benchmarks/bench_cases.py

# Image screening: CPU time per step on 12-megapixel photos (one core), face and badge recall and
# false alarms on scikit-image's samples and made pictures. `--quick` for a shorter run.
bench-images: $(STAMP) tesseract
	$(BIN)/python benchmarks/bench_images.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
