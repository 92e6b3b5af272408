"""Find English left on a page drawn in 中文: every label, text and chart title an AppTest run produced.

`english_left(at, lab)` walks the page's element tree (sidebar included),
takes each element's visible words (labels, bodies, help, options, metric
values; a chart's title, axis titles, legend names, annotations and hover
text), strips what is not prose (LaTeX, code spans, identifiers such as
`ring8-collapse` or `lr_g`, numbers and units, acronyms), and returns the
English words that remain, each with its context. Proper names that stay as
they are in Chinese teaching (Viterbi, Adam, pgmpy) are allowed per lab in
tests/zh_allowed/<lab>.txt (one word per line, `#` comments), plus common.txt; the
home page, which names every lab's presets, allows them all.
"""
import json
import re
from functools import cache
from pathlib import Path

from google.protobuf.json_format import MessageToDict

ALLOWED = Path(__file__).resolve().parent / "zh_allowed"
SKIP = {"code", "latex", "json"}  # code is code; formulas are formulas
TEXT_KEYS = {"label", "body", "help", "options", "placeholder", "caption", "value", "text", "deltaDescription",
             "formattedValue", "default"}
PLOT_TEXT_KEYS = {"text", "name", "hovertemplate", "ticktext", "title"}

MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)
CODE = re.compile(r"`[^`]*`")
URL = re.compile(r"https?://\S+")
HOVER_FIELD = re.compile(r"%\{[^}]*\}|<extra>.*?</extra>|<[^>]+>")
IDENTIFIER = re.compile(r"\b[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+\b|\b\w*\d\w*\b")
WORD = re.compile(r"[A-Za-z]{3,}")


@cache
def allowed(lab: str) -> frozenset[str]:
    words = set()
    names = [p.stem for p in ALLOWED.glob("*.txt")] if lab == "home" else ["common", lab]  # home shows every lab's
    for name in names:
        path = ALLOWED / f"{name}.txt"
        if path.exists():
            words |= {w.split("#")[0].strip() for w in path.read_text().splitlines()} - {""}
    return frozenset(words)


def english_words(text: str, lab: str) -> list[str]:
    """The English words in `text` that are not formulas, code, identifiers, acronyms or allowed names."""
    text = HOVER_FIELD.sub(" ", URL.sub(" ", CODE.sub(" ", MATH.sub(" ", text))))
    text = IDENTIFIER.sub(" ", text)
    ok = allowed(lab)
    return [w for w in WORD.findall(text) if not w.isupper() and w not in ok and w.lower() not in ok]


def page_texts(at) -> list[tuple[str, str]]:
    """(element type, text) for every visible text of the page's tree, charts' texts included."""
    out: list[tuple[str, str]] = []
    _walk(at._tree, out)
    return out


def _walk(node, out: list) -> None:
    kind = getattr(node, "type", "")
    proto = getattr(node, "proto", None)
    if kind not in SKIP and proto is not None:
        tree = MessageToDict(proto, preserving_proto_field_name=False)
        if kind == "html" and tree.get("body", "").lstrip().startswith("<style>"):
            tree = {}  # ui.i18n.frontend_words' style sheet: CSS, its words our own in `content:`
        if kind == "plotly_chart":
            _plot_texts(json.loads(tree.get("spec", "{}")), out)
        else:
            _strings(tree, kind, out)
    for child in (getattr(node, "children", None) or {}).values():
        _walk(child, out)


def _strings(tree, kind: str, out: list, key: str = "") -> None:
    if isinstance(tree, dict):
        for k, v in tree.items():
            _strings(v, kind, out, k)
    elif isinstance(tree, list):
        for v in tree:
            _strings(v, kind, out, key)
    elif isinstance(tree, str) and key in TEXT_KEYS:
        out.append((kind, tree))


def _plot_texts(spec, out: list, key: str = "") -> None:
    """A chart's titles, axis titles, legend names, annotations and hover text (not its data)."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k in ("x", "y", "z", "customdata", "template"):
                continue
            _plot_texts(v, out, k)
    elif isinstance(spec, list):
        for v in spec:
            _plot_texts(v, out, key)
    elif isinstance(spec, str) and key in PLOT_TEXT_KEYS:
        out.append(("plotly_chart", spec))


def english_left(at, lab: str, data: set[str] = frozenset()) -> list[str]:
    """'word — in: context' for each English word left on the page (empty when it is all 中文).
    `data` holds words of the page's data (a network's variable names), shown as they are."""
    found = []
    for kind, text in page_texts(at):
        words = [w for w in english_words(text, lab) if w not in data]
        if words:
            found.append(f"{', '.join(sorted(set(words)))} — {kind}: {text[:120]!r}")
    return sorted(set(found))
