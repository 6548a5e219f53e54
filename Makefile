# Two commands do all set-up: `make run` and `make test`. Both create or refresh .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]' >&2
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/cluster-advisor run

test: $(STAMP) lint
	@$(BIN)/python -m pytest

lint: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/mypy
	@$(BIN)/lint-imports --no-cache

bench: $(STAMP)
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
