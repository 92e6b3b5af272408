"""One scoreboard for every family: the same yardsticks, measured the same way.

`score(entrant, task)` runs in the entrant's job thread when its training
ends. It draws one set of samples (timed, so the sampling time is measured on
the samples that are judged), then:

- held-out log-likelihood per sample, where the model has one (nats; per
  point, image, row, or symbol for a stream; densities on continuous data);
- C2ST accuracy (core.metrics.c2st_accuracy: a forest tells held-out real
  samples from as many generated ones; 0.5 is perfect), its 95 % band and its
  one-sided binomial p-value (approximate under the 5-fold cross-validation);
- MMD^2 (core.metrics.mmd_test, RBF kernel, median bandwidth) and its
  permutation p-value (100 seeded label shuffles);
- the task's own measure (see `task_measures`), and for points and digits
  density and coverage (k = 5) against the held-out rows.

Discrete samples (table rows, windows of a stream) are compared one-hot;
generated digits are rounded to the 17 ink levels real digits take.
"""
import csv
import io
import math
import time

import numpy as np

from core import metrics
from core.compare.encoding import one_hot
from core.compare.tasks import TaskData, likelihood_data
from core.data.rnn_tasks import is_embedded_reber
from core.device import device_name
from core.families import FAMILIES
from core.i18n import table as table_of
from core.i18n import text
from core.protocol import NoLikelihood

TITLES = {f: text("en", f"compare.family.{f}") for f in FAMILIES}  # the page says them in its language
RING_SAMPLES = 2500  # VEEGAN / PacGAN count modes on 2,500 samples
MIN_SAMPLES = 1000  # drawn at least (digits: as many as held out, 360: hmmlearn draws 64-D points one by one)
REBER_STREAMS, REBER_LENGTH = 20, 150  # 3,000 symbols, about 300 strings, to parse
LL_UNIT = {task: text("en", f"compare.ll_unit.{task}") for task in ("points", "digits", "tabular", "sequences")}
# the exported table's columns, in order; headers in the tables (compare.col.<key>)
COLUMN_KEYS = ("family", "library", "device", "fit_seconds", "sample_seconds_per_1000", "params", "loglik", "c2st",
               "c2st_p", "mmd", "mmd_p")
COLUMNS = [(key, text("en", f"compare.col.{key}")) for key in COLUMN_KEYS]  # (key, English header)
NOTES = ("implicit", "zero_density", "none_here")  # why a log-likelihood cell holds words (compare.note.<key>)


def features(task: TaskData, samples: np.ndarray) -> np.ndarray:
    """What C2ST and MMD compare: the samples as numbers, one-hot for symbols and categories."""
    if task.task == "tabular":
        return one_hot(samples, task.cardinalities)
    if task.task == "sequences":
        return one_hot(samples, [len(task.symbols)] * samples.shape[1])
    if task.task == "digits":  # back to the 17 ink levels real digits take, or C2ST would spot the fractions
        return np.clip(np.round((np.asarray(samples, dtype=float) + 1) * 8), 0, 16) / 8 - 1
    return np.asarray(samples, dtype=float)


def score(entrant, task: TaskData) -> tuple[dict, np.ndarray]:
    """(metrics, samples) of a trained entrant on its task."""
    real = task.heldout_samples()
    n = max(len(real), RING_SAMPLES if task.means is not None else MIN_SAMPLES if task.task != "digits" else 0)
    t0 = time.perf_counter()
    samples = entrant.sample(n)
    sample_seconds = time.perf_counter() - t0
    out = {"library": entrant.library, "device": entrant.device_, "steps": entrant.step_,
           "fit_seconds": round(entrant.fit_seconds_, 3),
           "sample_seconds_per_1000": sample_seconds / n * 1000, "samples_drawn": n, "params": entrant.n_params(),
           "loglik_unit": LL_UNIT[task.task]}
    try:
        out["loglik"] = entrant.log_likelihood(likelihood_data(task))
    except NoLikelihood as why:
        out["loglik"], out["loglik_note"] = None, str(why)
    if out["loglik"] is not None and not math.isfinite(out["loglik"]):
        out["loglik_note"] = text("en", "compare.note.zero_density")
    fake = features(task, samples)
    real_f = features(task, real)
    out["c2st"] = metrics.c2st_accuracy(real_f, fake[:len(real)])
    n_tested = 2 * min(len(real), len(fake))
    out["c2st_band"] = list(metrics.c2st_band(n_tested))
    out["c2st_p"] = metrics.c2st_p_value(out["c2st"], n_tested)
    out["mmd"], out["mmd_p"] = metrics.mmd_test(real_f, fake)
    out.update(task_measures(entrant, task, samples))
    if task.task in ("points", "digits"):  # continuous rows: k-NN balls mean something (one-hot rows tie)
        out["density"], out["coverage"] = metrics.density_coverage(real_f, fake)
    return out, samples[:1000]


def task_measures(entrant, task: TaskData, samples: np.ndarray) -> dict:
    """The task's own yardstick.

    - ring: modes captured, high-quality share and reverse KL (VEEGAN/PacGAN);
    - moons, uploaded points: precision and recall (k-NN balls, k = 3), since
      they have no modes with known means;
    - digits: classes covered, class KL and diversity by the reference classifier;
    - Reber: the share of generated strings that the grammar accepts;
    - casino, text: the total-variation distance of the symbol and bigram
      frequencies from the held-out ones (0 = the same frequencies);
    - tables: the mean total-variation distance of every pair of columns' joint
      frequencies: are the dependencies kept?
    """
    if task.task == "points" and task.means is not None:
        report = metrics.mode_report(samples, task.means, task.sigma)
        return {"modes": report.modes_captured, "n_modes": report.n_modes, "hq": report.hq_share,
                "rkl": report.reverse_kl}
    if task.task == "points":
        precision, recall = metrics.precision_recall(task.heldout, samples[:len(task.heldout)])
        return {"precision": precision, "recall": recall}
    if task.task == "digits":
        report = metrics.digits_judge().report(samples)
        return {"classes_covered": report.classes_covered, "class_kl": report.class_kl,
                "diversity": report.diversity}
    if task.task == "tabular":
        return {"pairwise_tv": pairwise_tv(task.heldout, samples, task.cardinalities)}
    if task.name == "reber":
        return {"valid_share": reber_valid_share(entrant.sample_streams(REBER_STREAMS, REBER_LENGTH), task.symbols)}
    m = len(task.symbols)
    return {"symbol_tv": _tv(_counts(task.heldout[None], m, 1), _counts(samples, m, 1)),
            "bigram_tv": _tv(_counts(task.heldout[None], m, 2), _counts(samples, m, 2))}


def _counts(rows: np.ndarray, m: int, order: int) -> np.ndarray:
    """Counts of each symbol (order 1) or each pair of neighbours (order 2) within rows."""
    rows = np.asarray(rows)
    codes = rows[:, 0:rows.shape[1] - order + 1].copy()
    for k in range(1, order):
        codes = codes * m + rows[:, k:rows.shape[1] - order + 1 + k]
    return np.bincount(codes.ravel(), minlength=m**order)


def _tv(p: np.ndarray, q: np.ndarray) -> float:
    return float(0.5 * np.abs(p / p.sum() - q / q.sum()).sum())


def pairwise_tv(real: np.ndarray, fake: np.ndarray, cards: list[int]) -> float:
    """Mean over column pairs of the total-variation distance of their joint frequencies."""
    tvs = []
    for i in range(len(cards)):
        for j in range(i + 1, len(cards)):
            def joint(x):
                return np.bincount(x[:, i] * cards[j] + x[:, j], minlength=cards[i] * cards[j])
            tvs.append(_tv(joint(np.asarray(real)), joint(np.asarray(fake))))
    return float(np.mean(tvs)) if tvs else 0.0


def reber_valid_share(streams: np.ndarray, symbols: tuple[str, ...]) -> float:
    """Share of the embedded-Reber strings in generated streams that the grammar accepts.

    An embedded Reber string holds exactly two E's (the inner string's and its
    own), so each stream is cut after every second E. The first piece of a
    stream may start mid-string and the last may be cut short: both are dropped.
    """
    strings = []
    for stream in streams:
        text = "".join(symbols[int(c)] for c in stream)
        pieces, current, e_count = [], "", 0
        for ch in text:
            current += ch
            e_count += ch == "E"
            if e_count == 2:
                pieces.append(current)
                current, e_count = "", 0
        strings += pieces[1:]
    return float(np.mean([is_embedded_reber(s) for s in strings])) if strings else 0.0


# -- the table -------------------------------------------------------------------------------------
def measure_columns(task: TaskData, lang: str = "en") -> list[tuple[str, str]]:
    """(key, header) of the task's own measures, headers in `lang`."""
    if task.task == "points" and task.means is not None:
        keys = ["modes", "hq", "rkl", "density", "coverage"]
    elif task.task == "points":
        keys = ["precision", "recall", "density", "coverage"]
    elif task.task == "digits":
        keys = ["classes_covered", "class_kl", "diversity", "density", "coverage"]
    elif task.task == "tabular":
        keys = ["pairwise_tv"]
    elif task.name == "reber":
        keys = ["valid_share"]
    else:
        keys = ["symbol_tv", "bigram_tv"]
    n_modes = len(task.means) if task.means is not None else 0
    return [(key, text(lang, f"compare.col.{key}", n=n_modes)) for key in keys]


def table(task: TaskData, rows: list[dict], lang: str = "en") -> tuple[list[str], list[list[str]]]:
    """Headers and text cells in `lang`: one row per family; a family that does not play says why
    (`row["why"]`, in the words the caller wants)."""
    cols = [(key, text(lang, f"compare.col.{key}")) for key in COLUMN_KEYS] + measure_columns(task, lang)
    body = []
    for row in rows:
        m = row.get("metrics") or {}
        family = text(lang, f"compare.family.{row['family']}")
        if not row["applies"] or not m:
            reason = row["why"] if not row["applies"] else (row.get("why") or text(lang, "compare.not_scored_yet"))
            body.append([family] + [reason] + [""] * (len(cols) - 2))
            continue
        body.append([family] + [_cell(key, m, lang) for key, _ in cols[1:]])
    band = next((r["metrics"]["c2st_band"] for r in rows if r.get("metrics")), None)
    named = {"loglik": text(lang, "compare.col.loglik_unit", unit=text(lang, f"compare.ll_unit.{task.task}")),
             "c2st": text(lang, "compare.col.c2st_band", lo=f"{band[0]:.2f}", hi=f"{band[1]:.2f}") if band
             else text(lang, "compare.col.c2st")}
    return [named.get(key, h) for key, h in cols], body


def say_note(note: str, lang: str = "en") -> str:
    """A log-likelihood note (kept in English in the metrics, as the CLI prints them) in `lang`."""
    for key in NOTES:
        if note == text("en", f"compare.note.{key}"):
            return text(lang, f"compare.note.{key}")
    return note


def _cell(key: str, m: dict, lang: str = "en") -> str:
    value = m.get(key)
    if key == "loglik" and value is None:
        return say_note(m["loglik_note"], lang) if "loglik_note" in m else text(lang, "compare.cell.none")
    if key == "loglik" and value == -math.inf:
        return text(lang, "compare.cell.minus_inf", note=say_note(m["loglik_note"], lang))
    if key == "loglik" and not math.isfinite(value):
        return f"{value}: {say_note(m['loglik_note'], lang)}"
    if key == "device" and value is not None:
        return device_name(str(value), lang)
    if key == "library" and value is not None:
        return say_library(str(value), lang)
    if key == "c2st" and value is not None:
        lo, hi = m["c2st_band"]
        where = "c2st_in" if lo <= value <= hi else "c2st_out"
        return text(lang, f"compare.cell.{where}", value=f"{value:.3f}")
    if key in ("c2st_p", "mmd_p") and value is not None:
        return metrics.p_value_text(value)
    if value is None:
        return ""
    if isinstance(value, (int, np.integer)) or key in ("params",):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:.3g}" if key != "fit_seconds" else f"{value:.1f}"
    return str(value)


def say_library(library: str, lang: str = "en") -> str:
    """The library that trained a family, as the page words it (most are names, said as they are)."""
    for family in FAMILIES:
        key = f"compare.library.{family}"
        if library == table_of("en").get(key):
            return text(lang, key)
    return library


def to_csv(task: TaskData, rows: list[dict], lang: str = "en") -> str:
    headers, body = table(task, rows, lang)
    out = io.StringIO()
    csv.writer(out).writerows([headers] + body)
    return out.getvalue()


def to_markdown(task: TaskData, rows: list[dict], lang: str = "en") -> str:
    headers, body = table(task, rows, lang)

    def line(cells):
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join([text(lang, "compare.markdown_title", task=task.describe(lang)), "", line(headers),
                      line(["---"] * len(headers))] + [line(r) for r in body]) + "\n"
