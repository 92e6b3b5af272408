"""The five families, in the order a "from HMM to GAN" lecture walks through them: the one registry.

Each family names its lab (core.models.<name>: the Config, the Lab subclass
and load_data), its Compare entrant (core.compare.<name>.ENTRANT) and its
page's icon. The CLI, the navigation, the home page, Compare and the tests all
read this table; nothing else lists the families. Imports are lazy (by module
path) so that listing the families, or opening one family's page, never pays
for importing another family's libraries (torch and pgmpy take seconds).

The notes this project grew from call the random forest a generative model and
give the GAN a likelihood; both are corrected in what `profiles` says of each
family: a forest is discriminative, p(y | x), and samples only through the
adversarial random forest; a GAN is implicit, it samples but defines no p(x).
The words live in the interface's string tables (assets/i18n/<lang>/app.toml,
`family.<name>.*`), in English and 中文; the equations in assets/theory/<name>.md.
"""
import importlib
from dataclasses import dataclass
from types import ModuleType

from core.errors import ConfigError
from core.i18n import text


@dataclass(frozen=True)
class Family:
    name: str  # hmm, bayesnet, ...: the page's URL, the CLI's model, the words' prefix
    title: str  # the English title (the CLI's listing)
    icon: str  # the navigation's icon

    def lab_module(self) -> ModuleType:
        """core.models.<name>: its Config, its Lab subclass (named LAB) and load_data(config, upload)."""
        return importlib.import_module(f"core.models.{self.name}")

    def model_class(self) -> type:
        return self.lab_module().LAB

    def config_class(self) -> type:
        return self.model_class().Config

    def load_data(self, config, upload: bytes | None = None):
        return self.lab_module().load_data(config, upload)

    def entrant_class(self) -> type:
        """The family's Compare entrant (core.compare.<name>.ENTRANT)."""
        return importlib.import_module(f"core.compare.{self.name}").ENTRANT

    def why_not(self, task: str) -> str | None:
        """Why this family sits a Compare task out, in one sentence (None: it plays)."""
        return self.entrant_class().WHY_NOT.get(task)


FAMILIES = {f.name: f for f in (
    Family("hmm", "Hidden Markov model", ":material/casino:"),
    Family("bayesnet", "Bayesian network", ":material/hub:"),
    Family("forest", "Random forest", ":material/park:"),
    Family("rnn", "RNN (vanilla, LSTM, GRU)", ":material/repeat:"),
    Family("gan", "GAN", ":material/theater_comedy:"),
)}


def get(name: str) -> Family:
    """The family called `name`, or a ConfigError listing the ones there are."""
    if name not in FAMILIES:
        raise ConfigError("model.unknown", name=name, models=", ".join(FAMILIES))
    return FAMILIES[name]


@dataclass(frozen=True)
class Profile:
    """What the home page says of a family: its idea, kind, likelihood, strengths and weaknesses."""

    page: str
    name: str
    idea: str  # one line for the family tree
    kind: str  # generative, discriminative, ...
    likelihood: str
    strengths: str
    weaknesses: str


def profiles(lang: str = "en") -> list[Profile]:
    fields = ("name", "idea", "kind", "likelihood", "strengths", "weaknesses")
    return [Profile(page, *(text(lang, f"family.{page}.{f}") for f in fields)) for page in FAMILIES]
