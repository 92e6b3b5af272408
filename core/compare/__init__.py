"""The Compare arena: every family on the same task, trained at once, judged by the same yardsticks.

- tasks.py: the four tasks' data, split into training and held-out rows;
- base.py and one adapter per family (hmm, bayesnet, forest, rnn, gan): each
  puts the family's own library on a task behind core.protocol, declaring per
  task how it encodes the data (`PLAYS`), or says in one sentence why the
  family does not apply (`WHY_NOT`);
- encoding.py: those encodings (bins, pixels, codes, one-hot, a stream, its
  windows), shared by the entrants;
- arena.py: builds the entrants and trains them all, each in its own job;
- scoreboard.py: the yardsticks, and the table as CSV and Markdown;
- presets.py: arena-points, arena-sequences, arena-tabular, arena-digits, and the data-quality
  lessons arena-outliers and arena-few-rows;
- sweep.py: the robustness sweep, the arena at every level of one contamination
  (core.data.contamination) of the training data, judged on the same clean held-out data;
- cli.py: `python -m core compare --task points --json`; sweep_cli.py its `--sweep`.
"""
