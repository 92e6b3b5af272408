"""The recurrent networks of the RNN lab and what they are trained on: torch.nn's fused cells.

A SequenceNet embeds symbols (or takes numbers), runs one recurrent stack from
torch.nn (RNN, LSTM or GRU) and reads every step out through a linear head.
core.models.rnn trains it; core.models.rnn_views looks inside it.
"""
import torch
import torch.nn.functional as F
from torch import nn


class SequenceNet(nn.Module):
    """Symbols (B, T) or numbers (B, T, 1) -> one recurrent stack from torch.nn -> outputs (B, T, n_out)."""

    def __init__(self, cell: str, cfg, n_symbols: int, n_out: int):
        super().__init__()
        self.cell = cell
        self.embed = nn.Embedding(n_symbols, cfg.embed_size) if n_symbols else nn.Identity()
        n_in = cfg.embed_size if n_symbols else 1
        kind = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        extra = {"nonlinearity": "tanh"} if cell == "rnn" else {}
        self.rnn = kind(n_in, cfg.hidden_size, cfg.layers, batch_first=True,
                        dropout=cfg.dropout if cfg.layers > 1 else 0.0, **extra)
        self.drop = nn.Dropout(cfg.dropout)
        self.head = nn.Linear(cfg.hidden_size, n_out)
        if cell != "rnn":  # a positive memory-gate bias: remember by default (Jozefowicz et al. 2015)
            with torch.no_grad():
                for name, bias in self.rnn.named_parameters():
                    if name.startswith("bias_ih"):  # torch's gate order: LSTM i, f, g, o; GRU r, z, n
                        bias[cfg.hidden_size : 2 * cfg.hidden_size] = cfg.gate_bias

    def forward(self, x, state=None):
        h, state = self.rnn(self.embed(x), state)  # h: (B, T, H), the top layer's state at every step
        return self.head(self.drop(h)), state


def task_loss(kind: str, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Next symbol (cross-entropy, nats), next value (mean squared error), or the recalled symbol at the end."""
    if kind == "chars":
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
    if kind == "series":
        return F.mse_loss(out, y)
    return F.cross_entropy(out[:, -1], y)  # recall: only the last step is judged


def make_optimizer(name: str, params, lr: float) -> torch.optim.Optimizer:
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    return torch.optim.SGD(params, lr=lr, momentum=0.9)
