"""The funding link and durability of equipment: an item's invoice (and so its cost category, project and
co-financing), the durability end that follows from the project's final payment, the durability register per
project, the evidence pack per item, the lead's approval of disposing of a funded item early, and the figures
of equipment bought. Built on the inventory (`bibnet.tenants.inventory`), budgets and expenditure.
"""
from bibnet.access import TenantRole, register_permission, roles

# Invoices and co-financing are the partner's finances: its coordinator, the project lead and admins read them.
register_permission("durability.view", roles(TenantRole.COORDINATOR, TenantRole.LEAD, TenantRole.ADMIN))
register_permission("durability.decide", roles(TenantRole.LEAD, TenantRole.ADMIN))


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet import figures
    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.inventory import services as inventory
    from bibnet.tenants.inventory.durability import models, services, tasks, views  # noqa: F401  (tables, task provider)
    from bibnet.tenants.inventory.durability.figures import SOURCE
    from bibnet.web import panels

    views.init_app(app)
    figures.register(SOURCE)
    inventory.check_status_change(services.refuse_early_disposal)
    panels.register_page_section("inventory.item", "durability/_item_section.html", views.section_data, "durability.view", order=30)
    register_object_type("DisposalRequest", _l("Disposal request"))


def load_demo() -> None:
    from bibnet.tenants.inventory.durability.demo import load_demo as load

    load()
