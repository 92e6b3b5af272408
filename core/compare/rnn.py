"""The RNN entrant: a small GRU in torch that writes data one symbol at a time.

Every task becomes tokens, and the GRU models them autoregressively,
p(x) = prod_t p(x_t | x_<t), so it has an exact log-likelihood:

- points: each coordinate cut into 64 bins (x first, then y given x), a value
  drawn uniformly inside the bin: a proper density (core.compare.encoding);
- digits: the 64 pixels in reading order, each one of the 17 ink levels;
- tabular: the columns in order, each one of its own states;
- sequences: the stream itself, trained on windows of 32 symbols; the hidden
  state is carried along when it writes or scores a long stream.

For fixed-length rows (points, digits, tables) a learned position embedding
tells the GRU which column it is writing, and the softmax is masked to that
column's states.
"""
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.compare.base import Entrant, EntrantConfig
from core.compare.encoding import Binned, BinnedPixels, Codes, Stream
from core.config import param, seed_param
from core.device import resolve_device
from core.errors import TrainingDiverged
from core.protocol import Progress
from core.seeding import seeded

STREAM_WINDOW = 32
POINT_BINS = 64
LOG_EVERY = 20


class TokenGRU(nn.Module):
    """Previous token (and position) in, a distribution over the next token out: (B, T) -> (B, T, V)."""

    def __init__(self, vocab: int, hidden: int, positions: int, cards: list[int] | None):
        super().__init__()
        self.embed = nn.Embedding(vocab + 1, hidden)  # the extra token is "start"
        self.position = nn.Embedding(positions, hidden) if positions else None
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)
        mask = torch.zeros(max(positions, 1), vocab)
        for t, k in enumerate(cards or []):
            mask[t, k:] = float("-inf")  # column t has only k states
        self.register_buffer("mask", mask)
        self.start = vocab

    def forward(self, prev: torch.Tensor, h=None, offset: int = 0):
        e = self.embed(prev)  # (B, T, H)
        if self.position is not None:
            e = e + self.position.weight[offset:offset + prev.shape[1]]
        out, h = self.gru(e, h)
        logits = self.head(out)  # (B, T, V)
        if self.position is not None:
            logits = logits + self.mask[offset:offset + prev.shape[1]]
        return logits, h


class RNNEntrant(Entrant):
    """A small GRU, `net_`, that writes any task one token at a time; `cards_` is each
    column's number of states (None for a stream), `tokens_` the training data."""

    family, library = "rnn", "torch"
    ON_TORCH = True  # trains on the arena's device
    curve = "training NLL per token"  # the series the page draws live

    @dataclass
    class Config(EntrantConfig):
        steps: int = param(1500, "Training steps", min=1, max=50_000, step=100)
        hidden: int = param(64, "GRU hidden units", min=8, max=512, step=8)
        lr: float = param(3e-3, "Learning rate", min=1e-5, max=1e-1, log=True)
        batch_size: int = param(128, "Batch size", min=8, max=1024, step=8)
        seed: int = seed_param()

    PLAYS = {"points": lambda cfg: Binned(POINT_BINS), "digits": lambda cfg: BinnedPixels(levels=17),
             "tabular": lambda cfg: Codes(), "sequences": lambda cfg: Stream()}

    def _start_rows(self, encoding) -> None:
        """Fixed-length rows of codes: a position embedding, the softmax masked to each column's states."""
        self.cards_ = list(encoding.cardinalities_)
        self.tokens_ = torch.as_tensor(np.asarray(encoding.train_, dtype=np.int64))
        self._build(vocab=max(self.cards_), positions=len(self.cards_))

    def _start_stream(self, encoding) -> None:
        """One stream, trained on windows; its symbol frequencies start a sample."""
        vocab = encoding.n_symbols_
        self.cards_ = None
        self.tokens_ = torch.as_tensor(encoding.train_)
        self.unigram_ = np.bincount(encoding.train_, minlength=vocab) + 1.0
        self.unigram_ /= self.unigram_.sum()
        self._build(vocab, positions=0)

    def _build(self, vocab: int, positions: int) -> None:
        cfg = self.config
        self.device_ = resolve_device(self.device)
        self.gen_ = torch.Generator().manual_seed(cfg.seed)
        with seeded(cfg.seed):
            self.net_ = TokenGRU(vocab, cfg.hidden, positions, self.cards_).to(self.device_)
        self.opt_ = torch.optim.Adam(self.net_.parameters(), lr=cfg.lr)

    def _batch(self) -> torch.Tensor:
        n = self.config.batch_size
        if self.cards_ is None:  # windows of the stream
            starts = torch.randint(len(self.tokens_) - STREAM_WINDOW, (n,), generator=self.gen_)
            return self.tokens_[starts[:, None] + torch.arange(STREAM_WINDOW)]
        return self.tokens_[torch.randint(len(self.tokens_), (n,), generator=self.gen_)]

    def _nll(self, x: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood per predicted token of a batch of rows or windows."""
        if self.cards_ is None:
            prev, target = x[:, :-1], x[:, 1:]
        else:
            start = torch.full((len(x), 1), self.net_.start, device=x.device)
            prev, target = torch.cat([start, x[:, :-1]], dim=1), x
        logits, _ = self.net_(prev)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))

    def _train(self, steps: int):
        end, window = self.step_ + steps, []
        self.net_.train()
        while self.step_ < end:
            loss = self._nll(self._batch().to(self.device_))
            self.opt_.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(self.net_.parameters(), 1.0)
            self.opt_.step()
            window.append(loss.detach())
            self.step_ += 1
            if self.step_ % LOG_EVERY == 0 or self.step_ == end:
                nll = torch.stack(window).mean().item()
                if not np.isfinite(nll):
                    raise TrainingDiverged(self.step_, "compare.rnn_nan")
                window = []
                yield Progress(self.step_, end, {"training NLL per token": nll})

    @torch.inference_mode()
    def _draw(self, count: int, length: int, first: torch.Tensor) -> np.ndarray:
        """`length` tokens for each of `count` rows, fed back one at a time, starting from `first`."""
        g = torch.Generator(self.device_).manual_seed(self.config.seed + 1 + self.step_)
        prev, h, out = first.to(self.device_)[:, None], None, []
        for t in range(length):
            logits, h = self.net_(prev, h, offset=t)
            prev = torch.multinomial(F.softmax(logits[:, -1], dim=-1), 1, generator=g)
            out.append(prev)
        return torch.cat(out, dim=1).cpu().numpy()

    def _sample(self, n: int) -> np.ndarray:
        self.net_.eval()
        return self._draw(n, len(self.cards_), torch.full((n,), self.net_.start))

    def sample_streams(self, count: int, length: int) -> np.ndarray:
        """Many streams at once: the first symbol from the training frequencies, the rest from the GRU."""
        self.net_.eval()
        rng = np.random.default_rng(self.config.seed + 1 + self.step_)
        first = torch.as_tensor(rng.choice(len(self.unigram_), size=count, p=self.unigram_))
        rest = self._draw(count, length - 1, first)
        return np.hstack([first.numpy()[:, None], rest])

    def sample_stream(self, length: int) -> np.ndarray:
        return self.sample_streams(1, length)[0]

    @torch.inference_mode()
    def _stream_log_likelihood(self, x: np.ndarray) -> float:
        """One pass over the stream, the first symbol by the training frequencies."""
        self.net_.eval()
        tokens = torch.as_tensor(x, device=self.device_)[None]
        logits, _ = self.net_(tokens[:, :-1])
        logp = -F.cross_entropy(logits[0], tokens[0, 1:], reduction="sum").item()
        return (logp + np.log(self.unigram_[x[0]])) / len(x)

    @torch.inference_mode()
    def _log_p(self, codes: np.ndarray) -> np.ndarray:
        self.net_.eval()
        tokens = torch.as_tensor(np.asarray(codes, dtype=np.int64), device=self.device_)
        start = torch.full((len(tokens), 1), self.net_.start, device=self.device_)
        logits, _ = self.net_(torch.cat([start, tokens[:, :-1]], dim=1))
        return torch.log_softmax(logits, dim=-1).gather(2, tokens[..., None])[..., 0].sum(dim=1).cpu().numpy()

    def n_params(self) -> int:
        return sum(p.numel() for p in self.net_.parameters())


ENTRANT = RNNEntrant
