"""Recurrent networks trained live: a vanilla RNN, an LSTM and a GRU from torch.nn.

A recurrent network reads a sequence one element at a time and carries a
hidden state h_t from step to step:

    h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h),    y_t = W_hy h_t + b_y

(the vanilla cell; LSTM and GRU add gates, see the Theory tab). Training
unrolls it over `seq_len` steps and back-propagates through time. The
gradient that reaches an early step is a product of one Jacobian per step,
which shrinks (or grows) geometrically with the distance for the vanilla cell:
the reason LSTMs exist. `compare_cells` trains all three cells on the same
batches in one job, so the class sees that happen side by side.

Training uses torch's fused modules (nn.RNN, nn.LSTM, nn.GRU, in
core.models.rnn_nets) for speed; core.models.rnn_views probes the same modules one step at a time to measure
dL/dh_t at every step.
"""
import copy
import dataclasses
import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.config import device_param, log_every_param, param, seed_param, snapshot_every_param
from core.data import rnn_tasks as tasks
from core.data.rnn_tasks import SeqTask
from core.device import resolve_device
from core.errors import ConfigError, DataError, TrainingDiverged
from core.models import rnn_views, torch_weights
from core.models.base import Lab
from core.models.rnn_nets import SequenceNet, make_optimizer, task_loss
from core.protocol import NoLikelihood, Progress, Snapshot
from core.seeding import seeded

TASKS = ("text", "reber", "sine", "regimes", "recall", "upload")
CELLS = ("rnn", "lstm", "gru")
OPTIMIZERS = ("adam", "rmsprop", "sgd")


def sampling_param(default, label: str, **info):
    """A setting read when sampling, not training: left out of config equality, so moving it keeps the model."""
    f = param(default, label, **info)
    return dataclasses.field(default=default, compare=False, metadata=f.metadata)


@dataclass
class RNNConfig:
    dataset: str = param("text", "Task", choices=TASKS,
                      help="text: Python's docstrings; reber: embedded Reber grammar; sine / regimes: a wave; "
                           "recall: remember the first symbol to the end; upload: your UTF-8 text")
    symbol_noise: float = param(0.0, "Symbol noise in the training text (share replaced)", min=0.0, max=0.9,
                                step=0.05, when=("dataset", ["text", "reber", "upload"]),
                                help="this share of the training text's symbols each replaced by another at random; "
                                     "the validation text that scores the model stays clean")
    cell: str = param("lstm", "Cell", choices=CELLS, help="rnn: vanilla tanh RNN; lstm; gru (all from torch.nn)")
    compare_cells: bool = param(False, "Train all three cells side by side",
                                help="RNN, LSTM and GRU, each its own network and optimiser, on the same batches")
    steps: int = param(1000, "Training steps", min=1, max=100_000, step=100)
    layers: int = param(1, "Layers", min=1, max=4)
    hidden_size: int = param(64, "Hidden size", min=2, max=512)
    embed_size: int = param(16, "Embedding size", min=2, max=128, help="symbols only; a wave is fed as numbers")
    seq_len: int = param(50, "Sequence length (BPTT steps)", min=2, max=200,
                         help="how many steps the network is unrolled for back-propagation through time")
    batch_size: int = param(32, "Batch size", min=1, max=512)
    lr: float = param(3e-3, "Learning rate", min=1e-5, max=1.0, log=True)
    optimizer: str = param("adam", "Optimiser", choices=OPTIMIZERS)
    gate_bias: float = param(1.0, "Memory-gate bias at the start", min=-5.0, max=10.0, advanced=True,
                             help="the LSTM's forget gate and the GRU's update gate: sigmoid(bias) is the share of "
                                  "its state a fresh cell keeps per step; higher remembers longer")
    dropout: float = param(0.0, "Dropout", min=0.0, max=0.9, help="on the recurrent layers' outputs")
    clip: bool = param(True, "Gradient clipping")
    max_norm: float = param(1.0, "Clip to max norm", min=0.01, max=100.0, help="used when clipping is on")
    temperature: float = sampling_param(1.0, "Sampling temperature", min=0.05, max=3.0, step=0.05,
                                        help="below 1: safer, repetitive; above 1: wilder. Redraws without retraining")
    top_k: int = sampling_param(0, "Top-k sampling", min=0, max=100,
                                help="0 = off; else sample only among the k likeliest symbols")
    seed: int = seed_param()
    device: str = device_param()
    log_every: int = log_every_param()
    snapshot_every: int = snapshot_every_param()


class RNN(Lab):
    """RNN, LSTM or GRU (or all three) with the GenLab protocol: `fit` yields progress, `sample` draws.

    Attributes
    ----------
    nets_, opts_ : dict
        cell name -> its SequenceNet and optimiser (three when `compare_cells` is on).
    grad_norm_ : dict
        cell name -> the norm of its gradient at the last report step, before clipping.
    train_, val_ : torch.Tensor
        The task's training and validation data on the device (`train_y_`, `val_y_`: recall answers).
    starts_, offsets_ : torch.Tensor
        Where training windows may start, and 0..seq_len (a window's positions).
    step_, data_, device_ : see `Lab`.
    """

    Config = RNNConfig
    FAMILY = "rnn"
    WEIGHTS_FORMAT, WEIGHTS_SUFFIX = "genlab-rnn-1", "pt"
    WEIGHTS_ERRORS = ("rnn.weights_unreadable", "rnn.weights_not_rnn", "rnn.weights_mismatch")

    # -- setup -------------------------------------------------------------
    @property
    def cells(self) -> tuple[str, ...]:
        return CELLS if self.config.compare_cells else (self.config.cell,)

    @property
    def sample_cell(self) -> str:
        """The cell that samples: the chosen one (also when the three train side by side)."""
        return self.config.cell

    def check(self, data: SeqTask) -> None:
        """Refuse settings that cannot work with this data, before any training."""
        cfg = self.config
        resolve_device(cfg.device)
        if data.kind != "recall":
            longest = min(len(data.val), len(data.train)) - 1  # a window is seq_len inputs and one more target
            if cfg.seq_len > longest:
                total = len(data.train) + len(data.val)
                unit = "chars" if data.unit == "character" else "steps"
                raise ConfigError(f"rnn.seq_too_long_{unit}", total=f"{total:,}", seq_len=cfg.seq_len,
                                  window=cfg.seq_len + 1, longest=longest)

    def _initialise(self, data: SeqTask) -> None:
        """Build the networks, optimisers and data tensors (once; later fits continue)."""
        cfg = self.config
        self.device_ = resolve_device(cfg.device)
        n_symbols = data.n_symbols if data.kind != "series" else 0
        n_out = {"chars": data.n_symbols, "series": 1, "recall": data.n_answers}[data.kind]
        self.nets_, self.opts_ = {}, {}
        for cell in self.cells:
            with seeded(cfg.seed):  # every cell starts from the same seed
                self.nets_[cell] = SequenceNet(cell, cfg, n_symbols, n_out).to(self.device_)
            self.opts_[cell] = make_optimizer(cfg.optimizer, self.nets_[cell].parameters(), cfg.lr)
        self.gen_ = torch.Generator(self.device_).manual_seed(cfg.seed)
        as_tensor = lambda a: torch.as_tensor(a, device=self.device_)  # noqa: E731
        self.train_, self.val_ = as_tensor(data.train), as_tensor(data.val)
        if data.kind == "recall":
            self.train_y_, self.val_y_ = as_tensor(data.train_y), as_tensor(data.val_y)
        else:
            last = len(data.train) - cfg.seq_len - 1
            starts = data.starts[data.starts <= last] if data.starts is not None else np.arange(last + 1)
            self.starts_ = as_tensor(starts)
        self.offsets_ = torch.arange(cfg.seq_len + 1, device=self.device_)
        self.grad_norm_ = {cell: float("nan") for cell in self.cells}
        self._good = self._state()

    def _state(self) -> dict:
        """A copy of everything training changes, to go back to if a loss blows up."""
        return {"step": self.step_, "nets": copy.deepcopy({c: n.state_dict() for c, n in self.nets_.items()}),
                "opts": copy.deepcopy({c: o.state_dict() for c, o in self.opts_.items()})}

    def _restore(self, state: dict) -> None:
        for cell in self.cells:
            self.nets_[cell].load_state_dict(state["nets"][cell])
            self.opts_[cell].load_state_dict(state["opts"][cell])
        self.step_ = state["step"]

    # -- one step ----------------------------------------------------------
    def _batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        """A batch of training windows: inputs (B, T[, 1]) and targets (B, T[, 1]), or (B,) for recall."""
        cfg = self.config
        if self.data_.kind == "recall":
            rows = torch.randint(len(self.train_), (cfg.batch_size,), device=self.device_, generator=self.gen_)
            return self.train_[rows], self.train_y_[rows]
        pick = torch.randint(len(self.starts_), (cfg.batch_size,), device=self.device_, generator=self.gen_)
        windows = self.train_[self.starts_[pick, None] + self.offsets_]  # (B, T + 1)
        if self.data_.kind == "series":
            windows = windows[..., None]
        return windows[:, :-1], windows[:, 1:]

    def _train_step(self, cell: str, x, y, measure: bool) -> torch.Tensor:
        net, opt, cfg = self.nets_[cell], self.opts_[cell], self.config
        net.train()
        out, _ = net(x)
        loss = task_loss(self.data_.kind, out, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if cfg.clip:
            norm = nn.utils.clip_grad_norm_(net.parameters(), cfg.max_norm)
        elif measure:
            norm = nn.utils.get_total_norm([p.grad for p in net.parameters() if p.grad is not None])
        if measure:
            self.grad_norm_[cell] = norm.detach()  # the norm before clipping, on report steps
        opt.step()
        return loss.detach()

    # -- the protocol ------------------------------------------------------
    def _train(self, steps: int) -> Iterator[Progress]:
        """Train `steps` more steps, every cell on the same batch.

        Every `log_every` steps a Progress with the mean training loss; every
        `snapshot_every` steps (and at the end) a Snapshot with validation loss,
        samples, the gradient through time and the hidden states. A NaN or inf
        loss puts the model back to its last snapshot and raises TrainingDiverged.
        """
        cfg = self.config
        total = self.step_ + steps
        if self.step_ == 0:
            yield Progress(0, total, {}, snapshot=self.snapshot())
        window = []
        while self.step_ < total:
            measure = (self.step_ + 1) % cfg.log_every == 0 or self.step_ + 1 == total
            x, y = self._batch()
            window.append(torch.stack([self._train_step(cell, x, y, measure) for cell in self.cells]))
            self.step_ += 1
            if self.step_ % cfg.log_every == 0 or self.step_ == total:
                yield self._report(window, total)
                window = []

    def _report(self, window: list, total: int) -> Progress:
        means = torch.stack(window).mean(0).tolist()  # one sync per report, not per step
        if not all(map(math.isfinite, means)):
            bad_step = self.step_
            self._restore(self._good)
            raise TrainingDiverged(bad_step, "rnn.diverged", back=self.step_)
        losses = {}
        for cell, loss in zip(self.cells, means):
            losses[self.key("train loss", cell)] = loss
            losses[self.key("grad norm", cell)] = float(self.grad_norm_[cell])
        snap = None
        if self.step_ % self.config.snapshot_every == 0 or self.step_ == total:
            snap = self.snapshot(final=self.step_ == total)
            self._good = self._state()
        return self._progress(total, losses, snap)

    def key(self, name: str, cell: str) -> str:
        """A series' name: 'val_loss' for one cell, 'val_loss_lstm' when the three train side by side."""
        if not self.config.compare_cells:
            return name
        return f"{name} ({cell})" if " " in name else f"{name}_{cell}"

    def sample(self, n: int, temperature: float | None = None, top_k: int | None = None) -> np.ndarray:
        """n samples from the chosen cell: strings (text lines, Reber strings, recall answers) or a continuation."""
        self.check_fitted()
        cfg = self.config
        return rnn_views.generate(self, self.sample_cell, n, cfg.temperature if temperature is None else temperature,
                                  cfg.top_k if top_k is None else top_k)

    def samples_text(self, samples: np.ndarray) -> str:
        """Strings one per line; a continuation of a wave as CSV of its values."""
        if samples.dtype.kind in "UO":
            return "\n".join(map(str, samples)) + "\n"
        return super().samples_text(samples)

    @torch.inference_mode()
    def log_likelihood(self, x: np.ndarray) -> float:
        """log P(x) in nats for a sequence of symbol codes (first symbol given), under the chosen cell."""
        if self.data_.kind != "chars":
            raise NoLikelihood("Only the character models define a likelihood here: a wave is fitted by mean "
                               "squared error, and the recall task only scores its last answer.")
        net = self.nets_[self.sample_cell].eval()
        codes = torch.as_tensor(np.asarray(x, dtype=np.int64), device=self.device_)[None]
        out, _ = net(codes[:, :-1])
        return -float(F.cross_entropy(out[0], codes[0, 1:], reduction="sum"))

    # -- weights ------------------------------------------------------------
    def save_weights(self) -> bytes:
        """Every cell's network (torch state_dicts), the step, the settings and the symbols, as one .pt file.

        The symbol table goes along so that a model of an uploaded text is
        never restored onto another text's characters.
        """
        nets = {cell: {k: v.detach().cpu() for k, v in net.state_dict().items()} for cell, net in self.nets_.items()}
        return torch_weights.save(self, symbols=list(self.data_.symbols), nets=nets)

    @classmethod
    def from_weights(cls, raw: bytes, load_data) -> tuple["RNN", SeqTask]:
        return torch_weights.restore(cls, raw, load_data)

    def _check_weights(self, state: dict, data: SeqTask) -> None:
        """torch_weights.restore's first hook: weights of one text never go onto another's characters."""
        if list(data.symbols) != list(state["symbols"]):
            raise DataError("rnn.weights_other_text")

    def _load_weights(self, state: dict, data: SeqTask) -> None:
        """torch_weights.restore's hook: every cell's saved network onto the freshly built ones."""
        if set(state["nets"]) != set(self.cells):
            raise ValueError("cells")
        for cell, net in self.nets_.items():
            net.load_state_dict(state["nets"][cell])
        self._good = self._state()

    def snapshot(self, final: bool = False) -> Snapshot:
        """Validation scores, samples, the gradient through time and the hidden states, now."""
        return rnn_views.snapshot(self, final)


LAB = RNN  # what core.families builds for this family


def load_data(config: RNNConfig, upload: bytes | None = None) -> SeqTask:
    """The task the config names, with `symbol_noise` of its training symbols replaced (core.data.contamination)."""
    task = _clean_data(config, upload)
    if not config.symbol_noise:
        return task
    if task.kind != "chars":
        raise ConfigError("quality.rnn_symbols")
    from core.data.contamination import replace_symbols
    from core.i18n import Words

    train = replace_symbols(task.train, [task.n_symbols], config.symbol_noise, config.seed)
    note = Words("quality.note.symbols", {"level": config.symbol_noise})
    return dataclasses.replace(task, train=train, notes=tuple(task.notes) + (note,))


def _clean_data(config: RNNConfig, upload: bytes | None = None) -> SeqTask:
    """The task the config names; 'upload' goes through the validated text reader."""
    if config.dataset == "upload":
        if upload is None:
            raise ConfigError("rnn.no_upload")
        task = tasks.uploaded_text(upload)
        RNN(config).check(task)  # too short for the sequence length: say so on upload, not only at Train
        return task
    if config.dataset == "text":
        return tasks.text_task(tasks.stdlib_corpus(), "Python docstrings")
    if config.dataset == "reber":
        return tasks.reber_task(seed=config.seed)
    if config.dataset == "recall":
        return tasks.recall_task(config.seq_len, seed=config.seed)
    maker = tasks.sine_series if config.dataset == "sine" else tasks.regime_series
    return tasks.series_task(maker(seed=config.seed), config.dataset)
