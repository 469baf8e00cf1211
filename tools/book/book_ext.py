"""The website's own Sphinx extension: a toolbar on every page (language switch, framework
switch, Colab badge, notebook download) and the same language switch in the sidebar of every
page, the search page included. Links that the staging step marked ``bookrel:`` (pages of the
other language's book) become plain relative links."""

from __future__ import annotations

import html

from sphinx.application import Sphinx

LABELS = {
    "en": {"lang": "Language", "fw": "Framework", "download": "Download .ipynb",
           "colab": "Open in Colab"},
    "zh": {"lang": "语言", "fw": "框架", "download": "下载 .ipynb", "colab": "在 Colab 中打开"},
}
LANG_NAMES = {"en": "English", "zh": "简体中文"}
FRAMEWORKS = (("mxnet", "MXNet", "notebooks/"), ("pytorch", "PyTorch", "notebooks/pytorch/"))


def _framework(docname: str) -> tuple[str, str] | None:
    """('mxnet' | 'pytorch', notebook stem) of a notebook page, else None."""
    if docname.startswith("notebooks/pytorch/") and docname.count("/") == 2:
        return "pytorch", docname.rsplit("/", 1)[1]
    if docname.startswith("notebooks/") and docname.count("/") == 1:
        return "mxnet", docname.rsplit("/", 1)[1]
    return None


def _link(href: str, text: str, current: bool, cls: str, css_text: bool = False, **data: str) -> str:
    """A switch item. With ``css_text`` its words are drawn by CSS (``data-label``), so that they
    stay out of the page's text: Sphinx's search shows the start of a page's text as its summary."""
    label = html.escape(text)
    inner, attrs = ("", f' data-label="{label}" aria-label="{label}"') if css_text else (label, "")
    attrs += "".join(f' data-{k}="{html.escape(v)}"' for k, v in data.items())
    if current:
        return f'<span class="{cls} current" aria-current="page"{attrs}>{inner}</span>'
    return f'<a class="{cls}" href="{html.escape(href)}"{attrs}>{inner}</a>'


def language_switch(site: dict, docname: str, css_text: bool = False) -> str:
    up = "../" * (docname.count("/") + 1)
    items = []
    for lang, name in LANG_NAMES.items():
        pages = site["langs"].get(lang, [])
        target = docname if (docname in pages or docname in ("search", "genindex")) else "index"
        items.append(_link(f"{up}{lang}/{target}.html", name, lang == site["lang"], "book-lang-link",
                           css_text, keep="section"))
    label = LABELS[site["lang"]]["lang"]
    sep = "" if css_text else " | "
    return f'<span class="book-lang" role="group" aria-label="{label}">{sep.join(items)}</span>'


def framework_switch(site: dict, docname: str) -> str:
    here = _framework(docname)
    pages = site["langs"][site["lang"]]
    if here is None or not any(p.startswith("notebooks/pytorch/") for p in pages):
        return ""
    up = "../" * docname.count("/")
    items = []
    for fw, name, folder in FRAMEWORKS:
        target = folder + here[1]
        if target not in pages:
            continue
        items.append(_link(f"{up}{target}.html", name, fw == here[0], "book-fw-link", True,
                           keep="section", fw=fw))
    if len(items) < 2:
        return ""
    label = LABELS[site["lang"]]["fw"]
    return f'<span class="book-fw" role="group" aria-label="{label}">{"".join(items)}</span>'


def toolbar(site: dict, docname: str, pathto) -> str:
    labels = LABELS[site["lang"]]
    parts = [language_switch(site, docname, True), framework_switch(site, docname)]
    page = site["pages"].get(docname)
    if page and page["notebook"]:
        badge = pathto("_static/colab-badge.svg", 1)
        name = page["repo"].rsplit("/", 1)[1]
        parts.append(f'<a class="book-colab" href="{site["colab"]}{page["repo"]}">'
                     f'<img src="{badge}" alt="{labels["colab"]}" width="117" height="20"></a>')
        parts.append(f'<a class="book-download" href="{name}" download data-label="{labels["download"]}"'
                     f' aria-label="{labels["download"]}"></a>')
    return '<div class="book-toolbar">' + "".join(p for p in parts if p) + "</div>"


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    site = app.config.book_site
    context["book_switch"] = language_switch(site, pagename)
    if "body" in context and context["body"]:
        body = context["body"].replace('href="bookrel:', 'href="')
        context["body"] = toolbar(site, pagename, context["pathto"]) + body


def _chinese_search_language():
    """Sphinx 9.0's zh search writes ``window.Stemmer = ChineseStemmer`` after the English
    stemmer it ships for Latin words, and ChineseStemmer does not exist (a script error on the
    search page). The same language, with the stemmer's code inlined under its real name."""
    from sphinx.search import _MINIFIED_JS_PATH
    from sphinx.search.zh import SearchChinese

    class BookChinese(SearchChinese):
        js_stemmer_rawcode = ""
        js_stemmer_code = "\n".join((
            (_MINIFIED_JS_PATH / "base-stemmer.js").read_text(encoding="utf-8"),
            (_MINIFIED_JS_PATH / SearchChinese.js_stemmer_rawcode).read_text(encoding="utf-8"),
            "window.Stemmer = EnglishStemmer;"))

    return BookChinese


def setup(app: Sphinx) -> dict:
    app.add_search_language(_chinese_search_language())
    app.add_config_value("book_site", {}, "html")  # conf.py: the manifest build_book.py wrote
    app.connect("html-page-context", on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
