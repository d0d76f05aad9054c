"""Impact surveys: a shared item bank per outcome area in plain, easy-read and large-print forms, templates,
runs about a programme, a room or a course, anonymous responses online, on paper or assisted, and results
with small numbers suppressed.
"""


def init_app(app) -> None:
    from bibnet.tenants.surveys import models  # noqa: F401  (the tables, for the migrations)
