#!/usr/bin/env bash
# Colab's GPU path on a Linux machine with an NVIDIA GPU (CUDA 11 wheels, preloading,
# mxnet-cu117, a bidirectional LSTM through cuDNN), then notebook 04 in quick mode on the GPU;
# prints tokens/s and whether it fell back to the CPU. `make gpu-check` runs it.
#
#   bash tools/gpu_check.sh                       # PYTHON=python3, environment .venv-gpu
#   PYTHON=python3.13 VENV=.venv-gpu313 bash tools/gpu_check.sh
#
# Exit status: 0 ran on the GPU; 3 no NVIDIA GPU (checked first: nothing is installed then);
# 4 fell back to the CPU; 5 notebook 04 failed; 1 setup failed. See tools/gpu_check.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv-gpu}"

if ! command -v nvidia-smi >/dev/null 2>&1; then
	echo "gpu_check: no NVIDIA GPU found: nvidia-smi is not installed (no NVIDIA driver)." \
		"Nothing was installed. Run this on a Linux machine with an NVIDIA GPU and its driver." >&2
	exit 3
fi
if ! nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then
	echo "gpu_check: no NVIDIA GPU found: 'nvidia-smi -L' lists none." \
		"Nothing was installed. Run this on a Linux machine with an NVIDIA GPU and its driver." >&2
	exit 3
fi
nvidia-smi -L

"$PYTHON" tools/check_python.py --venv "$VENV"
test -x "$VENV/bin/python" || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
# As `make setup` (MXNet's CPU build); tools/gpu_check.py then replaces it by the CUDA 11.7
# build exactly as d2l_birnn/colab.py does on Colab.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e . nbconvert
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps mxnet==1.9.1 d2l==1.0.3
"$VENV/bin/python" -m d2l_birnn fetch ${DATA_SOURCE:+--from "$DATA_SOURCE"}
exec "$VENV/bin/python" tools/gpu_check.py
