# Living Playbook: `make run` (app with demo content) and `make test` (the whole suite).
# Both are idempotent: a stamp file records what is installed; a second run reinstalls nothing.
# Both install the pinned versions of requirements.lock / requirements-dev.lock (`make lock`
# upgrades them, `make lock-check` tells whether they still match pyproject.toml).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
DATA   ?= data
APP_LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
APP_STAMP  := $(VENV)/.app-installed
TEST_STAMP := $(VENV)/.test-installed
DEB_STAMP  := $(VENV)/.debian-installed
AXE_DIR    := tests/e2e/axe
AXE_STAMP  := $(AXE_DIR)/node_modules/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test install install-test lock lock-check lint format bench clean

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

test: $(TEST_STAMP) $(DEB_STAMP) $(AXE_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# The lock holds every package with its version and hashes (torch is the local CPU build, so
# nothing pulls the CUDA wheels); pip resolves it with dependencies on, so an incomplete lock
# fails here, then the project itself goes in without touching them. `pip check` catches a
# lock that is behind pyproject.toml (a dependency added there but not locked).
define install_locked
	$(PIP) install --quiet -r $(1)
	$(PIP) install --quiet --no-deps -e .
	@$(PIP) check || { echo "Where living-playbook needs what is missing, $(1) is behind \
		pyproject.toml: run 'make lock LOCK_UPGRADE=' and commit the locks."; exit 1; }
	@touch $@
endef

$(APP_STAMP): $(APP_LOCK) pyproject.toml | $(VENV)/bin/python
	$(call install_locked,$(APP_LOCK))

$(TEST_STAMP): $(DEV_LOCK) pyproject.toml | $(VENV)/bin/python
	$(call install_locked,$(DEV_LOCK))

# pip-compile (a dev tool) writes both locks from pyproject.toml and lock-constraints.txt
# (the torch pin). The app lock is constrained by the dev lock, so the two agree on every
# version. `make lock` upgrades everything to the newest release that fits;
# `make lock LOCK_UPGRADE="--upgrade-package NAME"` upgrades one package; LOCK_UPGRADE=
# only adds what pyproject.toml gained. It needs PyPI, nothing else does.
LOCK_UPGRADE ?= --upgrade
COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet \
	--generate-hashes --strip-extras --no-emit-index-url --unsafe-package living-playbook \
	-c lock-constraints.txt
# pip-tools alone (at its locked version), so a lock behind pyproject.toml can still be remade.
$(VENV)/bin/pip-compile: | $(VENV)/bin/python
	$(PIP) install --quiet "$$(grep -E '^pip-tools==' $(DEV_LOCK) | cut -d' ' -f1)"

lock: | $(VENV)/bin/pip-compile
	$(COMPILE) $(LOCK_UPGRADE) --extra dev --output-file $(DEV_LOCK) pyproject.toml
	$(COMPILE) $(LOCK_UPGRADE) -c $(DEV_LOCK) --output-file $(APP_LOCK) pyproject.toml
	@! grep -iE '^(nvidia|triton)' $(DEV_LOCK) $(APP_LOCK) || { echo "CUDA packages in the lock"; exit 1; }

# A dry run writes nothing and prints (with two notes of its own, dropped) the lock it would
# write; the lock is current when that equals the file (same pins, hashes and annotations).
lock-check: | $(VENV)/bin/pip-compile
	@for lock in $(DEV_LOCK) $(APP_LOCK); do \
		if [ $$lock = $(DEV_LOCK) ]; then args="--extra dev"; else args="-c $(DEV_LOCK)"; fi; \
		$(COMPILE) --dry-run $$args --output-file $$lock pyproject.toml 2>&1 \
			| grep -v -e '^Dry-run, so nothing updated' -e '^The generated requirements file may' \
			| diff -u $$lock - \
			|| { echo "$$lock is not current: run 'make lock LOCK_UPGRADE='."; exit 1; }; \
	done
	@echo "requirements locks are current"

# Debian's Chromium for the browser tests (Playwright cannot download its own here), and
# PostgreSQL 15's server binaries for the tests that start one (tests/pg.py).
$(DEB_STAMP): | $(VENV)/bin/python
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@test -x /usr/lib/postgresql/15/bin/initdb || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null; }
	@touch $@

# axe-core from npm (the pinned package-lock.json) for the accessibility check in
# tests/e2e/test_accessibility.py; Debian's npm when none is installed.
$(AXE_STAMP): $(AXE_DIR)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	cd $(AXE_DIR) && npm ci --no-audit --no-fund --silent
	@touch $@

install: $(APP_STAMP)
install-test: $(TEST_STAMP) $(DEB_STAMP) $(AXE_STAMP)

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
