"""Sphinx configuration of the website (both books): tools/build_book.py runs Sphinx with
``-c tools/book`` on each language's staged sources and points ``BOOK_SITE`` at that book's
manifest (its language, its pages and the other book's)."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SITE = json.loads(Path(os.environ["BOOK_SITE"]).read_text(encoding="utf-8"))
LANG = SITE["lang"]
STAGE = Path(os.environ["BOOK_SITE"]).parent  # this book's staged sources
book_site = SITE  # read by book_ext

project = "d2l-birnn"
author = "d2l-birnn"
copyright = "d2l-birnn contributors"
root_doc = "index"
language = "zh_CN" if LANG == "zh" else "en"
html_search_language = "zh" if LANG == "zh" else "en"
# jieba segments the zh book's words; the collection's terms (d2l-zh's) are added to its dictionary.
if LANG == "zh":
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    html_search_options = {"dict": str(Path(__file__).resolve().parent / "jieba_terms.txt")}

extensions = ["myst_nb", "book_ext"]
exclude_patterns = ["_build", "_static_build", "_static_site", "_files", "_book.json",
                    "**/.ipynb_checkpoints"]

# The committed outputs are the page: nothing is executed.
nb_execution_mode = "off"
nb_execution_cache_path = str(STAGE.parent / "jupyter_cache")
nb_merge_streams = True
nb_ipywidgets_js = {}
nb_render_markdown_format = "myst"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "strikethrough"]
myst_heading_anchors = 4
myst_url_schemes = ["http", "https", "mailto", "bookrel"]
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]

# MathJax 3 shipped in the site (copied from django-static-mathjax by build_book.py).
mathjax_path = "mathjax/tex-svg-full.js"

html_theme = "furo"
html_title = "d2l-birnn：双向循环神经网络" if LANG == "zh" else "d2l-birnn: bidirectional RNNs"
html_static_path = [str(Path(__file__).resolve().parent / "_static"), str(STAGE / "_static_build")]
html_templates_path = [str(Path(__file__).resolve().parent / "_templates")]
templates_path = html_templates_path
html_css_files = ["book.css"]
html_js_files = ["book.js"]
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_sidebars = {"**": ["sidebar/brand.html", "book-switch.html", "sidebar/search.html",
                        "sidebar/scroll-start.html", "sidebar/navigation.html",
                        "sidebar/scroll-end.html"]}
