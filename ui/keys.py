"""The names of what a page keeps in `st.session_state`, spelled in one place.

Every entry of a page starts with the page's name: its job (`gan.job`), config
(`gan.config`), preset, URL, earlier runs, and its widgets (`gan.w.seed`). The
Compare page gives each family a page of its own below it (`compare.gan.job`,
`compare.gan.w.steps`), so ui.controls and ui.training serve one lab's config and
Compare's N family configs alike.
"""


def of(page: str, *parts: str) -> str:
    """An entry of `page`: `of("gan", "job")` is "gan.job", `of("gan", "runs", "key")` "gan.runs.key"."""
    return ".".join((page, *parts))


def widget(page: str, name: str) -> str:
    """The key of one of the page's widgets ("gan.w.seed"): a setting's, the preset picker's, the uploader's."""
    return of(page, "w", name)


def family(page: str, name: str) -> str:
    """The page of one family inside a page that trains several (Compare's "compare.gan")."""
    return of(page, name)
