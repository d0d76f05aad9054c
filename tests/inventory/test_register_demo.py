"""`bibnet demo` gives Pasvalys and Jelgava their sensory rooms' equipment in the register, located in the room
(linked to the bookings' room), and five DAISY lending kits of four parts each. Loading it again adds nothing."""
from click.testing import CliRunner
from flask.cli import ScriptInfo
import pytest
import sqlalchemy as sa

from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.inventory.demo import DAISY_KIT_NAME
from bibnet.tenants.inventory.locations import Tree
from bibnet.tenants.inventory.models import Item, ItemKind, Location
from bibnet.tenants.rooms.models import Room


def _load(app):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("slug", ["pasvalys", "jelgava"])
def test_the_demo_has_each_librarys_sensory_room_equipment_and_daisy_kits(app, app_context, slug):
    _load(app)
    _load(app)
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    with tenant_scope(tenant):
        items = {item.name: item for item in db.session.scalars(sa.select(Item))}
        assert {"Bubble tube", "Fibre-optic lights", "Projector", "Weighted blanket 1", "Board games", "Magnifier 1"} <= set(items)
        assert (items["Board games"].kind, items["Board games"].quantity) == (ItemKind.QUANTITY, 12)
        kits = [items[DAISY_KIT_NAME.format(number=number)] for number in range(1, 6)]
        assert all(kit.kind is ItemKind.KIT and len(kit.parts) == 4 for kit in kits)
        room = db.session.scalar(sa.select(Room))
        in_room = db.session.scalar(sa.select(Location).where(Location.room_id == room.id))
        assert Tree.load().path(items["Bubble tube"].location_id) == f"{room.library} › {room.name}"
        assert items["Bubble tube"].location_id == in_room.id
        assert len(items) == 8 + 5 * 5
