"""Random forest lab: the forest as classifier, as generator (adversarial random forest) and as judge (C2ST)."""
import streamlit as st

from core import metrics
from core.models import arf, forest, forest_views
from ui import forest_panels, lab, training
from ui.i18n import t

PAGE = "forest"
config, data, job = lab.top(PAGE, "moons-classifier", forest.load_data, forest.Forest)
live, scrub, theory, code = lab.tabs(PAGE, "live", "snapshots", "theory", "code")
if live.shown:
    with live:
        lab.live(PAGE, forest_panels, data, job)
if scrub.shown:
    with scrub:
        lab.snapshots(PAGE, forest_panels, job)
if theory.shown:
    with theory:
        lab.theory(PAGE)
if code.shown:
    with code:
        sources = {
            "generator": {t("forest.code.rounds"): [arf.AdversarialForest.round, arf.AdversarialForest._resample],
                          t("forest.code.forde"): [arf.leaf_boxes, arf.AdversarialForest.sample,
                                                   arf.AdversarialForest.log_density]},
            "classifier": {t("forest.code.classifier"): [forest.Forest._grow, forest_views.oob_error]},
            "judge": {t("forest.code.judge"): [forest.Forest._judge, forest.judge_sets, metrics.c2st_accuracy,
                                               metrics.c2st_band]},
        }
        role = (job.model.config if job else config).role  # the role that ran comes first, open
        st.caption(t("forest.no_weights"))
        training.code_tab(PAGE, config, {title: functions for r in sorted(sources, key=lambda r: r != role)
                                         for title, functions in sources[r].items()})
