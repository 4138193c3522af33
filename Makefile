# The two commands a user needs (see README):
#   make demo   - create the virtualenv, install, start the embedded database, run the demo
#   make test   - the same set-up, then the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS ?= dev,embedded-postgres
# The spaCy model, pinned by hash (MODEL= to run rule-only)
MODEL  ?= requirements/model.txt

.PHONY: demo test install browser lint airflow bench eval-extraction eval-events manifest clean

$(STAMP): pyproject.toml constraints.txt $(MODEL)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	$(if $(MODEL),$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(MODEL))
	@touch $(STAMP)

install: $(STAMP) manifest

# Cosmos reads dbt's manifest instead of running dbt while Airflow parses DAGs.
manifest: $(STAMP)
	@$(BIN)/python -m newsflow.dbt_runner parse >/dev/null

demo: install
	$(BIN)/newsflow demo

test: install browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The report's test renders it in headless Chromium (Debian's package). Installed
# when missing and this is a Debian-like machine where we may (root); otherwise
# that one test is skipped, with the reason in pytest's summary.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the report's browser test"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
	      || echo "could not install chromium: the report's browser test will be skipped"; \
	  else \
	    echo "chromium not found: the report's browser test will be skipped"; \
	  fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

airflow: install
	$(BIN)/newsflow airflow

bench: install
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/annotate_bench.py
	$(BIN)/python bench/dbt_bench.py
	$(BIN)/python bench/airflow_bench.py

eval-extraction: install
	$(BIN)/python -m newsflow.eval.extraction ../shared/eval/extraction/zyte

eval-events: install
	$(BIN)/newsflow eval events ../shared/eval/events/plover_gsr_dev.json

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs .pytest_cache
