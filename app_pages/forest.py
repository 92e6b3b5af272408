"""Random forest lab: not built yet (its own issue)."""
from ui import lab

lab.not_built("Random forest lab", "The random forest lab (classifier, adversarial random forest, C2ST judge)")
