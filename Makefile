# skillmap — every target creates its own virtual environment; nothing relies on what is installed by hand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test bench fuzz reliability lint clean venv

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,dask]'
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

demo: $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" bash examples/demo.sh
	@echo ""
	@echo "The demo's outputs are in demo-out/. skillmap is installed in $(VENV); run it as"
	@echo "  $(VENV)/bin/skillmap --help"
	@echo "or activate the environment first:  . $(VENV)/bin/activate  (then: skillmap --help)"

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" bash benchmarks/run.sh

# the long, seeded mutation fuzzer over every reader (make test runs the bounded property tests)
fuzz: $(STAMP)
	$(PY) benchmarks/fuzz_readers.py --inputs $${FUZZ_INPUTS:-5000}

# corpus, fuzzing, kill -9 trials, full disk, no network: writes benchmarks/reliability.json and the README table
reliability: $(STAMP)
	$(PY) benchmarks/reliability.py

lint: $(STAMP)
	$(VENV)/bin/ruff check skillmap tests benchmarks examples data
	$(VENV)/bin/ruff format --check skillmap tests benchmarks examples data

clean:
	rm -rf $(VENV) demo-out benchmarks/out .pytest_cache .ruff_cache
