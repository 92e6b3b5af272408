"""The Bayesian network lab's weights file: the learned network as XMLBIF, by pgmpy's writer and reader.

XMLBIF is text any Bayesian-network tool reads; nothing in it is unpickled.
core.models.bayesnet calls `save` and `restore`; this module never imports it.
"""
import json
import xml.etree.ElementTree as etree

from core.config import to_query, with_overrides
from core.errors import ConfigError, DataError, GenLabError
from core.models import bayesnet_views as views
from core.models.bayesnet_search import HillClimb, integer_frame, score_function


MAX_WEIGHTS_BYTES = 5 * 1024 * 1024


def xmlbif_writer(network):
    """pgmpy's XMLBIF writer that keeps state names as they are.

    pgmpy's writer turns every character of a state name that is not a letter,
    digit or underscore into '_' ('[0.1, 2.3]' becomes '_0_1__2_3_'), so an
    upload's binned or spelled-out states would come back under other names.
    XML escapes any text, and pgmpy's reader reads it back exactly.
    """
    from pgmpy.readwrite import XMLBIFWriter

    class ExactStates(XMLBIFWriter):
        def _make_valid_state_name(self, state_name):
            return str(state_name)

    return ExactStates(network)


def save(lab) -> bytes:
    """The learned network as XMLBIF (pgmpy's writer), with GenLab's settings and search in a PROPERTY.

    XMLBIF holds the graph and every table P(x_i | parents), with each float
    written exactly; any tool that reads XMLBIF opens it. GenLab adds one
    network-level `<PROPERTY>genlab = {json}</PROPERTY>` (XMLBIF allows a
    PROPERTY there; pgmpy's reader skips it): the settings that rebuild the
    data, the step, the learned (and PC's undirected) edges, the score per
    hill-climbing step and the learning curve. A run stopped during the search
    is saved as it stands: its graph so far with tables learned on it, and the
    climbs (graph, tabu list, score) so that Continue resumes the search.
    """
    if lab.data_ is None:
        raise ConfigError("bayesnet.no_parameters")
    network = lab.network_
    if network is None:
        network = lab._learn_parameters(views.current_edges(lab)[0] if lab.directed_ is None else None)
    state = {"format": lab.WEIGHTS_FORMAT, "settings": to_query(lab.config), "step": lab.step_,
             "directed": lab.directed_, "undirected": lab.undirected_, "scores": lab.scores_,
             "best_climb": lab.best_climb_, "curve": lab.curve_, "parameters_learned": lab.network_ is not None}
    if lab.directed_ is None:  # stopped during the search: the climbs, to go on where they were
        state["climbs"] = [{"edges": sorted(c.dag.edges()), "tabu": list(c.tabu), "score": c.score, "done": c.done}
                           for c in lab.climbs_]
    writer = xmlbif_writer(network)
    writer.network.find("NAME").text = f"genlab-{lab.data_.name}"
    prop = etree.Element("PROPERTY")
    prop.text = "genlab = " + json.dumps(state)
    writer.network.insert(1, prop)  # right after the network's NAME
    return str(writer).encode("utf-8")


def restore(cls, raw: bytes, load_data) -> tuple:
    """(lab, data): a learned network back from `save`'s XMLBIF (pgmpy's reader; nothing is unpickled).

    `load_data(config)` gives the table the settings name: the same rows,
    since sampling is seeded (an upload must be the one it was learned from).
    The file is untrusted text: no DTD or entity is accepted, the tables must
    be probability distributions (pgmpy's check), and the variables and their
    states must be those of the data.
    """
    try:
        if len(raw) > MAX_WEIGHTS_BYTES or b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
            raise ValueError("refused")
        text = raw.decode("utf-8")
        root = etree.fromstring(raw)
        props = [p.text or "" for p in root.find("NETWORK").findall("PROPERTY")]
    except (UnicodeDecodeError, ValueError, AttributeError, etree.ParseError):
        raise DataError("bayesnet.weights_not_xmlbif") from None
    found = [p.split("=", 1)[1] for p in props if p.split("=", 1)[0].strip() == "genlab"]
    try:
        state = json.loads(found[0])
        assert isinstance(state, dict) and state.get("format") == cls.WEIGHTS_FORMAT
    except (IndexError, ValueError, AssertionError):
        raise DataError("bayesnet.weights_not_genlab") from None
    try:
        lab = cls(with_overrides(cls.Config(), state["settings"]))
    except (GenLabError, KeyError, TypeError, AttributeError):  # settings this version cannot read
        raise DataError("bayesnet.weights_damaged") from None
    data = load_data(lab.config)
    lab._begin(data)
    try:
        from pgmpy.readwrite import XMLBIFReader

        network = XMLBIFReader(string=text).get_model()
        network.check_model()  # each table a probability distribution over its states
        fits = sorted(network.nodes()) == data.columns and all(
            [str(s) for s in network.get_cpds(c).state_names[c]] == states
            for c, states in zip(data.columns, data.states))
        if fits:
            _restore_search(lab, state, network)
            views.snapshot(lab)  # everything the page draws works on what was read, or the file is refused here
    except GenLabError:
        raise
    except Exception:  # anything pgmpy or the fields trip over: a damaged file, never a traceback
        raise DataError("bayesnet.weights_damaged") from None
    if not fits:
        raise DataError("bayesnet.weights_other_data", name=data.name)
    return lab, data


def _restore_search(lab, state: dict, network) -> None:
    """Put the saved search back: the learned graph, or (stopped during the search) each climb as it was."""
    def edges(saved) -> list[tuple] | None:
        return None if saved is None else [tuple(e) for e in saved]

    lab.directed_, lab.undirected_ = edges(state["directed"]), edges(state["undirected"]) or []
    lab.scores_ = [[float(v) for v in climb] for climb in state["scores"]]
    lab.best_climb_ = None if state["best_climb"] is None else int(state["best_climb"])
    lab.curve_ = [{k: int(c[k]) for k in ("rows", "seed", "shd", "cpdag_shd")} for c in state["curve"]]
    lab.step_ = int(state["step"])
    lab.network_ = network if state["parameters_learned"] else None
    if lab.network_ is not None and not _same_graph(network, lab.directed_, lab.undirected_):
        raise ValueError("the tables' parents are not the saved graph")
    if lab.directed_ is None:
        lab.frame_ = integer_frame(lab.data_)
        lab.scorer_ = score_function(lab.config, lab.frame_)
        for saved in state["climbs"]:
            climb = HillClimb(lab.config, lab.frame_, edges(saved["edges"]), lab.scorer_)
            climb.tabu.extend((kind, tuple(pair)) for kind, pair in saved["tabu"])
            climb.score, climb.done = float(saved["score"]), bool(saved["done"])
            lab.climbs_.append(climb)
        if not 0 < len(lab.climbs_) == len(lab.scores_):
            raise ValueError("the saved search has no climb to go on with")


def _same_graph(network, directed, undirected) -> bool:
    """The network's arrows are the saved graph: its arrows as they are, PC's undirected edges either way."""
    arrows = set(network.edges())
    return (directed is not None and set(directed) <= arrows and len(arrows) == len(directed) + len(undirected)
            and all((u, v) in arrows or (v, u) in arrows for u, v in undirected))
