"""The five families, in the order a "from HMM to GAN" lecture walks through them.

The notes this project grew from call the random forest a generative model and
give the GAN a likelihood; both are corrected here (DESIGN.md, "The math").
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str
    page: str
    idea: str  # one line for the family tree
    kind: str  # generative, discriminative, ...
    likelihood: str
    strengths: str
    weaknesses: str


FAMILIES = [
    Family("Hidden Markov model", "hmm",
           "A hidden Markov chain of states; each state emits an observation.",
           "generative (sequences)", "exact, by the forward algorithm",
           "Interpretable states; exact inference (forward-backward, Viterbi); EM fits it.",
           "First-order memory only; the number of states is fixed in advance; EM finds local optima."),
    Family("Bayesian network", "bayesnet",
           "A DAG of variables: p(x) = Π p(x_i | parents(x_i)). An HMM is a dynamic one.",
           "generative (tabular)", "exact, by the factorisation",
           "Explicit, readable dependencies; answers any query P(X | evidence).",
           "Structure learning needs much data and is NP-hard; exact inference can blow up."),
    Family("Random forest", "forest",
           "Many decorrelated decision trees vote (Breiman 2001).",
           "discriminative: models p(y | x), not p(x)", "none for x (an adversarial forest adds one)",
           "Strong on tabular data with little tuning; out-of-bag error for free; a sharp two-sample judge.",
           "Not a generator by itself: it needs a wrapper (adversarial random forest) to sample."),
    Family("RNN (vanilla, LSTM, GRU)", "rnn",
           "A hidden state carried through time: h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h).",
           "generative (autoregressive sequences)", "exact, as a product of next-step probabilities",
           "Any-length context in principle; LSTM and GRU gates keep gradients alive.",
           "Vanilla gradients vanish or explode through time; sequential, slow to train."),
    Family("GAN", "gan",
           "A generator x = G(z) trained to fool a discriminator D (Goodfellow et al. 2014).",
           "generative (implicit)", "none: an implicit model samples but gives no p(x)",
           "Sharp samples; any differentiable generator.",
           "Unstable training; mode collapse; no likelihood to check it with."),
]
