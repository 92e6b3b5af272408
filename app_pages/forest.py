"""Random forest lab: the forest as classifier, as generator (adversarial random forest) and as judge (C2ST)."""
import streamlit as st

from core import metrics
from core.models import arf, forest, forest_views
from ui import forest_panels, lab, messages, training
from ui.i18n import t

PAGE = "forest"
st.title(t("forest.title"))
st.caption(t("forest.intro"))

config, upload = lab.settings(PAGE, "moons-classifier", upload=(t("forest.upload_label"), t("forest.upload_help")))
data = messages.try_or_explain(forest.load_data, config, upload)
training.buttons(PAGE, config, lab.model_factory(PAGE, forest.load_data, forest.Forest))
job = training.current_job(PAGE)
live, scrub, theory, code = st.tabs([t("forest.tab_live"), t("forest.tab_snapshots"), t("forest.tab_theory"),
                                     t("forest.tab_code")])
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
        "generator": {t("forest.code_rounds"): [arf.AdversarialForest.round, arf.AdversarialForest._resample],
                      t("forest.code_forde"): [arf.leaf_boxes, arf.AdversarialForest.sample,
                                               arf.AdversarialForest.log_density]},
        "classifier": {t("forest.code_classifier"): [forest.Forest._grow, forest_views.oob_error]},
        "judge": {t("forest.code_judge"): [forest.Forest._judge, forest.judge_sets, metrics.c2st_accuracy,
                                           metrics.c2st_band]},
    }
    role = (job.model.config if job else config).role  # the role that ran comes first, open
    st.caption(t("forest.no_weights"))
    training.code_tab(PAGE, config, {title: functions for r in sorted(sources, key=lambda r: r != role)
                                     for title, functions in sources[r].items()})
