"""The organisations a library works with (social services, disability societies, care homes, schools),
its cooperation agreements with them, and whom they referred or what they co-organised.
"""


def init_app(app) -> None:
    from bibnet.tenants.organisations import models  # noqa: F401  (the tables, for the migrations)
