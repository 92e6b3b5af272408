"""Bayesian network lab: not built yet (its own issue)."""
from ui import lab

lab.not_built("Bayesian network lab", "The Bayesian network lab (pgmpy: structure and parameter learning, inference)")
