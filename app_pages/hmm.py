"""HMM lab: watch Baum-Welch find the casino's loaded die, and Viterbi read the hidden states."""
from core.models import hmm, hmm_views
from ui import hmm_panels, lab, training
from ui.i18n import t

PAGE = "hmm"
config, data, job = lab.top(PAGE, "casino", hmm.load_data, hmm.HMM)
live, scrub, theory, code = lab.tabs(PAGE, "live", "snapshots", "theory", "code")
if live.shown:
    with live:
        lab.live(PAGE, hmm_panels, data, job)
if scrub.shown:
    with scrub:
        lab.snapshots(PAGE, hmm_panels, job)
if theory.shown:
    with theory:
        lab.theory(PAGE)
if code.shown:
    with code:
        training.code_tab(PAGE, config, {
            t("hmm.code.em"): [hmm.HMM._em_chunk, hmm.EMMonitor],
            t("hmm.code.matching"): [hmm_views.match_states, hmm_views.emission_cost],
        })
