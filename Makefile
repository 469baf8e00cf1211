# d2l-birnn: `make lab` opens the notebooks, `make test` runs every test. Both set up first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KERNEL := d2l-birnn
# A local copy of timemachine.txt to use instead of downloading (e.g. offline machines, CI).
DATA_SOURCE ?=

.PHONY: setup venv kernel data lab test lint notebooks-full clean
.PHONY: compat-envs numpy-compat browser slides slide-metadata sync-setup-cell

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

# JupyterLab refuses to run as root unless told; containers often run as root.
lab: setup
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

lint: venv
	$(PY) -m ruff check d2l_birnn tests tools benchmarks

# Unit tests, then every notebook under nbval, in quick mode.
test: setup lint compat-envs browser
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
	rm -rf $(VENV) build *.egg-info $(NP126) $(NP2) slides

# --- Colab compatibility, browser tests, slides -------------------------------------------
NP126 := .venv-np126
NP2   := .venv-np2
PIP_Q := pip install --quiet --disable-pip-version-check --no-warn-conflicts

# Environments with a newer NumPy than the project's, for tests/test_compat.py: NumPy 1.26 and
# the newest NumPy 2 (as on Colab). MXNet, d2l and this package go in with --no-deps there
# (they pin older NumPy); d2l's real run-time needs are installed beside them.
compat-envs: $(NP126)/.installed $(NP2)/.installed

$(NP126)/.installed: pyproject.toml
	@test -x $(NP126)/bin/python || $(PYTHON) -m venv $(NP126)
	$(NP126)/bin/$(PIP_Q) numpy==1.26.4 mxnet==1.9.1 matplotlib==3.7.2 pandas==2.0.3 \
		matplotlib-inline==0.1.6 'ipython<9' requests
	$(NP126)/bin/$(PIP_Q) --no-deps d2l==1.0.3 -e .
	@touch $@

$(NP2)/.installed: pyproject.toml
	@test -x $(NP2)/bin/python || $(PYTHON) -m venv $(NP2)
	$(NP2)/bin/$(PIP_Q) 'numpy>=2' matplotlib pandas matplotlib-inline ipython requests
	$(NP2)/bin/$(PIP_Q) --no-deps mxnet==1.9.1 d2l==1.0.3 -e .
	@touch $@

# Regenerate d2l_birnn/compat.py's RESTORE table from MXNet's sources and the NumPy versions.
numpy-compat: venv compat-envs
	$(PY) tools/derive_numpy_compat.py $(NP126)/bin/python $(NP2)/bin/python

# Debian's Chromium (installed here when running as root) and Playwright, for the browser tests.
browser: $(VENV)/.browser
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null; \
		else \
			echo "Chromium is missing (sudo apt-get install chromium): browser tests will skip"; \
		fi; }

$(VENV)/.browser: $(VENV)/.installed
	$(PY) -m $(PIP_Q) -e '.[browser]'
	@touch $@

# reveal.js decks of every notebook in slides/, usable offline (needs npm once, for the assets).
slides: venv
	$(PY) tools/build_slides.py --out slides

# Slide types of every cell by rule (idempotent; touches only cell metadata).
slide-metadata: venv
	$(PY) tools/add_slide_metadata.py

# Make every notebook's first code cell the text of tools/setup_cell.py.
sync-setup-cell: venv
	$(PY) tools/sync_setup_cell.py
