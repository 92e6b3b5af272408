"""Random forest lab: the forest as classifier, as generator (adversarial random forest) and as judge (C2ST)."""
import streamlit as st

from core import metrics
from core.models import arf, forest, forest_views
from ui import forest_panels, lab, messages, training

PAGE = "forest"
st.title("Random forest lab")
st.caption("A random forest is a classifier: it answers P(class | x). Pick its role: as a classifier, watch the "
           "out-of-bag error fall as trees are added; as a generator (an adversarial random forest), watch it "
           "learn to fool itself; as a judge, watch it tell real data from a copy.")

UPLOAD_HELP = ("A CSV with a header. Classifier: numeric feature columns and a 'label' column (else the last "
               "column is the class). Generator and judge: numeric and text (categorical) columns.")
config, upload = lab.settings(PAGE, "moons-classifier", upload=("Table (CSV)", UPLOAD_HELP))
data = messages.try_or_explain(forest.load_data, config, upload)
training.buttons(PAGE, config, lab.model_factory(PAGE, forest.load_data, forest.Forest))
job = training.current_job(PAGE)
live, scrub, theory, code = st.tabs(["Live training", "Snapshots", "Theory", "Code that ran"])
with live:
    if job is None and data is not None:
        forest_panels.data_preview(data, config)
    training.live(PAGE, lambda view: forest_panels.curves(job, view), 0.5, "curves")
    training.live(PAGE, lambda view: forest_panels.latest(job, view), 1.5, "snapshot", heavy=True)
with scrub:
    training.scrubber(PAGE, lambda snap, shots: forest_panels.snapshot_panel(snap, job, "scrub"))
with theory:
    lab.theory("forest")
with code:
    sources = {
        "generator": {"Adversarial rounds: fit real vs synthetic, resample from the leaves":
                      [arf.AdversarialForest.round, arf.AdversarialForest._resample],
                      "FORDE and FORGE: leaf boxes, per-leaf densities, sampling":
                      [arf.leaf_boxes, arf.AdversarialForest.sample, arf.AdversarialForest.log_density]},
        "classifier": {"The classifier grown a batch of trees at a time (warm_start)":
                       [forest.Forest._grow, forest_views.oob_error]},
        "judge": {"The judge: classifier two-sample test": [forest.Forest._judge, forest.judge_sets,
                                                            metrics.c2st_accuracy, metrics.c2st_band]},
    }
    role = (job.model.config if job else config).role  # the role that ran comes first, open
    training.code_tab(PAGE, config, {title: functions for r in sorted(sources, key=lambda r: r != role)
                                     for title, functions in sources[r].items()})
