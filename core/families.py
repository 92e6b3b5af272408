"""The five families, in the order a "from HMM to GAN" lecture walks through them.

The notes this project grew from call the random forest a generative model and
give the GAN a likelihood; both are corrected here (DESIGN.md, "The math").
The words live in the interface's string tables (assets/i18n), in English and 中文.
"""
from dataclasses import dataclass

from core.i18n import text

PAGES = ("hmm", "bayesnet", "forest", "rnn", "gan")


@dataclass(frozen=True)
class Family:
    page: str
    name: str
    idea: str  # one line for the family tree
    kind: str  # generative, discriminative, ...
    likelihood: str
    strengths: str
    weaknesses: str


def families(lang: str = "en") -> list[Family]:
    fields = ("name", "idea", "kind", "likelihood", "strengths", "weaknesses")
    return [Family(page, *(text(lang, f"family.{page}.{f}") for f in fields)) for page in PAGES]


FAMILIES = families("en")
