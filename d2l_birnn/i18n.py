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
    "train.result": ("perplexity {ppl:.1f}, {speed:.1f} tokens/sec on {device} (last epoch)",
                     "困惑度 {ppl:.1f}, {speed:.1f} 词元/秒 {device}（最后一个迭代周期）"),
    "train.result_mean": ("perplexity {ppl:.1f}, {speed:.1f} tokens/sec on {device} "
                          "(mean of {epochs} epochs)",
                          "困惑度 {ppl:.1f}, {speed:.1f} 词元/秒 {device}（{epochs} 个迭代周期的平均值）"),
    "train.history": ("TrainingHistory({epochs} epochs, perplexity {first:.1f} -> {last:.2f}, "
                      "{speed:,.0f} tokens/sec (mean of {timed} epochs) on {device}, {mode} loop)",
                      "TrainingHistory（{epochs} 个迭代周期，困惑度 {first:.1f} -> {last:.2f}，"
                      "{speed:,.0f} 词元/秒（{timed} 个迭代周期的平均值），{device}，{mode} 循环）"),
    "train.history_empty": ("TrainingHistory(no epochs)", "TrainingHistory（没有迭代周期）"),
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
    "pretrained.loaded": ("loaded {name!r} (SHA-256 verified), saved {saved} after {epochs} epochs "
                          "by the run: {run}",
                          "已加载 {name!r}（SHA-256 已校验），保存于 {saved}，训练了 {epochs} 个迭代周期，"
                          "运行：{run}"),
    "pretrained.no_history": ("no training history recorded", "没有记录训练历史"),
    "pretrained.quick": ("quick mode: {name!r} is not compared with the shipped 500-epoch model",
                         "快速模式：{name!r} 不与随附的 500 个迭代周期的模型比较"),
    "fill_in.line": ("fill-in, held-out text: {model}: both sides {both}, left only {left}; "
                     "context {context}; size {size}",
                     "填空，留出文本：{model}：两侧 {both}，仅左侧 {left}；上下文 {context}；规模 {size}"),
    "fill_in.acc": ("{acc:.1f}%", "{acc:.1f}%"),
    "fill_in.acc_one_run": ("{acc:.1f}% (one run)", "{acc:.1f}%（一次运行）"),
    "fill_in.acc_seeds": ("{acc:.1f}% ({n} seeds: {low:.1f}-{high:.1f}%)",
                          "{acc:.1f}%（{n} 个种子：{low:.1f}–{high:.1f}%）"),
    "fill_in.context": ("{both} vs {left}", "{both} 对 {left}"),
    "fill_in.context.both": ("{n}+{n} characters", "{n}+{n} 个字符"),
    "fill_in.context.left": ("{n} characters", "{n} 个字符"),
    "fill_in.context.all_both": ("the whole text", "整段文本"),
    "fill_in.context.all_left": ("all text before", "前面的全部文本"),
    "fill_in.size.parameters": ("{both:,} vs {left:,} parameters", "{both:,} 对 {left:,} 个参数"),
    "fill_in.size.counts": ("{both:,} vs {left:,} stored counts", "{both:,} 对 {left:,} 个存储的计数"),
    "pretrained.compare": ("this run vs the shipped {name!r} ({saved}): perplexity on the training "
                           "corpus {mine:.4f} vs {theirs:.4f} (difference {diff:+.4f}); greedy "
                           "predictions {verdict}",
                           "本次运行与随附的 {name!r}（{saved}）比较：训练语料上的困惑度 {mine:.4f} 对 "
                           "{theirs:.4f}（差 {diff:+.4f}）；贪心预测{verdict}"),
    "pretrained.equal": ("equal", "相同"),
    "pretrained.different": ("different for {prefixes}", "对 {prefixes} 不同"),
    "pretrained.not_compared": ("not compared with a shipped {name!r}: {error}",
                                "未与随附的 {name!r} 比较：{error}"),
    "pretrained.other_corpus": ("not compared with the shipped {name!r}: it was measured on another "
                                "training corpus",
                                "未与随附的 {name!r} 比较：它是在另一份训练语料上测量的"),
    "pretrained.saved": ("saved {name!r} ({mib:.1f} MiB, SHA-256 {sha}...): perplexity on the "
                         "training corpus {ppl:.4f}",
                         "已保存 {name!r}（{mib:.1f} MiB，SHA-256 {sha}...）：训练语料上的困惑度 {ppl:.4f}"),
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
    # --- notebook 00: start here ---------------------------------------------------------
    "nb00.corpus_size": ("{chars} characters, {tokens} tokens", "{chars} 个字符，{tokens} 个词元"),
    "nb00.epochs": ("in this mode, notebook 04 trains the notes' BiLSTM for {epochs} epochs",
                    "在此模式下，笔记本 04 把笔记中的 BiLSTM 训练 {epochs} 个迭代周期"),
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
    "nb01.guess.word_blank": ("{sentence} (word blank)", "{sentence}（填一个词）"),
    "nb01.guess.char_blank": ("{sentence} (char blank)", "{sentence}（填一个字符）"),
    "nb01.guess.left": ("left-only", "仅左侧"),
    "nb01.guess.two": ("two-sided", "两侧"),
    "nb01.data.split": ("{total:,} characters: {train:,} counted, {test:,} held out",
                        "{total:,} 个字符：{train:,} 个用于计数，{test:,} 个留出"),
    "nb01.data.split_check": ("split is first 90% / last 10%: {ok}", "划分为前 90% / 后 10%：{ok}"),
    "nb01.data.tokens": ("{n} tokens: {tokens}", "{n} 个词元：{tokens}"),
    "nb01.fill.scored": ("{n:,} blanks scored in {seconds:.1f} s", "{n:,} 个空位，打分用时 {seconds:.1f} 秒"),
    "nb01.fill.best": ("best {side}: {acc:.1%} at n={n}, {bits:.2f} bits",
                       "{side}最佳：n={n} 时精度 {acc:.1%}，{bits:.2f} 比特"),
    "nb01.fill.fewest_bits": ("fewest bits: left-only {left:.2f} at n={n_left}; "
                              "two-sided {two:.2f} at n={n_two}",
                              "比特数最少：仅左侧 n={n_left} 时 {left:.2f}；两侧 n={n_two} 时 {two:.2f}"),
    "nb01.fill.line_model": ("counts with Witten-Bell backoff", "计数，Witten-Bell 回退"),
    "nb01.fill.same_context": ("same number of context characters (4): left-only n=4 {left:.1%} vs "
                               "two-sided n=2 {two:.1%}, {gap:.1f} points more",
                               "上下文字符数相同（4 个）：仅左侧 n=4 时 {left:.1%}，两侧 n=2 时 {two:.1%}，"
                               "高 {gap:.1f} 个百分点"),
    "nb01.words.summary": ("{types:,} word types in {train:,} training words; {blanks:,} held-out blanks, "
                           "{unk:.1%} of them words never seen in training",
                           "{train:,} 个训练词中有 {types:,} 个不同的词；{blanks:,} 个留出空位，其中 "
                           "{unk:.1%} 是训练中从未出现的词"),
    "nb01.widget.sentence": ("sentence", "句子"),
    "nb01.widget.guesses": ("guesses", "猜测数"),
    "nb01.ner.row": ("{sentence:<24} label {label:<3}  left {left:<10} right {right}",
                     "{sentence:<24} 标签 {label:<3}  左侧 {left:<10} 右侧 {right}"),
    "nb01.ner.nothing": ("(nothing)", "（无）"),
    "nb01.ner.clashes": ("left contexts that must carry more than one label:",
                         "必须对应不止一个标签的左侧上下文："),
    "nb01.ner.best": ("best a left-only tagger can do on these three: {acc:.0%}; "
                      "with the right context: 100%",
                      "仅看左侧的标注器在这三句上最多做对 {acc:.0%}；加上右侧上下文：100%"),
    "nb01.green.next": ('"green" occurs {n} times; the next word:', '“green”出现 {n} 次；其后的词：'),
    "nb01.ex2.line": ("{left} left + {right} right: {acc:.1%} held-out accuracy",
                      "左侧 {left} 个 + 右侧 {right} 个：留出文本上的精度 {acc:.1%}"),
    "nb01.ran_in": ("notebook ran in {seconds:.0f} s ({mode} mode)",
                    "本笔记本运行了 {seconds:.0f} 秒（{mode}模式）"),
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
    "nb02.em.title": ("Baum-Welch on The Time Machine, k = {k}", "在《时光机器》上运行 Baum-Welch，k = {k}"),
    "nb02.fill.unigram": ("unigram (no context)", "一元语法（无上下文）"),
    "nb02.fill.left": ("left only  P(x_j | x_<j)", "仅左侧  P(x_j | x_<j)"),
    "nb02.fill.both": ("both sides P(x_j | x_-j)", "两侧    P(x_j | x_-j)"),
    "nb02.fill.bits": ("bits per character", "每个字符的比特数"),
    "nb02.fill.count": ("{n:,} held-out characters, each blanked on its own",
                        "{n:,} 个留出字符，每次单独挖空其中一个"),
    "nb02.fill.line_model": ("HMM, k={k} states, fitted by EM", "隐马尔可夫模型，k={k} 个状态，EM 拟合"),
    "nb02.fill.both_accuracy": ("accuracy from both sides", "两侧上下文的精度"),
    "nb02.trellis.blank": ("blank", "空位"),
    "nb02.trellis.no_widgets": ("ipywidgets is not installed: the static figure above is the explorer "
                                "(pip install ipywidgets for sliders)",
                                "没有安装 ipywidgets：上面的静态图就是探索工具"
                                "（pip install ipywidgets 后可以使用滑块）"),
    "nb02.exercise.not_yet": ("exercise {n}: not yet: write {name} (the answer is in the box above)",
                              "练习 {n}：还没有完成：请写出 {name}（答案在上面的折叠框中）"),
    "nb02.exercise.rho_match": ("rho_1, rho_2, rho_3 match HMM.backward: {ok}",
                                "rho_1、rho_2、rho_3 与 HMM.backward 一致：{ok}"),
    "nb02.exercise.p_match": ("P(x) matches brute force: {ok}", "P(x) 与穷举的结果一致：{ok}"),
    "nb02.exercise.pair_match": ("matches brute force: {ok}", "与穷举的结果一致：{ok}"),
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
    "nb03.use.ylabel": (r"$\|\partial \mathbf{o}_{k+1} / \partial \mathbf{x}_s\|$ / max",
                        r"$\|\partial \mathbf{o}_{k+1} / \partial \mathbf{x}_s\|$ / 最大值"),
    "nb03.diff.outputs": ("outputs", "输出"),
    "nb03.diff.final_states": ("final states", "最终状态"),
    "nb03.diff.gradients": ("gradients", "梯度"),
    "nb03.use.title": ("What the trained models look at to fill in the blank",
                       "训练好的模型填空时看哪些位置"),
    "nb03.map.uni": ("unidirectional RNN", "单向循环神经网络"),
    "nb03.map.bi": ("bidirectional RNN", "双向循环神经网络"),
    "nb03.diff.largest": ("largest of all: outputs and final states {states:.1e}, "
                          "weight gradients {grads:.1e}",
                          "所有情况中的最大值：输出和最终状态 {states:.1e}，权重梯度 {grads:.1e}"),
    "nb03.task.vocab": ("vocabulary: {V} tokens {tokens}", "词表：{V} 个词元 {tokens}"),
    "nb03.task.split": ("training text: the first {train_share:.0%} of the book ({train:,} characters) | "
                        "held-out text: the last {test_share:.0%} ({test:,} characters)",
                        "训练文本：全书的前 {train_share:.0%}（{train:,} 个字符）| "
                        "留出文本：最后 {test_share:.0%}（{test:,} 个字符）"),
    "nb03.task.shapes": ("inputs {X} = (T, n, V) | labels {y}", "输入 {X} = (T, n, V) | 标签 {y}"),
    "nb03.train.blanks": ("held-out blanks scored: {n:,}", "评分所用的留出文本空位数：{n:,}"),
    "nb03.train.result": ("seed {seed}, {name}: {h} hidden units, {params:,} parameters, {steps} steps in "
                          "{seconds:.0f} s, held-out accuracy {acc:.1%}",
                          "种子 {seed}，{name}：{h} 个隐藏单元，{params:,} 个参数，{steps} 步，用时 "
                          "{seconds:.0f} 秒，留出文本上的精度 {acc:.1%}"),
    "nb03.train.spread": ("{name}: held-out accuracy {acc}", "{name}：留出文本上的精度 {acc}"),
    "nb03.fill.line_model": ("tanh RNNs, one layer", "tanh 循环神经网络，单层"),
    "nb03.train.baseline": ("always guessing the most frequent character {char!r}: {acc:.3f}",
                            "总是猜最常见的字符 {char!r}：{acc:.3f}"),
    "nb03.train.uniform": ("uniform guessing over the V = {V} tokens: cross-entropy log V = {uniform:.2f}",
                           "在 V = {V} 个词元上均匀猜测：交叉熵 log V = {uniform:.2f}"),
    "nb03.train.loss_line": ("{name}: training cross-entropy at step 1 {first:.2f}; running mean over "
                             "the first {window} steps {start:.2f}, over the last {window} steps {end:.2f}",
                             "{name}：第 1 步的训练交叉熵 {first:.2f}；前 {window} 步的滑动平均 "
                             "{start:.2f}，最后 {window} 步的滑动平均 {end:.2f}"),
    "nb03.use.blanks": ("row k + 1 of J (the blank), averaged over {n} blanks spread over the held-out text",
                        "J 的第 k + 1 行（空位），在留出文本中均匀分布的 {n} 个空位上取平均"),
    # --- notebook 04: the notes' BiLSTM ----------------------------------------------------
    "nb04.model.bilstm_notes": ("BiLSTM, lr 1 (the notes)", "BiLSTM，学习率 1（笔记）"),
    "nb04.model.lstm_lr1": ("LSTM, lr 1", "LSTM，学习率 1"),
    "nb04.model.lstm_lr2": ("LSTM, lr 2 (d2l deep RNN)", "LSTM，学习率 2（d2l 深度循环神经网络）"),
    "nb04.ppl.ylabel": ("training perplexity", "训练困惑度"),
    "nb04.ppl.title": ("Training perplexity, 10,000 characters of The Time Machine",
                       "训练困惑度，《时光机器》的前 10,000 个字符"),
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
    "nb04.col.mean_tokens_per_s": ("mean tokens/s", "平均词元/秒"),
    "nb04.col.mean_s_per_epoch": ("mean s/epoch", "平均秒/迭代周期"),
    "nb04.col.peak_mib": ("peak memory (MiB)", "峰值内存（MiB）"),
    "nb04.row.bilstm": ("BiLSTM (2 x 256, bidirectional)", "BiLSTM（2 x 256，双向）"),
    "nb04.row.lstm": ("LSTM (2 x 256)", "LSTM（2 x 256）"),
    "nb04.row.ratio": ("ratio BiLSTM / LSTM", "比值 BiLSTM / LSTM"),
    "nb04.data.vocab": ("vocab: {n} tokens, first five: {first}", "词表：{n} 个词元，前五个：{first}"),
    "nb04.data.corpus": ("training corpus: {n} characters", "训练语料：{n} 个字符"),
    "nb04.data.shapes": ("X {x} Y {y} | Y is X shifted by one: {shifted}",
                         "X {x} Y {y} | Y 是 X 错开一个位置的结果：{shifted}"),
    "nb04.data.split": ("training text: the first {train} characters of the book | held-out text: "
                        "the last 10% of the book, {held} characters",
                        "训练文本：全书的前 {train} 个字符 | 留出文本：全书的最后 10%，共 {held} 个字符"),
    "nb04.data.is_start": ("the training corpus is the start of the book: {ok}",
                           "训练语料就是全书的开头：{ok}"),
    "nb04.result.bilstm": ("the notes' BiLSTM: training perplexity {ppl} after {epochs} epochs; "
                           "mean speed over those epochs {speed:,.0f} tokens/sec",
                           "笔记中的 BiLSTM：{epochs} 个迭代周期后的训练困惑度为 {ppl}；"
                           "这些迭代周期的平均速度为 {speed:,.0f} 词元/秒"),
    "nb04.col.parameters": ("parameters", "参数个数"),
    "nb04.result.evidence": ("the notes' BiLSTM on held-out text: next-character accuracy {future} "
                             "with the future in the window, {past} with the past only",
                             "笔记中的 BiLSTM 在留出文本上预测下一个字符的精度：窗口内有未来时为 "
                             "{future}，只有过去时为 {past}"),
    "nb04.cost.flops": ("FLOPs per training token: BiLSTM {bi:.2f} M, LSTM {uni:.2f} M, ratio {ratio:.2f}",
                        "每个训练词元的浮点运算数：BiLSTM {bi:.2f} M，LSTM {uni:.2f} M，比值 {ratio:.2f}"),
    "nb04.cost.layer2": ("{name}: layer 2 input weights {shapes}", "{name}：第 2 层的输入权重 {shapes}"),
    "nb04.cost.total": ("{device}; training took {bi:.1f} min for the BiLSTM's {epochs} epochs and "
                        "{uni:.1f} min for the LSTM's; a process that only imports MXNet peaks at "
                        "{base:.0f} MiB",
                        "{device}；BiLSTM 训练 {epochs} 个迭代周期用了 {bi:.1f} 分钟，LSTM 用了 "
                        "{uni:.1f} 分钟；只导入 MXNet 的进程的峰值内存为 {base:.0f} MiB"),
    "nb04.ran_in": ("This notebook ran in {minutes:.1f} min ({mode} mode).",
                    "本笔记本运行了 {minutes:.1f} 分钟（{mode}模式）。"),
    "nb04.quick.shipped": ("quick mode: from here on the notebook measures the three models shipped with "
                           "the package (500 epochs each), not the few-epoch models trained above",
                           "快速模式：从这里起，本笔记本测量随软件包提供的三个模型（各训练 500 个迭代周期），"
                           "而不是上面只训练了几个迭代周期的模型"),
    "nb04.pos.carried": ("BiLSTM, state carried as in training", "BiLSTM，像训练时那样传递状态"),
    "nb04.pos.fresh": ("BiLSTM, zero state in every window", "BiLSTM，每个窗口都从零状态开始"),
    "nb04.pos.uni": ("LSTM, lr 1, state carried", "LSTM，学习率为 1，传递状态"),
    "nb04.pos.xlabel": ("position in the 35-character training window", "35 个字符的训练窗口中的位置"),
    "nb04.pos.acc": ("accuracy", "精度"),
    "nb04.pos.loss": ("cross-entropy (nats)", "交叉熵（奈特）"),
    "nb04.pos.title": ("Next-character prediction at each position of the training windows",
                       "训练窗口中每个位置上预测下一个字符"),
    "nb04.pos.result": ("{name}: accuracy at positions 1-34 between {low:.3f} and {high:.3f}, at position "
                        "35 {last:.3f}; loss at position 35 {loss35:.2f} nats, {share:.0%} of the window's "
                        "loss; exp(mean loss) {ppl:.2f}",
                        "{name}：位置 1-34 的精度在 {low:.3f} 与 {high:.3f} 之间，位置 35 为 {last:.3f}；"
                        "位置 35 的损失为 {loss35:.2f} 奈特，占整个窗口损失的 {share:.0%}；"
                        "exp(平均损失) 为 {ppl:.2f}"),
    "nb04.jac.forward": ("forward", "前向"),
    "nb04.jac.backward": ("backward", "反向"),
    "nb04.jac.map": ("layer {layer}, {direction}", "第 {layer} 层，{direction}"),
    "nb04.jac.colorbar": ("||d h_t / d x_s|| / largest of its map (white: 0)",
                          "||d h_t / d x_s|| / 该图中的最大值（白色：0）"),
    "nb04.jac.result": ("layer {layer}, {direction}: ||d h_t / d x_(t+1)|| mean {next:.3g}, largest "
                        "{top:.3g} (||d h_t / d x_t|| mean {same:.3g})",
                        "第 {layer} 层，{direction}：||d h_t / d x_(t+1)|| 平均 {next:.3g}，最大 "
                        "{top:.3g}（||d h_t / d x_t|| 平均 {same:.3g}）"),
    "nb04.gen.carried": ("backward state carried (predict_ch8)", "传递反向状态（predict_ch8）"),
    "nb04.gen.reset": ("backward state reset to zero", "反向状态每步清零"),
    "nb04.text.bilstm_reset": ("BiLSTM, backward state reset", "BiLSTM，反向状态清零"),
    "nb04.judge.heldout": ("judge: counts of the {n} characters before each character, fitted on the "
                           "first 90% of the book | perplexity on the held-out text {judge:.2f} "
                           "(character frequencies alone: {unigram:.2f})",
                           "评判者：统计每个字符之前 {n} 个字符的计数模型，在全书前 90% 上拟合 | "
                           "在留出文本上的困惑度 {judge:.2f}（只用字符频率：{unigram:.2f}）"),
    "nb04.col.ppl_judge": ("perplexity under the count judge", "计数评判者下的困惑度"),
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
    "nb05.claims.claim": ("claim of the notes' summary (translated)",
                          "笔记【总结】中的论断（原文）"),
    "nb05.claims.where": ("where it is shown", "在哪里得到验证"),
    "nb05.time.count": ("{n} timings, batch 32, best of {repeats} runs each",
                        "共 {n} 次计时，小批量大小 32，每次取 {repeats} 次运行中最快的一次"),
    "nb05.time.ratio": ("bidirectional / unidirectional time: median {median:.2f}x "
                        "(range {low:.2f}x to {high:.2f}x)",
                        "双向 / 单向的时间：中位数 {median:.2f}x（范围 {low:.2f}x 到 {high:.2f}x）"),
    "nb05.memory.baseline": ("MXNet alone: {mib:.0f} MiB peak", "仅 MXNet 本身：峰值 {mib:.0f} MiB"),
    "nb05.memory.ratio": ("at T = {T}: bidirectional adds {ratio:.2f}x the memory of unidirectional",
                          "T = {T} 时：双向新增的内存是单向的 {ratio:.2f}x"),
    "nb05.fill.text": ("training text: {train:,} characters; held-out text: {test:,} characters",
                       "训练文本：{train:,} 个字符；留出文本：{test:,} 个字符"),
    "nb05.fill.vocab": ("vocabulary of {V} tokens (with <unk> and <mask>)",
                        "词表大小为 {V} 个词元（含 <unk> 和 <mask>）"),
    "nb05.fill.params": ("{name:>14}: {h} hidden units, {params:,} parameters",
                         "{name}：{h} 个隐藏单元，{params:,} 个参数"),
    "nb05.fill.data": ("training: {n:,} sequences of {seq_len} characters; held out: {m:,} windows "
                       "of {w}",
                       "训练：{n:,} 个序列，每个 {seq_len} 个字符；留出：{m:,} 个窗口，每个 {w} 个字符"),
    "nb05.fill.trained": ("seed {seed}, {name}: trained in {seconds:.0f} s, training loss {loss:.3f}",
                          "种子 {seed}，{name}：训练用时 {seconds:.0f} 秒，训练损失 {loss:.3f}"),
    "nb05.fill.line_model": ("LSTMs, one layer", "LSTM，单层"),
    "nb05.tag.data": ("{n:,} training rows of {tag_len} letters, {m:,} held out; {pct:.1f}% of "
                      "held-out letters end a word",
                      "{n:,} 行训练数据，每行 {tag_len} 个字母，{m:,} 行留出；留出文本中 {pct:.1f}% "
                      "的字母是词尾"),
    "nb05.tag.result": ("{name} ({h} hidden units, {params:,} parameters): held-out accuracy "
                        "{acc:.1f}%",
                        "{name}（{h} 个隐藏单元，{params:,} 个参数）：留出文本上的精度 {acc:.1f}%"),
    "nb05.tag.always_no": ('always "not the last letter": {acc:.1f}%',
                           "总是回答“不是词尾”：{acc:.1f}%"),
    "nb05.tag.truth": ("truth", "真实值"),
    "nb05.probe.result": ("seed {seed}, {name}: encoding of {size} numbers, mean probe accuracy {acc:.1f}% "
                          "over {n:,} held-out passages of {length} characters",
                          "种子 {seed}，{name}：编码含 {size} 个数，在 {n:,} 个长度为 {length} 个字符的"
                          "留出段落上的平均探测精度 {acc:.1f}%"),
    "nb05.probe.spread": ("{name}: mean probe accuracy {acc}", "{name}：平均探测精度 {acc}"),
    # The five claims of the notes' summary (【总结】): English translated from the notes, Chinese
    # quoted from the notes word for word (their punctuation too).
    "nb05.claims.1": ("A bidirectional RNN uses information from the reverse time direction "
                      "through a hidden layer that is updated backwards.",
                      "双向循环神经网络通过反向更新的隐藏层来利用方向时间信息"),
    "nb05.claims.2": ("In a bidirectional RNN the hidden state of each time step is determined "
                      "jointly by the data before and after that time step.",
                      "在双向循环神经网络中,每个时间步的隐状态由当前时间步的前后数据同时决定"),
    "nb05.claims.3": ("Bidirectional RNNs are similar to the \u201cforward-backward\u201d algorithm "
                      "of probabilistic graphical models.",
                      "双向循环神经网络与概率图模型中的\u201c前向-后向\u201d算法具有相似性"),
    "nb05.claims.4": ("Bidirectional RNNs are mainly used for sequence encoding and for estimating "
                      "observations given bidirectional context: usually to extract features of a "
                      "sequence and to fill in blanks, not to predict the future.",
                      "双向循环神经网络主要用于序列编码和给定双向上下文的观测估计,通常用来对序列抽取"
                      "特征、填空,而不是预测未来"),
    "nb05.claims.5": ("Because the gradient chain is longer, bidirectional RNNs are very expensive "
                      "to train.",
                      "由于梯度链更长,因此双向循环神经网络的训练代价非常高"),
    "nb05.claims.where1": (
        "`03_birnn_from_scratch.ipynb`: the backward recursion written out (from $t = T$ down to "
        "1) and checked against Gluon's bidirectional layer; `04_bilstm_gluon.ipynb`: the notes' "
        "`rnn.LSTM(256, 2, bidirectional=True)`; Application 1 here: the backward state "
        r"$\overleftarrow{H}_{t+1}$ carries the text right of the gap.",
        "`03_birnn_from_scratch.ipynb`：写出后向递归（从 $t = T$ 到 1）并与 Gluon 的双向层核对；"
        "`04_bilstm_gluon.ipynb`：笔记中的 `rnn.LSTM(256, 2, bidirectional=True)`；本笔记本的应用 1："
        r"反向隐状态 $\overleftarrow{H}_{t+1}$ 携带空位右侧的文本。"),
    "nb05.claims.where2": (
        "count models run here with {width} characters a side (those of "
        "`01_why_the_future_matters.ipynb`): {left_counts:.1f}% of hidden characters from the left "
        "alone, {two_counts:.1f}% from both sides; the BiLSTM fills a hidden character "
        "{bi:.1f}% of the time, an LSTM with about as many parameters {uni:.1f}% (means of {seeds} "
        "seeds); word ends tagged {tag_bi:.1f}% vs {tag_uni:.1f}% (one run).",
        "在本笔记本中以每侧 {width} 个字符运行的计数模型（即 `01_why_the_future_matters.ipynb` "
        "中的模型）：仅用左侧能填对 {left_counts:.1f}% 的被隐藏字符，用两侧能填对 "
        "{two_counts:.1f}%；双向 LSTM 填对被隐藏字符的比例为 {bi:.1f}%，参数量大致相同的 LSTM 为 "
        "{uni:.1f}%（{seeds} 个种子的均值）；词尾标注 {tag_bi:.1f}% 对 {tag_uni:.1f}%（一次运行）。"),
    "nb05.claims.where3": (
        r"`02_hmm_forward_backward.ipynb`: the HMM's forward messages $\pi_t$ and backward "
        r"messages $\rho_t$, checked against brute force, and the fill-in "
        r"$\propto \sum_h \pi_t(h)\rho_t(h)P(x_t \mid h)$ drawn next to the BiRNN; "
        "`03_birnn_from_scratch.ipynb`: the two recursions and the concatenation written out; "
        r"Application 1 here reads $[\overrightarrow{H}_{t-1}, \overleftarrow{H}_{t+1}]$, the "
        "same shape.",
        r"`02_hmm_forward_backward.ipynb`：隐马尔可夫模型的前向消息 $\pi_t$ 和后向消息 $\rho_t$，"
        r"与穷举核对，并把填空公式 $\propto \sum_h \pi_t(h)\rho_t(h)P(x_t \mid h)$ 与双向循环神经网络"
        "并排画出；`03_birnn_from_scratch.ipynb`：写出两个方向的递归和连接；本笔记本的应用 1 读取 "
        r"$[\overrightarrow{H}_{t-1}, \overleftarrow{H}_{t+1}]$，形状相同。"),
    "nb05.claims.where4": (
        "Applications 1-3 here (filling {bi:.1f}% vs {uni:.1f}%; tagging {tag_bi:.1f}% vs "
        "{tag_uni:.1f}%; encodings that keep both ends of a passage: mean probe accuracy "
        "{probe_bi:.1f}% vs {probe_uni:.1f}%; filling and probe: means of {seeds} seeds). Not for "
        "predicting the future: "
        "`04_bilstm_gluon.ipynb` runs the notes' code, a BiLSTM language model whose training "
        "perplexity falls close to 1 because it reads the answer from the future, yet it generates "
        "repetitions such as \"erererer\".",
        "本笔记本的应用 1-3（填空 {bi:.1f}% 对 {uni:.1f}%；标注 {tag_bi:.1f}% 对 {tag_uni:.1f}%；"
        "编码保留段落的两端：平均探测精度 {probe_bi:.1f}% 对 {probe_uni:.1f}%；"
        "填空与探测为 {seeds} 个种子的均值）。不用于预测未来："
        "`04_bilstm_gluon.ipynb` 运行笔记中的代码，一个双向 LSTM 语言模型，它的训练困惑度降到接近 1，"
        "因为它从未来读取答案，但它生成的是“erererer”这样的重复。"),
    "nb05.claims.where5": (
        "Section 1 here, in cell evaluations over T = {T} steps: one bidirectional layer does not "
        "lengthen the longest chain ({bi1} vs {uni1}), it delays the first output ({first_bi1} vs "
        "{first_uni1}); in the notes' two layers the first output needs {first_bi2} sequential cell "
        "evaluations instead of {first_uni2} and the longest chain is {bi2} vs {uni2}. Section 2: a "
        "training pass takes {time:.1f}x the time and {memory:.1f}x the activation memory of a "
        "unidirectional layer.",
        "本笔记本第 1 节，以 T = {T} 个时间步上依次计算的循环单元次数计：一个双向层并不加长最长链"
        "（{bi1} 对 {uni1}），但推迟第一个输出（{first_bi1} 对 {first_uni1}）；在笔记的两层模型中，"
        "第一个输出需要依次计算 {first_bi2} 次循环单元，而不是 {first_uni2} 次，最长链为 {bi2} 对 "
        "{uni2}。第 2 节：一次训练（前向 + 反向传播）所用的时间是单向层的 {time:.1f}x，"
        "激活内存是 {memory:.1f}x。"),
    "nb05.ran": ("notebook ran in {seconds:.0f} s ({mode} mode)",
                 "本笔记本运行了 {seconds:.0f} 秒（{mode}模式）"),
    "nb05.ex1.result": ("{layers} bidirectional layers, T = {T}: loss 1 to x_1 {loss}, "
                        "first output {first}, longest chain {longest}",
                        "{layers} 个双向层，T = {T}：损失 1 到 x_1 为 {loss}，第一个输出为 {first}，"
                        "最长链为 {longest}"),
    "nb05.ex4.result": ("passages of {length:>3} words: {right}/{n} held-out passages right "
                        "({pct:.0f}%)",
                        "{length} 个词的段落：{n} 个留出段落中判断对 {right} 个（{pct:.0f}%）"),
    "nb05.ex5.pair": ("{a!r} vs {b!r}", "{a!r} 与 {b!r}"),
    "nb05.ex5.embedding": ("  context-free embedding: cosine {cos:.3f}",
                           "  与上下文无关的嵌入：余弦相似度 {cos:.3f}"),
    "nb05.ex5.lstm": ("  {name:>14} LSTM: cosine {cos:.3f}", "  {name} LSTM：余弦相似度 {cos:.3f}"),
    # --- notebook 06: bidirectional models done right ----------------------------------------
    "nb06.data": ("training: {n:,} rows of {seq_len} characters; held out: {m:,} blanks, windows "
                  "of {w}",
                  "训练：{n:,} 行，每行 {seq_len} 个字符；留出：{m:,} 个空，窗口长 {w}"),
    "nb06.params": ("h = {h}: one LM {lm:,} parameters, the two LMs {pair:,}, the masked BiLSTM "
                    "{bi:,}",
                    "h = {h}：一个语言模型 {lm:,} 个参数，两个语言模型共 {pair:,} 个，"
                    "掩蔽输入的双向 LSTM {bi:,} 个"),
    "nb06.epochs": ("epochs: {lm} per LM (every position), {masked} for the masked BiLSTM "
                    "(15% of positions); seeds {seeds}",
                    "迭代周期：每个语言模型 {lm} 个（每个位置都是训练样本），掩蔽输入的双向 LSTM {masked} 个"
                    "（15% 的位置）；随机种子 {seeds}"),
    "nb06.seed": ("seed {seed}: trained in {seconds:.0f} s; two LMs (product) {two:.1f}%, masked "
                  "BiLSTM {masked:.1f}%",
                  "随机种子 {seed}：训练用时 {seconds:.0f} 秒；两个语言模型（乘积）{two:.1f}%，"
                  "掩蔽输入的双向 LSTM {masked:.1f}%"),
    "nb06.row.forward": ("forward LM (left only)", "前向语言模型（仅左侧）"),
    "nb06.row.backward": ("backward LM (right only)", "反向语言模型（仅右侧）"),
    "nb06.row.product": ("two LMs: product", "两个语言模型：乘积"),
    "nb06.row.prior": ("two LMs: product / unigram", "两个语言模型：乘积 / 一元分布"),
    "nb06.row.masked": ("masked BiLSTM", "掩蔽输入的双向 LSTM"),
    "nb06.row.masked_left": ("masked BiLSTM, left only", "掩蔽输入的双向 LSTM，仅左侧"),
    "nb06.col.mean": ("mean (%)", "平均（%）"),
    "nb06.col.low": ("lowest (%)", "最低（%）"),
    "nb06.col.high": ("highest (%)", "最高（%）"),
    "nb06.col.seed": ("seed {seed} (%)", "随机种子 {seed}（%）"),
    "nb06.line.two_lms": ("two LMs (ELMo-style), product, {width} characters a side",
                          "两个语言模型（ELMo 式），乘积，每侧 {width} 个字符"),
    "nb06.line.masked": ("masked BiLSTM (BERT-style), {width} characters a side",
                         "掩蔽输入的双向 LSTM（BERT 式），每侧 {width} 个字符"),
    "nb06.fill.title": ("Held-out blanks, {n} seeds each (a dot per seed)",
                        "留出文本中的空，每个模型 {n} 个随机种子（每个点一个随机种子）"),
    "nb06.leak.trained": ("04's setup, small (h = {h}, {epochs} epochs, one run): training loss "
                          "{loss:.3f}",
                          "第 04 个笔记本的设置，小模型（h = {h}，{epochs} 个迭代周期，一次运行）："
                          "训练损失 {loss:.3f}"),
    "nb06.leak.accuracy": ("04's setup on the blanks: {seen:.1f}% when its input holds the blank's "
                           "character, {hidden:.1f}% when the blank is masked",
                           "第 04 个笔记本的设置在这些空上：输入含有空处的字符时 {seen:.1f}%，"
                           "空被掩蔽时 {hidden:.1f}%"),
    "nb06.leak.model.product": ("two LMs (product)", "两个语言模型（乘积）"),
    "nb06.leak.model.masked": ("masked BiLSTM", "掩蔽输入的双向 LSTM"),
    "nb06.leak.model.next": ("04's setup: next-character BiLSTM",
                             "第 04 个笔记本的设置：预测下一个字符的双向 LSTM"),
    "nb06.leak.at_blank": ("{name:>36}: change at the blank {at:.6f}, next to it {left:.3f} "
                           "(left), {right:.3f} (right)",
                           "{name}：改变空处字符带来的变化 {at:.6f}，紧邻的字符 {left:.3f}（左），"
                           "{right:.3f}（右）"),
    "nb06.leak.xlabel": ("input position relative to the blank", "输入位置（相对于空）"),
    "nb06.leak.ylabel": ("change of the prediction (total variation)", "预测的变化（全变差距离）"),
    "nb06.leak.title": ("What the prediction for the blank reads ({n} held-out windows)",
                        "空处的预测读取了哪些输入（{n} 个留出窗口）"),
    "nb06.pad.batch": ("batch of {n} held-out pieces, lengths {lengths}, padded to T = {T}",
                       "{n} 段留出文本组成的小批量，长度 {lengths}，填充到 T = {T}"),
    "nb06.pad.row": ("{name:>40}: max |difference| from each sequence alone: forward half "
                     "{fwd:.2e}, backward half {bwd:.2e}",
                     "{name}：与单独运行每个序列的最大差值：前向一半 {fwd:.2e}，反向一半 {bwd:.2e}"),
    "nb06.pad.naive": ("fused layer, padded batch", "融合层，填充后的小批量"),
    "nb06.pad.ignored": ("fused layer, use_sequence_length=True", "融合层，use_sequence_length=True"),
    "nb06.pad.fixed": ("reversed within lengths (TwoWayLSTM)", "在各自长度内反转（TwoWayLSTM）"),
    "nb06.pad.tolerance": ("equal to each sequence alone within {tol:g}: {ok}",
                           "在 {tol:g} 以内与单独运行每个序列相等：{ok}"),
    "nb06.pad.xlabel": ("distance from the sequence's last real token", "与序列最后一个真实词元的距离"),
    "nb06.pad.ylabel": ("mean |error| of the backward state", "反向隐状态的平均绝对误差"),
    "nb06.pad.title": ("Backward states of a padded batch vs each sequence alone",
                       "填充后小批量的反向隐状态与单独运行每个序列的比较"),
    "nb06.pad.legend_naive": ("fused layer, padded", "融合层，填充"),
    "nb06.pad.legend_fixed": ("reversed within lengths", "在各自长度内反转"),
    "nb06.pad.fill": ("masked BiLSTM on {m:,} blanks with 0-{r} characters on the right, "
                      "batched: {naive:.1f}% with padding read, {fixed:.1f}% with lengths",
                      "掩蔽输入的双向 LSTM 在 {m:,} 个右侧有 0-{r} 个字符的空上，按小批量："
                      "读入填充时 {naive:.1f}%，使用长度时 {fixed:.1f}%"),
    "nb06.pad.loss": ("cross-entropy of the batch (nats): mean over all positions {all:.4f}, "
                      "over real tokens {masked:.4f}, each sequence alone {alone:.4f}",
                      "小批量的交叉熵（奈特）：对所有位置求平均 {all:.4f}，只对真实词元求平均 {masked:.4f}，"
                      "单独运行每个序列 {alone:.4f}"),
    "nb06.hmm.hidden": ("hidden h (sampled)", "隐状态 h（采样）"),
    "nb06.hmm.observed": ("observed x", "观测 x"),
    "nb06.hmm.viterbi": ("Viterbi path", "维特比路径"),
    "nb06.hmm.posterior": ("each step's most probable state", "每一步最可能的状态"),
    "nb06.hmm.row": ("{name:>32}: {path}   log P(h, x) = {logp:.3f}",
                     "{name}：{path}   log P(h, x) = {logp:.3f}"),
    "nb06.hmm.likelihood": ("log P(x) = {logp:.3f}: the best path carries {share:.1%} of the "
                            "probability of x",
                            "log P(x) = {logp:.3f}：最优路径占 x 的概率的 {share:.1%}"),
    "nb06.hmm.brute": ("T={T}: Viterbi = brute force over {paths} paths: path {same_path}, "
                       "log-probability {same_p}",
                       "T={T}：维特比 = 对 {paths} 条路径穷举：路径 {same_path}，对数概率 {same_p}"),
    "nb06.hmm.xlabel": ("time step $t$", "时间步 $t$"),
    "nb06.hmm.ylabel": ("hidden state", "隐状态"),
    "nb06.hmm.title": ("$P(h_t \\mid x)$ (forward-backward) and the Viterbi path",
                       "$P(h_t \\mid x)$（前向-后向）与维特比路径"),
    "nb06.hmm.colorbar": ("$P(h_t \\mid x)$", "$P(h_t \\mid x)$"),
    "nb06.hmm.forbidden": ("a chain that forbids 0 -> 1: each step's favourite state gives "
                           "{per_step}, log P = {per_step_logp}; Viterbi gives {viterbi}, "
                           "log P = {viterbi_logp:.3f}",
                           "一个禁止 0 -> 1 的链：每一步最可能的状态给出 {per_step}，"
                           "log P = {per_step_logp}；维特比给出 {viterbi}，log P = {viterbi_logp:.3f}"),
    "nb06.ran": ("notebook ran in {seconds:.0f} s ({mode} mode)",
                 "本笔记本运行了 {seconds:.0f} 秒（{mode}模式）"),
    # --- lecture deck (tools/build_lecture.py, tools/build_slides.py, tools/fill_in_table.py) --
    "lecture.title_line": ("d2l-birnn, notebooks {numbers}{mode}. Press S for the speaker notes.",
                           "d2l-birnn，笔记本 {numbers}{mode}。按 S 键打开演讲者备注。"),
    "lecture.mode.committed": (" (committed outputs)", "（已提交的输出）"),
    "lecture.mode.quick": (" (QUICK MODE: not the lecture's numbers)", "（快速模式：不是课堂上用的数字）"),
    "lecture.live": ("live", "现场运行"),
    "lecture.table_title": ("One task, four model families: filling a blank in held-out text",
                            "一个任务，四类模型：在留出文本中填空"),
    "lecture.default_title": ("Bidirectional recurrent neural networks", "双向循环神经网络"),
    "lecture.default_notes": ("Lesson plan: {plan}.", "教案：{plan}。"),
    "lecture.table.columns": ("family | notebook | model | context (both sides vs left only) | "
                              "size (both sides vs left only) | both sides | left only | gain from the right",
                              "模型类别 | 笔记本 | 模型 | 上下文（两侧对仅左侧） | "
                              "规模（两侧对仅左侧） | 两侧 | 仅左侧 | 看到右侧带来的提升"),
    "lecture.table.gain": ("{gain:+.1f} points", "{gain:+.1f} 个百分点"),
    "lecture.table.none": ("(no results yet)", "（尚无结果）"),
    "lecture.table.missing": ("Not measured yet: {names} print no line `{line}`.",
                              "尚未测量：{names} 的输出中没有 `{line}` 这样的行。"),
    "lecture.table.source": ("Collected from the notebooks' committed outputs by `tools/fill_in_table.py`.",
                             "由 `tools/fill_in_table.py` 从笔记本已提交的输出中收集。"),
    "lecture.family.counts": ("counts (n-gram)", "计数（n 元语法）"),
    "lecture.family.hmm": ("HMM (forward-backward)", "隐马尔可夫模型（前向-后向）"),
    "lecture.family.scratch": ("BiRNN from scratch", "从零实现的双向循环神经网络"),
    "lecture.family.lstm": ("LSTMs (Gluon)", "长短期记忆网络（Gluon）"),
    "slides.index_title": ("d2l-birnn slides", "d2l-birnn 幻灯片"),
    "slides.index_help": ("Arrow keys move, S opens speaker notes, Esc shows all slides.",
                          "方向键翻页，S 键打开演讲者备注，Esc 键显示全部幻灯片。"),
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
