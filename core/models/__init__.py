"""The model families GenLab knows, and how to build each one.

Imports are lazy (by module path) so that listing models, or opening a page
for one family, never pays for importing another family's libraries.
"""
import importlib
from dataclasses import dataclass

from core.errors import ConfigError


@dataclass(frozen=True)
class ModelSpec:
    name: str  # the CLI name: `python -m core gan`
    title: str  # the page title
    module: str  # where Config, Model and load_data live
    config: str
    model: str
    built: bool = True  # False: the page says plainly that it is not built yet

    def load(self):
        return importlib.import_module(self.module)

    def config_class(self):
        return getattr(self.load(), self.config)

    def model_class(self):
        return getattr(self.load(), self.model)


MODELS = {
    "hmm": ModelSpec("hmm", "Hidden Markov model", "core.models.hmm", "HMMConfig", "HMM"),
    "bayesnet": ModelSpec("bayesnet", "Bayesian network", "core.models.bayesnet", "BNConfig", "BayesNet"),
    "forest": ModelSpec("forest", "Random forest", "core.models.forest", "ForestConfig", "Forest"),
    "rnn": ModelSpec("rnn", "RNN (vanilla, LSTM, GRU)", "core.models.rnn", "RNNConfig", "RNN"),
    "gan": ModelSpec("gan", "GAN", "core.models.gan", "GANConfig", "GAN"),
}


def get_spec(name: str) -> ModelSpec:
    if name not in MODELS:
        raise ConfigError("model.unknown", name=name, models=", ".join(MODELS))
    spec = MODELS[name]
    if not spec.built:
        raise ConfigError("model.not_built", title=spec.title,
                          built=", ".join(n for n, s in MODELS.items() if s.built))
    return spec
