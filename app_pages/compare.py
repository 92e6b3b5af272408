"""Compare: not built yet (its own issue)."""
from ui import lab

lab.not_built("Compare", "The Compare arena (all five families on one task, one scoreboard)")
