"""Looking inside a trained RNN: samples, the gradient through time, hidden states.

Kept apart from the training code in rnn.py, which imports this module (this one
imports only the networks' module, rnn_nets). The key measurement is
||dL/dh_t|| for every step t when the loss sits at the last step T. A fused
nn.RNN/LSTM/GRU hands back only the outputs, whose .grad holds the direct path
alone; here the same module is run one step at a time, feeding its state back,
so autograd returns the true total derivative through every later step.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

from core.data.rnn_tasks import is_embedded_reber
from core.models.rnn_nets import task_loss
from core.protocol import Snapshot

N_REBER = 1000  # the issue scores validity among 1,000 generated strings
REBER_MAX_LEN = 60
N_LINES = 8  # text lines in a snapshot while training (cheap); the last snapshot draws N_LINES_FINAL
N_LINES_FINAL = 100
LINE_CHARS = 160
N_VAL_WINDOWS = 64
N_PROBE = 32
HEAT_STEPS = 60
HEAT_UNITS = 64
HORIZON = 200


def snapshot(model, final: bool = False) -> Snapshot:
    """Validation scores per cell, samples from the chosen cell, and the arrays the page draws."""
    data, metrics = model.data_, {}
    views = {"grad": {}, "grad_scale": {}, "heat": {}}
    for cell, net in model.nets_.items():
        net.eval()
        metrics.update(score(model, cell))
        views["grad"][cell] = grad_through_time(model, cell)
        g = carried(views["grad"][cell])
        metrics[model.key("grad_ratio", cell)] = float(g[0] / max(g[-1], 1e-30))
        views["heat"][cell] = hidden_heat(model, cell)
        norm = float(model.grad_norm_[cell])  # the last training step's, before clipping
        views["grad_scale"][cell] = min(1.0, model.config.max_norm / norm) if model.config.clip and norm > 0 else 1.0
    first = model.sample_cell
    if data.kind == "series":
        views["continuation"] = continuation(model)
        for cell, pred in views["continuation"]["prediction"].items():
            metrics[model.key("continuation_rmse", cell)] = float(np.sqrt(np.mean((pred - views["continuation"]["truth"]) ** 2)))
        samples = views["continuation"]["prediction"][first][:, None]
    else:
        lines = N_LINES_FINAL if final else N_LINES
        n = N_REBER if data.name == "reber" else lines if data.kind == "chars" else 20
        samples = generate(model, first, n, model.config.temperature, model.config.top_k)
        if data.name == "reber":
            metrics["valid_share"] = valid_share(samples)
    return Snapshot(model.step_, samples, metrics, views)


# -- scores ------------------------------------------------------------------------------
def val_batch(model, n: int):
    """Fixed validation windows (inputs, targets), evenly spread over the validation data."""
    data, T = model.data_, model.config.seq_len
    if data.kind == "recall":
        return model.val_[:n], model.val_y_[:n]
    starts = data.val_starts if data.val_starts is not None else np.arange(len(data.val))
    starts = starts[starts <= len(data.val) - T - 1]
    pick = starts[np.linspace(0, len(starts) - 1, min(n, len(starts))).round().astype(int)]
    windows = model.val_[torch.as_tensor(pick, device=model.device_)[:, None] + model.offsets_]
    if data.kind == "series":
        windows = windows[..., None]
    return windows[:, :-1], windows[:, 1:]


@torch.inference_mode()
def score(model, cell: str) -> dict:
    """Validation loss (nats per symbol, or squared error), perplexity, recall accuracy."""
    kind, key = model.data_.kind, model.key
    x, y = val_batch(model, 1000 if kind == "recall" else N_VAL_WINDOWS)
    out, _ = model.nets_[cell](x)
    loss = float(task_loss(kind, out, y))
    scores = {key("val_loss", cell): loss}
    if kind == "chars":
        scores[key("perplexity", cell)] = math.exp(min(loss, 50.0))
    if kind == "recall":
        scores[key("accuracy", cell)] = float((out[:, -1].argmax(-1) == y).float().mean())
    return scores


def valid_share(strings) -> float:
    return float(np.mean([is_embedded_reber(s) for s in strings])) if len(strings) else 0.0


# -- the gradient through time ------------------------------------------------------------
def grad_through_time(model, cell: str) -> dict:
    """Mean over sequences of ||dL/dh_t|| for t = 1..T, L the loss at the last step alone.

    The fused module is stepped one element at a time with its state fed
    back: exactly the network that trained (same weights, same kernels),
    unrolled so that every h_t is a tensor autograd can answer for. Returns
    {"h": ||dL/dh_t||}, and for an LSTM also {"c": ||dL/dc_t||}, its memory:
    the state it carries across time. The fused module returns h_t and c_t
    side by side, so autograd's dL/dc_t misses the path through the read-out
    h_t = o_t * tanh(c_t); `_memory_gradient` adds it back.
    """
    net, kind = model.nets_[cell], model.data_.kind
    x, y = val_batch(model, N_PROBE)
    if kind != "recall":
        y = y[:, -1:]  # the loss at the last step only
    emb, state, states = net.embed(x), None, []
    with torch.enable_grad():
        for t in range(x.shape[1]):
            out, state = net.rnn(emb[:, t : t + 1], state)
            states.append(state if isinstance(state, tuple) else (state,))  # (h_t,) or (h_t, c_t): (layers, B, H)
        logits = net.head(states[-1][0][-1])[:, None]  # (B, 1, n_out): the last output, read from h_T itself
        loss = task_loss(kind, logits, y) * len(x)  # a sum over sequences: each h_t gets its own sequence's gradient
        flat = [part for s in states for part in s]
        grads = torch.autograd.grad(loss, flat, allow_unused=True)
    grads = [g[-1] if g is not None else torch.zeros_like(p[-1]) for g, p in zip(grads, flat)]  # the top layer
    parts = len(states[0])
    g_h = torch.stack(grads[0::parts])  # (T, B, H)
    profile = {"h": g_h}
    if parts == 2:
        profile["c"] = _memory_gradient(net, emb.detach(), states, g_h, torch.stack(grads[1::parts]))
    return {k: v.norm(dim=-1).mean(dim=-1).cpu().numpy().astype(np.float64) for k, v in profile.items()}


@torch.no_grad()
def _memory_gradient(net, emb, states, g_h, g_c) -> torch.Tensor:
    """The total dL/dc_t of the top LSTM layer: dL/dc_t + dL/dh_t * o_t * (1 - tanh(c_t)^2), (T, B, H)."""
    rnn, top, H = net.rnn, net.rnn.num_layers - 1, net.rnn.hidden_size
    w_ih, w_hh = getattr(rnn, f"weight_ih_l{top}")[3 * H :], getattr(rnn, f"weight_hh_l{top}")[3 * H :]
    b = getattr(rnn, f"bias_ih_l{top}")[3 * H :] + getattr(rnn, f"bias_hh_l{top}")[3 * H :]
    h = torch.stack([s[0][-1] for s in states])  # (T, B, H)
    c = torch.stack([s[1][-1] for s in states])
    inputs = emb.transpose(0, 1) if top == 0 else torch.stack([s[0][-2] for s in states])  # the top layer's input
    h_prev = torch.cat([torch.zeros_like(h[:1]), h[:-1]])
    o = torch.sigmoid(inputs @ w_ih.T + h_prev @ w_hh.T + b)  # the output gate at each step
    return g_c + g_h * o * (1 - torch.tanh(c) ** 2)


def carried(profile: dict) -> np.ndarray:
    """The gradient of the state a cell carries through time: c_t for an LSTM, h_t otherwise."""
    return profile.get("c", profile["h"])


# -- hidden states ------------------------------------------------------------------------
@torch.inference_mode()
def hidden_heat(model, cell: str) -> dict:
    """The top layer's hidden state at each step of one validation sequence: (units, steps)."""
    data, net = model.data_, model.nets_[cell]
    x, _ = val_batch(model, 1)
    x = x[:, :HEAT_STEPS]
    h, _ = net.rnn(net.embed(x))
    if data.kind == "series":
        labels = [f"{v:.2f}" for v in x[0, :, 0].tolist()]
    else:
        labels = [data.symbols[c] for c in x[0].tolist()]
    return {"h": h[0, :, :HEAT_UNITS].T.cpu().numpy(), "labels": labels}


# -- sampling ----------------------------------------------------------------------------
@torch.inference_mode()
def sample_codes(net, prime: torch.Tensor, steps: int, temperature: float, top_k: int, gen: torch.Generator,
                 stop: int | None = None, stop_count: int = 1, blank: torch.Tensor | None = None) -> torch.Tensor:
    """Continue each row of `prime` (B, P) by `steps` symbols drawn at a temperature (and top-k).

    Rows that have produced `stop` `stop_count` times are finished; the loop
    ends when all are (what follows in a finished row is cut by the caller).
    With `blank` (codes such as space and line break), a stop counts only once
    the row has drawn something else: a text row is done with its first
    non-empty line, so no step is spent on a line nobody reads.
    """
    out, state = net(prime)
    logits, drawn = out[:, -1], []
    seen = torch.zeros(len(prime), dtype=torch.long, device=prime.device)
    began = torch.full((len(prime),), blank is None, device=prime.device)
    for _ in range(steps):
        logits = logits / max(temperature, 1e-6)
        if top_k and top_k < logits.shape[-1]:
            kth = logits.topk(top_k, dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        nxt = torch.multinomial(F.softmax(logits, dim=-1), 1, generator=gen)  # (B, 1)
        drawn.append(nxt)
        if stop is not None:
            seen += ((nxt[:, 0] == stop) & began).long()
            if blank is not None:
                began |= ~torch.isin(nxt[:, 0], blank)
            if bool((seen >= stop_count).all()):
                break
        out, state = net(nxt, state)
        logits = out[:, -1]
    return torch.cat(drawn, dim=1)


def generate(model, cell: str, n: int, temperature: float, top_k: int, seed: int | None = None) -> np.ndarray:
    """n samples: text lines, Reber strings, recall answers, or a continuation of the wave (n values)."""
    data, net = model.data_, model.nets_[cell].eval()
    gen = torch.Generator(model.device_).manual_seed(model.config.seed + model.step_ if seed is None else seed)
    if data.kind == "series":
        return continuation(model, cells=(cell,), horizon=n)["prediction"][cell][:, None]
    if data.kind == "recall":
        return recall_answers(model, cell, n)
    code = {s: i for i, s in enumerate(data.symbols)}
    if data.name == "reber":  # a string starts at B and ends at its second E (the grammar has exactly two)
        prime = torch.full((n, 1), code["B"], device=model.device_)
        codes = sample_codes(net, prime, REBER_MAX_LEN, temperature, top_k, gen, code["E"], 2).tolist()
        return np.array([_cut_reber(data.decode(row)) for row in codes], dtype=object)
    start = code.get("\n", int(data.val[0]))
    prime = torch.full((n, 1), start, device=model.device_)
    newline = code.get("\n")  # a row is done at the line break that ends its first non-empty line
    blank = torch.tensor([code[c] for c in " \t\r\n" if c in code], device=model.device_)
    rows = sample_codes(net, prime, LINE_CHARS, temperature, top_k, gen, newline, 1, blank).tolist()
    return np.array([_first_line(data.decode(row)) for row in rows], dtype=object)


def _cut_reber(s: str) -> str:
    first = s.find("E")
    second = s.find("E", first + 1) if first >= 0 else -1
    return "B" + (s[: second + 1] if second >= 0 else s)


def _first_line(s: str) -> str:
    lines = [line.strip() for line in s.split("\n") if line.strip()]
    return lines[0] if lines else ""


@torch.inference_mode()
def recall_answers(model, cell: str, n: int) -> np.ndarray:
    """'A w x z ... -> A': validation sequences and the symbol the network recalls at the end."""
    x, _ = val_batch(model, n)
    out, _ = model.nets_[cell](x)
    answers = out[:, -1].argmax(-1).tolist()
    return np.array([f"{model.data_.decode(row)} -> {model.data_.symbols[a]}" for row, a in zip(x.tolist(), answers)],
                    dtype=object)


@torch.inference_mode()
def continuation(model, cells=None, horizon: int = HORIZON) -> dict:
    """Warm up on the first seq_len validation values, then feed each prediction back in, `horizon` steps."""
    T, val = model.config.seq_len, model.data_.val
    horizon = min(horizon, len(val) - T)
    context = torch.as_tensor(val[:T], device=model.device_)[None, :, None]  # (1, T, 1)
    prediction = {}
    for cell in cells or model.cells:
        net = model.nets_[cell].eval()
        out, state = net(context)
        values = []
        for _ in range(horizon):
            nxt = out[:, -1:]  # (1, 1, 1)
            values.append(float(nxt))
            out, state = net(nxt, state)
        prediction[cell] = np.array(values)
    return {"context": val[:T].astype(np.float64), "truth": val[T : T + horizon].astype(np.float64),
            "prediction": prediction}
