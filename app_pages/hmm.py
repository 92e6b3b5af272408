"""HMM lab: watch Baum-Welch find the casino's loaded die, and Viterbi read the hidden states."""
from core.models import hmm, hmm_views
from ui import hmm_panels, lab, training
from ui.i18n import t

PAGE = "hmm"
config, data, job = lab.top(PAGE, "casino", hmm.load_data, hmm.HMM)
live, scrub, theory, code = lab.tabs(PAGE, "live", "snapshots", "theory", "code")
with live:
    lab.live(PAGE, hmm_panels, data, job)
with scrub:
    lab.snapshots(PAGE, hmm_panels, job)
with theory:
    lab.theory(PAGE)
with code:
    training.code_tab(PAGE, config, {
        t("hmm.code.em"): [hmm.HMM._em_chunk, hmm.EMMonitor],
        t("hmm.code.matching"): [hmm_views.match_states, hmm_views.emission_cost],
    })
