# d2l-birnn: `make lab` opens the notebooks, `make test` runs every test. Both set up first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KERNEL := d2l-birnn
# A local copy of timemachine.txt to use instead of downloading (e.g. offline machines, CI).
DATA_SOURCE ?=

.PHONY: setup venv kernel data lab test lint notebooks-full clean

setup: venv kernel data

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml tools/check_python.py
	@$(PYTHON) tools/check_python.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

kernel: $(VENV)/.kernel

$(VENV)/.kernel: $(VENV)/.installed
	$(PY) -m ipykernel install --user --name $(KERNEL) --display-name "Python (d2l-birnn)"
	@touch $@

data: venv
	$(PY) -m d2l_birnn fetch $(if $(DATA_SOURCE),--from $(DATA_SOURCE))

lab: setup
	$(VENV)/bin/jupyter lab notebooks/

lint: venv
	$(PY) -m ruff check d2l_birnn tests tools benchmarks

# Unit tests, then every notebook under nbval, in quick mode.
test: setup lint
	D2L_BIRNN_QUICK=1 $(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env \
		--durations=0 -q

# Re-run every notebook in full mode and save the outputs in place (long: see README).
notebooks-full: setup
	for nb in notebooks/[0-9]*.ipynb; do \
		D2L_BIRNN_QUICK=0 $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
			--ExecutePreprocessor.timeout=-1 --ExecutePreprocessor.kernel_name=python3 "$$nb" \
			|| exit 1; \
	done

clean:
	rm -rf $(VENV) build *.egg-info
