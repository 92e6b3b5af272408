"""Driving a lab page through Streamlit's AppTest as a teacher does: open a link, press Train, wait."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def open_lab(lab: str, upload: bytes | None = None, timeout: float = 60, **query) -> AppTest:
    """app.py with `query` in the URL, switched to app_pages/<lab>.py; `upload` as if the sidebar took it."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    if upload is not None:
        at.session_state[f"{lab}.upload"] = ("upload.csv", upload)
    at.switch_page(f"app_pages/{lab}.py")
    return at.run()


def train_to_the_end(at: AppTest, lab: str, timeout: float = 60, label: str = "Train"):
    """Press Train (`label`: its words in the page's language), wait for the job, redraw; returns the job."""
    next(b for b in at.button if b.label == label).click().run()
    job = at.session_state[f"{lab}.job"]
    job.wait(timeout)
    at.run()
    return job
