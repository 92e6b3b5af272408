"""Where a ticking fragment goes on the page: in a container of its own that the full run draws.

Streamlit 1.67 sends a session's messages in batches (the runtime flushes each session's queue in
turn). When a fragment's own run starts while the full run that drew it is still in the unsent batch,
Streamlit drops that full run's deltas for the fragment (ForwardMsgQueue.clear with
fragment_ids_this_run), yet keeps the full run's "finished successfully". The browser then prunes the
fragment's old block as stale, and every sibling after it moves up one place; the fragment's run,
addressed by place, overwrites the sibling now in its place, or names a block no longer there
("Cannot set a node at a delta path", and the page goes white). A fragment's run right after a full
run is common here: a chart's or the status line's report from inside a fragment, sent while the
page reruns. On a loaded server (30 students on two cores) it cost about 1 page in 90 (README,
Classroom server); tests/fragment_flush_demo.py makes it happen every time.

In a container that the full run draws (no fragment id, so never dropped) the fragment's block is
that container's only child: pruning it moves nothing, and the fragment's run puts it back in place.
"""
from collections.abc import Callable

import streamlit as st


def anchored(panel: Callable[[], None]) -> None:
    """Call a fragment-decorated `panel` inside a container of the full run's own."""
    with st.container():
        panel()
