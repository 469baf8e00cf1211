# d2l-birnn: `make lab` opens the notebooks, `make test` runs every test. Both set up first.
PYTHON ?= python3
# Another Python beside the default one gets its own environment, e.g.
#   make test PYTHON=python3.13 VENV=.venv-py313
VENV   ?= .venv
PY     := $(VENV)/bin/python
# The Jupyter kernel of .venv is 'd2l-birnn'; another VENV registers its own (d2l-birnn-py313).
KERNEL ?= $(if $(filter .venv,$(VENV)),d2l-birnn,d2l-birnn-$(patsubst .venv-%,%,$(notdir $(VENV))))
# 1 on Python 3.12 and newer: NumPy 2 there (see pyproject.toml), so no NumPy 1.26/2 side envs.
NEW_PYTHON := $(shell $(PYTHON) -c 'import sys; print(int(sys.version_info >= (3, 12)))' 2>/dev/null)
# The pins that go in without their dependencies on Python 3.12+ (a no-op below: already there).
# MXNet only where it has wheels (Linux x86-64/aarch64, macOS x86-64); elsewhere (macOS arm64,
# Windows) setup installs the PyTorch edition alone.
MXNET_WHEELS := $(shell $(PYTHON) tools/check_python.py --mxnet-wheels 2>/dev/null)
NO_DEPS := $(if $(filter no,$(MXNET_WHEELS)),,mxnet==1.9.1) d2l==1.0.3
# The PyTorch edition's framework, installed beside MXNet. On Linux, PyPI's `torch` is the CUDA
# build (about 3 GB with its nvidia-* wheels); TORCH can name a CPU wheel instead.
TORCH ?= torch
# A local copy of timemachine.txt to use instead of downloading (e.g. offline machines, CI).
DATA_SOURCE ?=

.PHONY: setup venv kernel data lab test test-core lint notebooks-full clean
.PHONY: compat-envs numpy-compat browser slides slide-metadata sync-setup-cell cjk-font edition

setup: venv kernel data

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml tools/check_python.py
	@$(PYTHON) tools/check_python.py --venv $(VENV)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(PY) -m pip install --quiet --disable-pip-version-check '$(TORCH)'
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps $(NO_DEPS)
	@touch $@

kernel: $(VENV)/.kernel

$(VENV)/.kernel: $(VENV)/.installed
	$(PY) -m ipykernel install --user --name $(KERNEL) --display-name "Python ($(KERNEL))"
	@touch $@

data: venv
	$(PY) -m d2l_birnn fetch $(if $(DATA_SOURCE),--from $(DATA_SOURCE))

# JupyterLab serves the repository root and opens notebooks/, so the notebooks' links to
# ../REFERENCES.md and ../LECTURE.md work (tests/test_links.py starts it the same way: LAB_ARGS).
# JupyterLab refuses to run as root unless told; containers often run as root.
LAB_ARGS := --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks
lab: setup
	$(VENV)/bin/jupyter lab $(LAB_ARGS) $(if $(filter 0,$(shell id -u)),--allow-root)

lint: venv
	$(PY) -m ruff check d2l_birnn tests tools benchmarks

# Unit tests, then every notebook under nbval, in quick mode ('notebooks' includes notebooks/zh,
# the Chinese edition, when it exists: pytest collects it recursively). (The NumPy 1.26/2 side envs
# only below Python 3.12: from 3.12 on, the project's own environment runs NumPy 2.)
test: setup lint $(if $(filter 1,$(NEW_PYTHON)),,compat-envs) browser cjk-font
	D2L_BIRNN_QUICK=1 $(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env \
		--ignore=tests/test_book.py \
		--durations=0 -q

# The unit tests and every notebook in quick mode, without lint, browser or slide tests: what CI
# runs on a second Python (make test-core PYTHON=python3.13 VENV=.venv-py313). CORE_FLAGS adds
# pytest options (CI: --ignore-glob='notebooks/zh/[0-9]*.ipynb', see .ci/run).
CORE_FLAGS ?=
test-core: setup cjk-font
	D2L_BIRNN_QUICK=1 $(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env \
		--ignore=tests/test_browser.py --ignore=tests/test_slides.py --ignore=tests/test_lecture.py \
		--ignore=tests/test_lecture_live.py --ignore=tests/test_jupyterlab_run_all.py --durations=0 -q \
		$(CORE_FLAGS)

# Re-run every notebook of every edition (notebooks/, zh/, pytorch/, zh/pytorch/) in full mode and
# save the outputs in place
# (long: see README). A cell
# may take up to CELL_TIMEOUT seconds (04's longest takes about 7.4 min here): a client that missed
# a cell's reply sees it when that timeout ends, instead of never (README, "The nbclient wait").
CELL_TIMEOUT ?= 1800
notebooks-full: setup
	for nb in notebooks/[0-9]*.ipynb $(wildcard notebooks/zh/[0-9]*.ipynb) \
		$(wildcard notebooks/pytorch/[0-9]*.ipynb notebooks/zh/pytorch/[0-9]*.ipynb); do \
		D2L_BIRNN_QUICK=0 D2L_BIRNN_PRETRAINED=0 D2L_BIRNN_SAVE_PRETRAINED=1 \
			$(VENV)/bin/jupyter nbconvert --to notebook \
			--execute --inplace \
			--ExecutePreprocessor.timeout=$(CELL_TIMEOUT) --ExecutePreprocessor.kernel_name=python3 "$$nb" \
			|| exit 1; \
	done

# Notebook 04 in full mode, saving its three trained models into d2l_birnn/mxnet/pretrained/ in the same
# run that writes its outputs (so the shipped models and the committed outputs agree; ~12 min).
.PHONY: pretrained lecture
pretrained: setup
	D2L_BIRNN_QUICK=0 D2L_BIRNN_PRETRAINED=0 D2L_BIRNN_SAVE_PRETRAINED=1 $(VENV)/bin/jupyter nbconvert \
		--to notebook --execute --inplace --ExecutePreprocessor.timeout=$(CELL_TIMEOUT) \
		--ExecutePreprocessor.kernel_name=python3 notebooks/04_bilstm_gluon.ipynb

# The lecture decks slides/lecture.html (90 min) and slides/lecture-45.html from the notebooks'
# cells tagged 'lecture', the deck data of tools/lecture_deck/ and LECTURE.md, figures redrawn for
# projection; full mode with the shipped models (a few minutes). Handouts from Chromium (make
# browser): slides/lecture.pdf, lecture-45.pdf (one slide a page) and *-contact-sheet.png.
# LECTURE_FLAGS=--quick for CI, --no-execute for the committed outputs, --no-handouts.
# The Chinese edition's decks (notebooks/zh, LECTURE.zh-CN.md) go into slides/zh/.
LECTURE_FLAGS ?=
lecture: venv browser
	$(PY) tools/build_lecture.py --out slides $(LECTURE_FLAGS)
	$(if $(wildcard notebooks/zh/[0-9]*.ipynb),$(PY) tools/build_lecture.py --out slides/zh \
		--plan LECTURE.zh-CN.md $(LECTURE_FLAGS) $(wildcard notebooks/zh/[0-9]*.ipynb))

clean:
	rm -rf $(VENV) build *.egg-info $(NP126) $(NP2) slides .venv-colab-*

# --- Google Colab replica and GPU check ----------------------------------------------------
# Colab's runtime rebuilt here (its versions, a stand-in google.colab), where every notebook's
# own first cell installs the package from this clone, MXNet and d2l, then the notebook runs in
# quick mode (tools/colab_replica.py; results in build/colab-replica/). Needs the data (no
# download in the kernel) and a Python of the runtime's version.
.PHONY: colab-replica colab-replica-2026.07 gpu-check
COLAB_PYTHON ?= python3.13
COLAB_2026_07_PYTHON ?= python3.12
colab-replica: data
	$(PY) tools/colab_replica.py run --runtime current --python $(COLAB_PYTHON)

# COLAB_NOTEBOOKS: which notebooks (default: every English MXNet notebook).
COLAB_NOTEBOOKS ?=
colab-replica-2026.07: data
	$(PY) tools/colab_replica.py run --runtime 2026.07 --python $(COLAB_2026_07_PYTHON) $(COLAB_NOTEBOOKS)

# The PyTorch editions (notebooks/pytorch/) in Colab's current runtime with its preinstalled torch
# version (PyPI's build unless COLAB_TORCH_WHEEL names a local CPU wheel for Python 3.13).
.PHONY: colab-replica-torch
COLAB_TORCH_WHEEL ?=
colab-replica-torch: data
	$(PY) tools/colab_replica.py run --runtime current --python $(COLAB_PYTHON) --framework torch \
		$(if $(COLAB_TORCH_WHEEL),--torch-wheel $(COLAB_TORCH_WHEEL))

# Colab's current runtime as it is (torch preinstalled): the PyTorch editions, then the MXNet
# ones in the same environment (their setup cells add MXNet). CI runs this one: one build.
.PHONY: colab-replica-both
colab-replica-both: data
	$(PY) tools/colab_replica.py run --runtime current --python $(COLAB_PYTHON) --framework both \
		$(if $(COLAB_TORCH_WHEEL),--torch-wheel $(COLAB_TORCH_WHEEL))

# On a Linux machine with an NVIDIA GPU: Colab's GPU path, then notebook 04 on the GPU.
# The PyTorch edition first (its own environment, PyPI's CUDA build of torch), then MXNet's.
gpu-check: gpu-check-torch
	bash tools/gpu_check.sh

.PHONY: gpu-check-torch
gpu-check-torch:
	@nvidia-smi -L 2>/dev/null | grep -q '^GPU ' || { echo "gpu-check-torch: no NVIDIA GPU" \
		"(nvidia-smi lists none); nothing was installed" >&2; exit 3; }
	@test -x .venv-gpu-torch/bin/python || $(PYTHON) -m venv .venv-gpu-torch
	.venv-gpu-torch/bin/python -m pip install --quiet --disable-pip-version-check -e . torch nbconvert
	.venv-gpu-torch/bin/python -m d2l_birnn fetch $(if $(DATA_SOURCE),--from $(DATA_SOURCE))
	.venv-gpu-torch/bin/python tools/gpu_check_torch.py

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

# A CJK font for the Chinese edition's figures (tests/test_fonts.py): Debian's WenQuanYi Micro Hei,
# installed here when running as root and missing.
cjk-font:
	@fc-list 2>/dev/null | grep -qi -e 'WenQuanYi' -e 'Noto Sans CJK' -e 'Noto Sans SC' || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null; \
		else \
			echo "No CJK font (sudo apt-get install fonts-wqy-microhei): the zh glyph tests will skip"; \
		fi; }

# The Chinese edition: regenerate notebooks/zh's code cells and structure from notebooks/ (keeps
# translations; new or changed English markdown is marked untranslated/stale).
edition: venv
	$(PY) tools/edition.py sync zh

$(VENV)/.browser: $(VENV)/.installed
	$(PY) -m $(PIP_Q) -e '.[browser]'
	@touch $@

# reveal.js decks of every notebook in slides/ (the Chinese edition's in slides/zh/), usable offline
# (needs npm once, for the assets).
slides: venv
	$(PY) tools/build_slides.py --out slides
	$(if $(wildcard notebooks/zh/[0-9]*.ipynb),$(PY) tools/build_slides.py --out slides/zh \
		$(wildcard notebooks/zh/[0-9]*.ipynb))

# Self-study (issue 23): speaker notes into cell metadata, markers repaired, no saved widget state
# (idempotent), then check every notebook (no visible notes, markers render as if absent, PNG
# figures, no widget state). Run it after re-running notebooks: nbconvert saves widget state.
.PHONY: self-study
self-study: venv
	$(PY) tools/self_study.py migrate
	$(PY) tools/self_study.py check

# Slide types of every cell by rule (idempotent; touches only cell metadata).
slide-metadata: venv
	$(PY) tools/add_slide_metadata.py notebooks/*.ipynb $(wildcard notebooks/zh/*.ipynb notebooks/pytorch/*.ipynb notebooks/zh/pytorch/*.ipynb)

# Make every notebook's first code cell the text of tools/setup_cell.py.
sync-setup-cell: venv
	$(PY) tools/sync_setup_cell.py

# The website (README, "The website"): one book per language from the committed notebooks, not
# executed, into build/book/ (tools/build_book.py; skipped when nothing it reads changed). Its tools
# live in their own environment, .venv-book (tools/book/requirements.txt), from PyPI only.
BOOK_VENV := .venv-book
.PHONY: book
book: $(BOOK_VENV)/.installed
	$(BOOK_VENV)/bin/python tools/build_book.py

# The website's tests in headless Chromium (tests/test_book.py; make test leaves them out: they
# need the book built). CI's last step.
.PHONY: test-book
test-book: book browser
	D2L_BIRNN_BOOK_REQUIRED=1 $(PY) -m pytest tests/test_book.py -q --durations=5

$(BOOK_VENV)/.installed: tools/book/requirements.txt
	@test -x $(BOOK_VENV)/bin/python || $(PYTHON) -m venv $(BOOK_VENV)
	$(BOOK_VENV)/bin/pip install --quiet --disable-pip-version-check -r tools/book/requirements.txt
	@touch $@
