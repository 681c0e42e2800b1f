# Living Playbook: `make run` (app with demo content) and `make test` (the whole suite).
# Both are idempotent: a stamp file records what is installed; a second run reinstalls nothing.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
DATA   ?= data
TORCH  := torch==2.13.0
APP_STAMP  := $(VENV)/.app-installed
TEST_STAMP := $(VENV)/.test-installed
DEB_STAMP  := $(VENV)/.debian-installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test install install-test lint format bench clean

run: $(APP_STAMP)
	@mkdir -p $(DATA)
	@PLAYBOOK_DATA_DIR=$(DATA) PLAYBOOK_DEMO=true $(VENV)/bin/playbook init --demo
	@echo ""
	@echo "  Living Playbook is starting on http://localhost:8501"
	@echo "  Sign in as a demo user: ada (leader), ravi (rotation participant),"
	@echo "  cora (coordinator) or sam (admin). Stop with Ctrl+C."
	@echo ""
	@PLAYBOOK_DATA_DIR=$(DATA) PLAYBOOK_DEMO=true $(VENV)/bin/streamlit run app.py \
		--server.port 8501 --server.headless true --browser.gatherUsageStats false

test: $(TEST_STAMP) $(DEB_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# torch first, pinned to the local CPU build, so nothing pulls the CUDA wheels.
$(APP_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet $(TORCH)
	$(PIP) install --quiet -e .
	@touch $@

$(TEST_STAMP): $(APP_STAMP) pyproject.toml
	$(PIP) install --quiet -e '.[dev]'
	@touch $@

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
$(DEB_STAMP): | $(VENV)/bin/python
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@touch $@

install: $(APP_STAMP)
install-test: $(TEST_STAMP) $(DEB_STAMP)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(TEST_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(TEST_STAMP)
	$(PY) eval/bench_ingest.py
	$(PY) eval/pii.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
