# Two commands do all set-up: `make run` and `make test`. Both create or refresh .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PACKAGES := bot core handlers knowledge storage

.PHONY: run test lint bench bytecode clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]' >&2
	@touch $(STAMP)

# the project's own modules as bytecode, as pip writes it for an installed package: an
# editable install under PYTHONDONTWRITEBYTECODE=1 (set on many machines and in images)
# would compile all of them again at every start (about 0.15-0.25 s); up to date, this is
# a quick check of the files' times
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q $(PACKAGES) >/dev/null

run: bytecode
	@$(BIN)/cluster-advisor run

test: $(STAMP) lint
	@$(BIN)/python -m pytest

lint: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/mypy
	@$(BIN)/lint-imports --no-cache

bench: bytecode
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev,bench]' >&2
	@$(BIN)/python bench/bench_matcher.py
	@$(BIN)/python bench/bench_ask_cli.py
	@$(BIN)/python bench/bench_memory.py
	@for extra in bench/bench_charts.py bench/bench_match.py bench/bench_reminders.py \
		bench/bench_quality.py bench/bench_match_quality.py bench/bench_throttle.py \
		bench/bench_events.py bench/bench_webhook.py bench/bench_workshop.py \
		bench/bench_teaching.py bench/bench_instances.py bench/bench_startup.py; do \
		test -f $$extra && $(BIN)/python $$extra; done; true
	@$(BIN)/python bench/bench_soak.py --minutes 1  # the README's figures: --minutes 10

clean:
	rm -rf $(VENV) data/*.sqlite3* data/cache
