"""A CJK font for matplotlib, so that the Chinese edition's figures show Chinese.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: a Chinese label
is drawn as empty boxes, with a ``UserWarning`` ("Glyph ... missing from
current font"), and inside a ``$...$`` label only a log record of the logger
``matplotlib.mathtext``. A CJK font helps only when it is *first* in
``rcParams['font.sans-serif']``: mathtext takes its text font from the first
family there and does not fall back to later ones.

:func:`use_cjk_font` finds an installed font, registers it with matplotlib for
this process (``fontManager.addfont``: works for a font installed after Python
started, e.g. by the Colab setup cell), and puts its family first. It is called
by :mod:`d2l_birnn.i18n` and :mod:`d2l_birnn.plotting` whenever the language is
Chinese. Set ``D2L_BIRNN_CJK_FONT=/path/to/font.ttf`` to choose a font yourself.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

FONT_ENV = "D2L_BIRNN_CJK_FONT"
INSTALL_HINT = ("install one: `sudo apt-get install fonts-wqy-microhei` (Debian/Ubuntu; `make test` "
                "does it when run as root), `brew install --cask font-wqy-microhei` (macOS); on "
                "Colab the notebooks' setup cell installs it; or set D2L_BIRNN_CJK_FONT to the path "
                "of a .ttf/.otf/.ttc font with simplified Chinese")

# Preferred first. A .ttc holds several faces and matplotlib <= 3.10 loads only the first: that
# is "WenQuanYi Micro Hei" in wqy-microhei.ttc, but the *Japanese* face in Noto's
# NotoSansCJK-*.ttc (it has the Chinese characters too, in Japanese glyph shapes), so the
# single-face SC files come before it.
CANDIDATES = (
    "wqy-microhei.ttc", "wqy-zenhei.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf",
    "NotoSansSC-Regular.ttf", "SourceHanSansSC-Regular.otf", "NotoSansCJK-Regular.ttc",
    "msyh.ttc", "simhei.ttf", "PingFang.ttc", "Hiragino Sans GB.ttc", "Arial Unicode.ttf",
)
# Characters every chosen font must have (from the zh catalogue's terms).
PROBE = "隐状态困惑度词元词表小批量迭代周期梯度裁剪前向后向递归双向循环神经网络时间步，（）："
DEFAULT_FALLBACK = "DejaVu Sans"   # matplotlib's own font, for symbols a CJK font lacks (e.g. ␣)

_in_use: dict[str, str] = {}   # {"family": ..., "path": ...} once registered in this process


class CJKFontWarning(UserWarning):
    """No CJK font was found: Chinese labels would be drawn as empty boxes."""


def has_glyphs(path, text: str = PROBE) -> bool:
    """Whether the font file at ``path`` (its first face) has a glyph for every char of ``text``."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(c)) != 0 for c in text if not c.isspace())


def find_cjk_font() -> Path | None:
    """The path of an installed font with simplified Chinese glyphs, or None.

    ``$D2L_BIRNN_CJK_FONT`` if set (a ``ValueError`` if it is not such a font);
    otherwise the first of :data:`CANDIDATES` among the system's fonts.
    """
    chosen = os.environ.get(FONT_ENV)
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise ValueError(f"{FONT_ENV}={chosen}: no such file; point it at a .ttf/.otf/.ttc font")
        if not has_glyphs(path):
            raise ValueError(f"{FONT_ENV}={chosen} (first face) lacks simplified Chinese glyphs; "
                             f"choose another font, or unset {FONT_ENV} and {INSTALL_HINT}")
        return path
    from matplotlib import font_manager

    by_name: dict[str, Path] = {}
    for found in font_manager.findSystemFonts(fontext="ttf"):   # .ttf, .otf and .ttc
        by_name.setdefault(Path(found).name.lower(), Path(found))
    for name in CANDIDATES:
        path = by_name.get(name.lower())
        if path is not None and has_glyphs(path):
            return path
    return None


def use_cjk_font(warn: bool = True) -> str | None:
    """Register a CJK font and put its family first in ``rcParams['font.sans-serif']``.

    Idempotent, and cheap after the first call; puts the family back in front
    if something (a style, ``rcdefaults``) moved it. Also makes sure
    ``font.family`` ends with DejaVu Sans, so symbols the CJK font lacks fall
    back to it in plain-text labels. Font sizes are untouched (a projection
    style's larger fonts keep working). Returns the family name, or None (and,
    with ``warn``, a :class:`CJKFontWarning` saying how to install one) when
    no font is installed.
    """
    import matplotlib as mpl

    if not _in_use:
        path = find_cjk_font()
        if path is None:
            if warn:
                warnings.warn(f"no font with Chinese glyphs is installed, so Chinese labels will "
                              f"be drawn as boxes: {INSTALL_HINT}", CJKFontWarning, stacklevel=2)
            return None
        from matplotlib import font_manager

        font_manager.fontManager.addfont(str(path))
        family = font_manager.FontProperties(fname=str(path)).get_name()
        _in_use.update(family=family, path=str(path))
    family = _in_use["family"]
    sans = list(mpl.rcParams["font.sans-serif"])
    if sans[:1] != [family]:
        mpl.rcParams["font.sans-serif"] = [family] + [f for f in sans if f != family]
    families = list(mpl.rcParams["font.family"])
    if DEFAULT_FALLBACK not in families:
        mpl.rcParams["font.family"] = families + [DEFAULT_FALLBACK]
    return family


def font_in_use() -> dict[str, str]:
    """``{"family", "path"}`` of the CJK font registered in this process (empty if none yet)."""
    return dict(_in_use)


def describe() -> str:
    """One line for ``doctor``: the CJK font that the Chinese edition uses, or how to get one."""
    try:
        path = Path(_in_use["path"]) if _in_use else find_cjk_font()
    except ValueError as e:
        return f"unusable: {e}"
    if path is None:
        return f"none found (needed by the Chinese edition): {INSTALL_HINT}"
    from matplotlib import font_manager

    return f"{font_manager.FontProperties(fname=str(path)).get_name()} ({path})"
