"""A project's programme indicators (Interreg RCO/RCR or the programme's own): targets, values per reporting
period fed from the core's figures registry or typed with evidence, shown in the lead's project dashboard and
in the project's funding report. Reads only the core (`bibnet.figures`, `bibnet.storage`), never the features
that provide the figures."""


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.storage.views import guard_area
    from bibnet.tenants.funding_reports.programme_indicators import api as indicators_api
    from bibnet.tenants.funding_reports.programme_indicators import (
        models,  # noqa: F401  (the tables, for the migrations)
        services,
        views,
    )

    app.register_blueprint(views.bp)
    api.register_blueprint(indicators_api.blp)
    # Evidence files are reached through the project's pages only, never through a tenant's file links.
    guard_area(services.AREA, lambda stored: False)
    register_object_type("ProgrammeIndicator", _l("Programme indicator"))
    register_object_type("IndicatorValue", _l("Programme indicator value"))
    register_object_type("IndicatorEvidence", _l("Programme indicator evidence"))


def load_demo() -> None:
    from bibnet.tenants.funding_reports.programme_indicators.demo import load_demo as load

    load()
