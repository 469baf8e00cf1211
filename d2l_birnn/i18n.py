"""One message catalogue for every word a reader sees in a figure or a result table.

The language is one setting, the environment variable ``D2L_BIRNN_LANG``
(``en``, the default, or ``zh``); the Chinese notebooks set it in their first
cell. Code is the same in both editions; only the catalogue differs::

    from d2l_birnn.i18n import msg, localize

    ax.set(xlabel=msg("axis.seq_len_T"), title=msg("nb05.memory.title", h=memory_h))
    display(localize(table))        # column/row labels that are English catalogue texts

Chinese terms follow d2l-zh (《动手学深度学习》): 隐状态, 困惑度, 词元, 词表, 小批量,
迭代周期, 梯度裁剪, 前向递归/后向递归, 动态规划, 隐马尔可夫模型, 双向循环神经网络,
时间步 (see ``i18n/glossary.tsv``). When the language is ``zh``, a CJK font is
put first in matplotlib's font list (:mod:`d2l_birnn.fonts`).
"""

from __future__ import annotations

import difflib
import os
import string

LANG_ENV = "D2L_BIRNN_LANG"
LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"

# key: (English, Chinese). A text is used as it is when msg() gets no arguments (so LaTeX braces
# need no escaping); with arguments it is a str.format template: both languages must use the same
# fields, and literal braces are doubled.
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- shared axis labels and words ------------------------------------------------------
    "axis.time_step_t": ("time step $t$", "时间步 $t$"),
    "axis.seq_len_T": ("sequence length $T$", "序列长度 $T$"),
    "axis.hidden_size_h": ("hidden size $h$", "隐藏单元数 $h$"),
    "axis.input_step_s": ("input step $s$", "输入时间步 $s$"),
    "axis.output_step_t": ("output step $t$", "输出时间步 $t$"),
    "axis.epoch": ("epoch", "迭代周期"),
    "axis.accuracy": ("accuracy", "精度"),
    "axis.heldout_accuracy_pct": ("held-out accuracy (%)", "留出文本上的精度（%）"),
    "axis.context_chars_n": ("context characters on a side, $n$", "每侧的上下文字符数 $n$"),
    "axis.observations_x": ("observations $x_t$", "观测 $x_t$"),
    "word.bidirectional": ("bidirectional", "双向"),
    "word.unidirectional": ("unidirectional", "单向"),
    "word.bi_short": ("bi", "双向"),
    "word.uni_short": ("uni", "单向"),
    "word.left_only": ("left only", "仅左侧"),
    "word.both_sides": ("both sides", "两侧"),
    "word.perplexity": ("perplexity", "困惑度"),
    "word.model": ("model", "模型"),
    "word.text": ("text", "文本"),
    "word.bits": ("bits", "比特"),
    "word.state": ("state", "状态"),
    "word.train": ("train", "训练"),
    # --- d2l_birnn.plotting ----------------------------------------------------------------
    "plot.birnn.inputs": ("inputs", "输入"),
    "plot.birnn.forward": ("forward RNN\n(left to right)", "前向循环神经网络\n（从左到右）"),
    "plot.birnn.backward": ("backward RNN\n(right to left)", "反向循环神经网络\n（从右到左）"),
    "plot.birnn.concat": (r"concatenate $[H^f_t, H^b_t]$", r"连接 $[H^f_t, H^b_t]$"),
    "plot.birnn.outputs": (r"outputs $H_t W_{hq} + b_q$", r"输出 $H_t W_{hq} + b_q$"),
    "plot.birnn.title": ("A bidirectional RNN unrolled over {T} time steps",
                         "在 {T} 个时间步上展开的双向循环神经网络"),
    "plot.dependency.colorbar": (r"$\|\partial o_t / \partial x_s\|$ / max (white: 0)",
                                 r"$\|\partial o_t / \partial x_s\|$ / 最大值（白色：0）"),
    "plot.trellis.forward": (
        r"forward $\pi_t(h) = P(h_t = h \mid x_{<t})$, left of the blank  $\rightarrow$",
        r"前向 $\pi_t(h) = P(h_t = h \mid x_{<t})$，空位左侧  $\rightarrow$"),
    "plot.trellis.backward": (r"$\leftarrow$  backward $\rho_t(h)$ (normalised), right of the blank",
                              r"$\leftarrow$  后向 $\rho_t(h)$（归一化），空位右侧"),
    "plot.trellis.hidden_state": ("hidden state $h$", "隐状态 $h$"),
    "plot.trellis.observations": ("observations $x_t$ (the blank is position {blank})",
                                  "观测 $x_t$（空位在位置 {blank}）"),
    "plot.trellis.true": ("{symbol} (true)", "{symbol}（真实值）"),
    "plot.trellis.probability": ("probability of the blank", "空位上各符号的概率"),
    "plot.trellis.compare": (r"$P(x_j \mid x_{<j})$ vs $P(x_j \mid x_{-j})$",
                             r"$P(x_j \mid x_{<j})$ 与 $P(x_j \mid x_{-j})$"),
    "plot.hmm.observations": ("observations", "观测"),
    "plot.hmm.forward": ("forward messages\n" r"$\pi_{t+1} = f(\pi_t, x_t)$",
                         "前向消息\n" r"$\pi_{t+1} = f(\pi_t, x_t)$"),
    "plot.hmm.backward": ("backward messages\n" r"$\rho_{t-1} = g(\rho_t, x_t)$",
                          "后向消息\n" r"$\rho_{t-1} = g(\rho_t, x_t)$"),
    "plot.hmm.title": ("HMM messages over {T} time steps (dashed: $x_t$ skips its own step)",
                       "隐马尔可夫模型在 {T} 个时间步上的消息（虚线：$x_t$ 跳过它自己的时间步）"),
    "plot.bridge.birnn_title": (
        "Bidirectional RNN: learned $f$ and $g$ (solid: $X_t$ enters its own step)",
        "双向循环神经网络：学习得到的 $f$ 和 $g$（实线：$X_t$ 进入它自己的时间步）"),
    # --- d2l_birnn.training (train_ch8) ----------------------------------------------------
    "train.result": ("perplexity {ppl:.1f}, {speed:.1f} tokens/sec on {device}",
                     "困惑度 {ppl:.1f}, {speed:.1f} 词元/秒 {device}"),
    "train.resume_lr": ("resuming {path} (saved with lr={saved_lr}) with lr={lr}",
                        "从 {path} 继续（保存时 lr={saved_lr}），现在 lr={lr}"),
    "train.resume": ("resuming from {path}: {epochs} epochs done",
                     "从 {path} 继续：已完成 {epochs} 个迭代周期"),
    "train.afresh": ("starting afresh: {path} will be replaced at the first save",
                     "从头开始：第一次保存时将替换 {path}"),
    "train.interrupted": ("interrupted: saved {epochs} completed epochs to {path}; call train_ch8 "
                          "again with checkpoint={path!r} to resume",
                          "已中断：已把完成的 {epochs} 个迭代周期保存到 {path}；再次以 "
                          "checkpoint={path!r} 调用 train_ch8 即可继续"),
    # --- d2l_birnn.pretrained, exercises, runtime (printed lines a reader sees) -------------
    "pretrained.loaded": ("loaded {name!r} (SHA-256 verified): {epochs} epochs of {run}",
                          "已加载 {name!r}（SHA-256 已校验）：{run} 的 {epochs} 个迭代周期"),
    "pretrained.no_history": ("no training history recorded", "没有记录训练历史"),
    "pretrained.quick": ("quick mode: {name!r} is not compared with the shipped 500-epoch model",
                         "快速模式：{name!r} 不与随附的 500 个迭代周期的模型比较"),
    "exercise.right": ("{id}: right.", "{id}：正确。"),
    "exercise.not_yet": ("{id}: not yet. {note}Hint: {hint} (d2l.answer({id!r}) shows the answer.)",
                         "{id}：还不对。{note}提示：{hint}（d2l.answer({id!r}) 会显示答案。）"),
    "runtime.quick_notice": ("quick mode: the numbers below come from a few epochs and small samples "
                             "and will differ from the text, which quotes the committed full-mode run",
                             "快速模式：下面的数字来自少量迭代周期和小样本，与正文不同；正文引用的是"
                             "已提交的完整模式运行的结果"),
    "runtime.full_mode_value": (" (full mode: {value})", "（完整模式：{value}）"),
    "runtime.mode.quick": ("quick", "快速"),
    "runtime.mode.full": ("full", "完整"),
    # --- benchmarks/bench_training.py (benchmark table header) -----------------------------
    "bench.model": ("model", "模型"),
    "bench.loop": ("loop", "训练循环"),
    "bench.threads": ("threads", "线程数"),
    "bench.tokens_per_sec": ("tokens/s", "词元/秒"),
    "bench.speedup": ("speed-up", "加速比"),
    "bench.peak_fraction": ("% peak", "峰值%"),
    "bench.peak_mib": ("peak MiB", "峰值 MiB"),
    # --- notebook 01: why the future matters -----------------------------------------------
    "nb01.col.left_acc": ("left-only accuracy", "仅左侧精度"),
    "nb01.col.two_acc": ("two-sided accuracy", "两侧精度"),
    "nb01.col.left_bits": ("left-only bits", "仅左侧比特"),
    "nb01.col.two_bits": ("two-sided bits", "两侧比特"),
    "nb01.col.left_plugin_bits": ("left-only plug-in bits", "仅左侧代入估计比特"),
    "nb01.col.two_plugin_bits": ("two-sided plug-in bits", "两侧代入估计比特"),
    "nb01.fill.left_label": ("left only: $n$ characters", "仅左侧：$n$ 个字符"),
    "nb01.fill.two_label": ("two-sided: $n$ + $n$ characters", "两侧：$n$ + $n$ 个字符"),
    "nb01.fill.title": ("Filling a hidden character", "填补一个被隐藏的字符"),
    "nb01.bits.left_heldout": ("left only, held out", "仅左侧，留出文本"),
    "nb01.bits.two_heldout": ("two-sided, held out", "两侧，留出文本"),
    "nb01.bits.left_plugin": ("left only, plug-in (training counts)", "仅左侧，代入估计（训练计数）"),
    "nb01.bits.two_plugin": ("two-sided, plug-in (training counts)", "两侧，代入估计（训练计数）"),
    "nb01.bits.ylabel": ("bits per hidden character", "每个被隐藏字符的比特数"),
    "nb01.bits.title": ("Conditional entropy (held-out cross-entropy)",
                        "条件熵（留出文本上的交叉熵）"),
    # --- notebook 02: HMM forward-backward -------------------------------------------------
    "nb02.sample.hidden_state": ("hidden state $h_t$", "隐状态 $h_t$"),
    "nb02.sample.title": ("A sample: hidden states (grey) and the symbols they emit (red)",
                          "一个样本：隐状态（灰色）及其发射的符号（红色）"),
    "nb02.brute.brute_label": ("brute force ($k^T$ paths)", "穷举（$k^T$ 条路径）"),
    "nb02.brute.forward_label": ("forward recursion ($O(k^2T)$)", "前向递归（$O(k^2T)$）"),
    "nb02.brute.ylabel": ("seconds (best of 3)", "秒（3 次中最快的一次）"),
    "nb02.brute.title": ("Summing over all hidden paths, $k = 3$", "对所有隐状态路径求和，$k = 3$"),
    "nb02.underflow.scaled": (r"scaled: $\log P(x_1..x_{t-1})$ from log_scale",
                              r"缩放后：由 log_scale 得到的 $\log P(x_1..x_{t-1})$"),
    "nb02.underflow.scratch": (r"from scratch: $\log \sum_h \pi_t(h)$",
                               r"从零实现：$\log \sum_h \pi_t(h)$"),
    "nb02.underflow.tiny": ("smallest normal double", "最小的正规双精度浮点数"),
    "nb02.underflow.ylabel": ("natural log", "自然对数"),
    "nb02.underflow.title": ("Forward messages shrink geometrically", "前向消息按几何级数缩小"),
    "nb02.posterior.forward": (r"forward $\hat\pi_t = P(h_t \mid x_{<t})$",
                               r"前向 $\hat\pi_t = P(h_t \mid x_{<t})$"),
    "nb02.posterior.backward": (r"backward $\hat\rho_t$ (normalised)", r"后向 $\hat\rho_t$（归一化）"),
    "nb02.posterior.posterior": (r"posterior $P(h_t \mid x)$, dots: true $h_t$",
                                 r"后验 $P(h_t \mid x)$，圆点：真实的 $h_t$"),
    "nb02.em.xlabel": ("EM iteration", "EM 迭代次数"),
    "nb02.em.ylabel": ("log-likelihood per character (nats)", "每个字符的对数似然（奈特）"),
    "nb02.em.title": ("Baum-Welch on The Time Machine, k = {k}", "在时光机器上运行 Baum-Welch，k = {k}"),
    "nb02.fill.unigram": ("unigram (no context)", "一元语法（无上下文）"),
    "nb02.fill.left": ("left only  P(x_j | x_<j)", "仅左侧  P(x_j | x_<j)"),
    "nb02.fill.both": ("both sides P(x_j | x_-j)", "两侧    P(x_j | x_-j)"),
    "nb02.fill.bits": ("bits per character", "每个字符的比特数"),
    # --- notebook 03: a BiRNN from scratch -------------------------------------------------
    "nb03.model.unidirectional_left": ("unidirectional (left half)", "单向（左半部分）"),
    "nb03.train.most_frequent": ("most frequent character", "最常见的字符"),
    "nb03.train.sgd_step": ("SGD step", "SGD 步数"),
    "nb03.train.loss_ylabel": ("training cross-entropy", "训练交叉熵"),
    "nb03.train.loss_title": ("Training loss (running mean over {window} steps)",
                              "训练损失（{window} 步的滑动平均）"),
    "nb03.train.acc_title": ("Held-out accuracy: the middle character", "留出文本上的精度：中间字符"),
    "nb03.use.xlabel": ("position of the context character relative to the blank",
                        "上下文字符相对于空位的位置"),
    "nb03.use.ylabel": (r"$\|\partial \mathbf{o}_k / \partial \mathbf{x}_s\|$ / max",
                        r"$\|\partial \mathbf{o}_k / \partial \mathbf{x}_s\|$ / 最大值"),
    "nb03.diff.outputs": ("outputs", "输出"),
    "nb03.diff.final_states": ("final states", "最终状态"),
    "nb03.diff.gradients": ("gradients", "梯度"),
    "nb03.use.title": ("What the trained models look at to fill in the blank",
                       "训练好的模型填空时看哪些位置"),
    # --- notebook 04: the notes' BiLSTM ----------------------------------------------------
    "nb04.model.bilstm_notes": ("BiLSTM, lr 1 (the notes)", "BiLSTM，学习率 1（笔记）"),
    "nb04.model.lstm_lr1": ("LSTM, lr 1", "LSTM，学习率 1"),
    "nb04.model.lstm_lr2": ("LSTM, lr 2 (d2l deep RNN)", "LSTM，学习率 2（d2l 深度循环神经网络）"),
    "nb04.ppl.ylabel": ("training perplexity", "训练困惑度"),
    "nb04.ppl.title": ("Training perplexity, 10,000 characters of The Time Machine",
                       "训练困惑度，时光机器的前 10,000 个字符"),
    "nb04.col.final_ppl": ("final perplexity", "最终困惑度"),
    "nb04.col.predict_tt": ("predict('time traveller')", "predict('time traveller')"),
    "nb04.col.predict_t": ("predict('traveller')", "predict('traveller')"),
    "nb04.col.acc_future": ("(a) accuracy, future in window", "(a) 精度，窗口内有未来"),
    "nb04.col.ppl_future": ("(a) perplexity", "(a) 困惑度"),
    "nb04.col.acc_past": ("(b) accuracy, past only", "(b) 精度，只有过去"),
    "nb04.col.ppl_past": ("(b) perplexity", "(b) 困惑度"),
    "nb04.acc.title": ("Next-character accuracy on held-out text", "留出文本上预测下一个字符的精度"),
    "nb04.show.context": ("context          :", "上下文          ："),
    "nb04.show.target": ("target (next)    :", "目标（下一个）  ："),
    "nb04.show.with_future": ("with the future  :", "有未来          ："),
    "nb04.show.past_only": ("past only        :", "只有过去        ："),
    "nb04.text.reference": ("real held-out text (reference)", "真实的留出文本（参照）"),
    "nb04.col.first_60": ("first 60 characters", "前 60 个字符"),
    "nb04.col.distinct_bigrams": ("distinct bigrams", "不同二元语法的比例"),
    "nb04.col.top_bigram": ("most common bigram", "最常见的二元语法"),
    "nb04.col.top_share": ("its share", "其占比"),
    "nb04.col.ppl_lstm2": ("perplexity under LSTM lr 2", "LSTM（学习率 2）下的困惑度"),
    "nb04.col.tokens_per_s": ("tokens/s", "词元/秒"),
    "nb04.col.s_per_epoch": ("s/epoch", "秒/迭代周期"),
    "nb04.col.peak_mib": ("peak memory (MiB)", "峰值内存（MiB）"),
    "nb04.row.bilstm": ("BiLSTM (2 x 256, bidirectional)", "BiLSTM（2 x 256，双向）"),
    "nb04.row.lstm": ("LSTM (2 x 256)", "LSTM（2 x 256）"),
    "nb04.row.ratio": ("ratio BiLSTM / LSTM", "比值 BiLSTM / LSTM"),
    # --- notebook 05: cost and applications ------------------------------------------------
    "nb05.chain.uni1": ("unidirectional, 1 layer", "单向，1 层"),
    "nb05.chain.uni2": ("unidirectional, 2 layers", "单向，2 层"),
    "nb05.chain.bi1": ("bidirectional, 1 layer", "双向，1 层"),
    "nb05.chain.bi2": ("bidirectional, 2 layers", "双向，2 层"),
    "nb05.chain.first_output": ("first output", "第一个输出"),
    "nb05.chain.loss_to_x1": ("loss 1 to x_1", "损失 1 到 x_1"),
    "nb05.chain.longest": ("longest chain", "最长链"),
    "nb05.chain.pairs": ("dependent pairs", "依赖对数"),
    "nb05.chain.header": ("sequential cell evaluations, T = {T}", "依次计算的循环单元次数，T = {T}"),
    "nb05.chain.colorbar": ("longest chain $X_s$ to $O_t$ (white: none)",
                            "从 $X_s$ 到 $O_t$ 的最长链（白色：无）"),
    "nb05.time.legend": ("{cell}, {direction}", "{cell}，{direction}"),
    "nb05.time.ylabel": ("ms per forward + backward pass", "每次前向 + 反向传播的毫秒数"),
    "nb05.time.title_T": ("Growing $T$ ($h$ = {h})", "增大 $T$（$h$ = {h}）"),
    "nb05.time.title_h": ("Growing $h$ ($T$ = {T})", "增大 $h$（$T$ = {T}）"),
    "nb05.memory.uni": ("uni (MiB added)", "单向（新增 MiB）"),
    "nb05.memory.bi": ("bi (MiB added)", "双向（新增 MiB）"),
    "nb05.memory.ylabel": ("peak memory above MXNet alone (MiB)", "超出 MXNet 本身的峰值内存（MiB）"),
    "nb05.memory.title": ("LSTM, $h$ = {h}, batch 32: one forward + backward pass",
                          "LSTM，$h$ = {h}，批量大小 32：一次前向 + 反向传播"),
    "nb05.fill.bi_lstm": ("bidirectional LSTM", "双向 LSTM"),
    "nb05.fill.uni_lstm": ("unidirectional LSTM", "单向 LSTM"),
    "nb05.fill.left_counts": ("left-only counts", "仅左侧计数"),
    "nb05.fill.two_counts": ("two-sided counts", "两侧计数"),
    "nb05.fill.acc_pct": ("accuracy (%)", "精度（%）"),
    "nb05.fill.title": ("Filling a hidden character ({width} characters visible on each side)",
                        "填补一个被隐藏的字符（每侧可见 {width} 个字符）"),
    "nb05.probe.bi": (r"bidirectional: $[\overrightarrow{H}_T, \overleftarrow{H}_1]$",
                      r"双向：$[\overrightarrow{H}_T, \overleftarrow{H}_1]$"),
    "nb05.probe.uni": (r"unidirectional: $\overrightarrow{H}_T$", r"单向：$\overrightarrow{H}_T$"),
    "nb05.probe.space": ("always the space", "总是猜空格"),
    "nb05.probe.xlabel": ("position $k$ in the passage", "段落中的位置 $k$"),
    "nb05.probe.title": ("Reading character $k$ back from the final states", "从最终状态读回字符 $k$"),
    "nb05.claims.claim": ("claim of the notes", "笔记的论断"),
    "nb05.claims.where": ("where it is shown", "在哪里得到验证"),
}


def language() -> str:
    """The language chosen by ``$D2L_BIRNN_LANG`` (read on every call): ``'en'`` or ``'zh'``."""
    value = os.environ.get(LANG_ENV, "").strip() or DEFAULT_LANGUAGE
    lang = value.lower().replace("_", "-")
    lang = {"zh-cn": "zh", "zh-hans": "zh", "en-us": "en", "en-gb": "en"}.get(lang, lang)
    if lang not in LANGUAGES:
        raise ValueError(f"{LANG_ENV}={value!r} is not a language of this collection; choose one of "
                         f"{', '.join(LANGUAGES)} (e.g. {LANG_ENV}=zh for the Chinese edition)")
    return lang


def set_language(lang: str) -> str:
    """Choose the language for this process (and its children): sets ``$D2L_BIRNN_LANG``."""
    previous = os.environ.get(LANG_ENV)
    os.environ[LANG_ENV] = lang
    try:
        lang = language()
    except ValueError:
        if previous is None:
            del os.environ[LANG_ENV]
        else:
            os.environ[LANG_ENV] = previous
        raise
    if lang == "zh":
        _ensure_font()
    return lang


def _ensure_font() -> None:
    from . import fonts

    fonts.use_cjk_font()


def fields(template: str) -> set[str]:
    """The names of the format fields of ``template`` (``{T}``, ``{ppl:.1f}`` -> ``{'T', 'ppl'}``).

    Only identifiers count, so LaTeX groups such as ``x_{<t}`` are not fields
    (``W_{hq}`` would be: the catalogue keeps its LaTeX out of templates that take arguments).
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:   # a lone brace: not a template
        return set()
    names = {name.split(".")[0].split("[")[0] for _, name, _, _ in parsed if name}
    return {n for n in names if n.isidentifier()}


def msg(key: str, *args, lang: str | None = None, **kwargs) -> str:
    """The text of catalogue entry ``key`` in the current language, formatted with the arguments.

    ``msg("plot.birnn.title", T=4)`` -> ``'A bidirectional RNN unrolled over 4 time steps'``
    (``'在 4 个时间步上展开的双向循环神经网络'`` with ``D2L_BIRNN_LANG=zh``).
    In Chinese this also makes sure a CJK font is first in matplotlib's list.
    """
    if key not in CATALOGUE:
        close = difflib.get_close_matches(key, CATALOGUE, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; add it to d2l_birnn/i18n.py"
        raise KeyError(f"no message {key!r} in the catalogue{hint}")
    lang = language() if lang is None else lang
    if lang not in LANGUAGES:
        raise ValueError(f"lang={lang!r}: choose one of {', '.join(LANGUAGES)}")
    if lang == "zh":
        _ensure_font()
    template = CATALOGUE[key][LANGUAGES.index(lang)]
    if not args and not kwargs:
        return template
    try:
        return template.format(*args, **kwargs)
    except (KeyError, IndexError, ValueError) as e:
        raise KeyError(f"message {key!r} needs the arguments {sorted(fields(template))}; "
                       f"missing {e}") from None


def _english_to_current() -> dict[str, str]:
    """English text -> current-language text, for every catalogue entry."""
    index = LANGUAGES.index(language())
    return {entry[0]: entry[index] for entry in CATALOGUE.values()}


def localize(obj):
    """Translate labels that are English catalogue texts into the current language.

    ``obj``: a str (returned translated, or unchanged if it is not in the
    catalogue); a list/tuple of them; or a pandas ``DataFrame``/``Series``,
    returned as a copy whose column and index labels (and their names) are
    translated. Code keeps indexing with the English labels; only what is
    shown changes, e.g. ``display(localize(table))``. In Chinese it also turns
    on pandas' East Asian width option, so ``print(table.to_string())`` lines up.
    """
    table = _english_to_current()
    if language() == "zh":
        _ensure_font()

    def one(label):
        return table.get(label, label) if isinstance(label, str) else label

    if isinstance(obj, str):
        return one(obj)
    if isinstance(obj, (list, tuple)):
        return type(obj)(one(x) for x in obj)
    if hasattr(obj, "rename") and hasattr(obj, "index"):    # a pandas DataFrame or Series
        if language() == "zh":   # Chinese characters are two columns wide in to_string()
            import pandas as pd

            pd.set_option("display.unicode.east_asian_width", True)
        out = obj.rename(index=one)
        if hasattr(out, "columns"):
            out = out.rename(columns=one)
            out.columns = out.columns.rename(_names(out.columns, one))
        out.index = out.index.rename(_names(out.index, one))
        return out
    raise TypeError(f"localize() takes a str, a list/tuple of str or a pandas object, "
                    f"not {type(obj).__name__}")


def _names(index, one):
    names = [one(n) for n in index.names]
    return names if len(names) > 1 else names[0]
