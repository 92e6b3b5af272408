"""RNN lab: not built yet (its own issue)."""
from ui import lab

lab.not_built("RNN lab", "The RNN lab (vanilla RNN, LSTM, GRU and their gradients through time)")
