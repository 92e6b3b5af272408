"""The five families' labs, one module each (hmm, bayesnet, forest, rnn, gan) on core.models.base.Lab.

The registry that lists them is core.families; importing this package loads
no family's libraries.
"""
