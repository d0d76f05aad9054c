"""Labels of the equipment register: PDF sheets of labels (QR code, tag, name, the EU co-funding line on
funded items), and the short public page each label's QR code opens (`/i/<public_token>`): what the item is,
how to use it and whom to call, with no personal data and nothing of loans."""


def init_app(app) -> None:
    from bibnet.api import api
    from bibnet.tenants.inventory.label_printing import api as labels_api
    from bibnet.tenants.inventory.label_printing import (
        models,  # noqa: F401  (the tables, for the migrations)
        public,
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(public.bp)
    api.register_blueprint(labels_api.blp)
    views.register_sections()
