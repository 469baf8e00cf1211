"""The first code cell of every notebook: one template per framework, one parameter (the language).

    from setup_cell import setup_cell_source
    setup_cell_source()                 # the cell of the English notebooks (notebooks/*.ipynb)
    setup_cell_source("zh")             # the cell of the Chinese edition (notebooks/zh/)
    setup_cell_source("en", "torch")    # the PyTorch editions (notebooks/pytorch/, zh/pytorch/)

``make sync-setup-cell`` (tools/sync_setup_cell.py) writes the English cell into
every notebook; ``tests/test_colab.py`` checks that each notebook has it.

The cell is collapsed on Colab (a ``# @title`` form cell); anywhere else it only
sets ``D2L_BIRNN_LANG`` to the edition's language. On Colab it installs this
package without its dependencies from
``REPOSITORY`` (or from ``$D2L_BIRNN_SOURCE``: a local clone, in the Colab
replica test), then runs ``d2l_birnn/colab.py`` as a file: importing
``d2l_birnn`` would import MXNet, which is not installed yet. Everything else
(MXNet, d2l, the GPU build, a font for the language) is in that file.

The PyTorch editions' cell (``TORCH_TEMPLATE``) installs only this package: Colab preinstalls
PyTorch (its CUDA build), and ``from d2l_birnn import torch`` needs nothing else that Colab lacks.
For Chinese it also installs the CJK font (``colab.install_cjk_font``, run from the file).
``tools/edition.py`` writes these cells into the PyTorch editions.
"""

from __future__ import annotations

import sys

# Where Colab installs the package from; the README's badges are made from it too
# (tools/readme_badges.py reads this line).
REPOSITORY = "https://github.com/d2l-birnn/d2l-birnn"

# language: (form title, two comment lines)
TEXTS = {
    "en": ("Setup (runs only on Google Colab)",
           "On Google Colab: installs d2l-birnn, MXNet 1.9.1 (its GPU build on a GPU runtime) and\n"
           "# d2l 1.0.3. Anywhere else it only sets the language of figures and tables (colab.py)."),
    "zh": ("环境设置（仅在 Google Colab 上运行）",
           "在 Google Colab 上：安装 d2l-birnn、MXNet 1.9.1（GPU 运行时安装 GPU 版）、d2l 1.0.3\n"
           "# 和中文字体。在其他地方，它只设置图表的语言。具体步骤见 d2l_birnn/colab.py。"),
}

TEMPLATE = '''# @title {title} {{ display-mode: "form" }}
# {comment}
import os, sys

os.environ["D2L_BIRNN_LANG"] = "{language}"  # this edition's language, for figures and tables
if "google.colab" in sys.modules:
    import importlib.util, runpy, subprocess
    source = os.environ.get("D2L_BIRNN_SOURCE", "git+{repository}")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--ignore-requires-python", source], check=True)
    importlib.invalidate_caches()  # run colab.py as a file: `import d2l_birnn` needs MXNet
    package = importlib.util.find_spec("d2l_birnn").submodule_search_locations[0]
    runpy.run_path(f"{{package}}/colab.py")["setup"]()'''


TORCH_TEXTS = {
    "en": ("Setup (runs only on Google Colab)",
           "On Google Colab: installs d2l-birnn (Colab has PyTorch already; for Chinese, a font).\n"
           "# Anywhere else it only sets the language of figures and tables."),
    "zh": ("环境设置（仅在 Google Colab 上运行）",
           "在 Google Colab 上：安装 d2l-birnn（Colab 已预装 PyTorch）和中文字体。\n"
           "# 在其他地方，它只设置图表的语言。"),
}

TORCH_TEMPLATE = '''# @title {title} {{ display-mode: "form" }}
# {comment}
import os, sys

os.environ["D2L_BIRNN_LANG"] = "{language}"  # this edition's language, for figures and tables
if "google.colab" in sys.modules:
    import importlib.util, runpy, subprocess
    source = os.environ.get("D2L_BIRNN_SOURCE", "git+{repository}")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--ignore-requires-python", source], check=True)
    importlib.invalidate_caches()  # colab.py as a file: `import d2l_birnn` would load MXNet
    if os.environ["D2L_BIRNN_LANG"] == "zh":
        package = importlib.util.find_spec("d2l_birnn").submodule_search_locations[0]
        print(runpy.run_path(f"{{package}}/colab.py")["install_cjk_font"]())'''

FRAMEWORKS = {"mxnet": (TEXTS, TEMPLATE), "torch": (TORCH_TEXTS, TORCH_TEMPLATE)}


def setup_cell_source(language: str = "en", framework: str = "mxnet") -> str:
    """The setup cell's source for the notebooks in ``language`` and ``framework`` ("mxnet",
    "torch"), with no trailing newline."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"no setup cell for framework {framework!r}; known: "
                         f"{', '.join(sorted(FRAMEWORKS))}")
    texts, template = FRAMEWORKS[framework]
    if language not in texts:
        raise ValueError(f"no setup cell text for language {language!r}; known: "
                         f"{', '.join(sorted(texts))} (add it to TEXTS in tools/setup_cell.py)")
    title, comment = texts[language]
    return template.format(title=title, comment=comment, language=language,
                           repository=REPOSITORY)


if __name__ == "__main__":
    print(setup_cell_source(*sys.argv[1:3]))
