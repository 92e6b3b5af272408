"""Streamlit-side helpers shared by the pages: controls, live training, messages.

core/ never imports streamlit; this package is the only place besides the pages
that does, and it holds no model logic.
"""
