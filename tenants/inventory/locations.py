"""The tree of locations (branch › room › cupboard): read whole in one statement, since a library has tens of
places, not thousands; moves that would put a location under itself are refused."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.inventory.models import Location, LocationKind

NAME_LENGTH = 120
KIND_LABELS = {
    LocationKind.BRANCH: _l("Library or branch"),
    LocationKind.ROOM: _l("Room"),
    LocationKind.STORAGE: _l("Cupboard, shelf or store"),
    LocationKind.OTHER: _l("Other place"),
}


@dataclass(frozen=True)
class PlacedLocation:
    location: Location
    depth: int
    path: str  # "Jelgava library › Sensory room › Cupboard"


class Tree:
    """Every location of the current tenant, with each one's place in the tree."""

    def __init__(self, locations: list[Location]):
        self.by_id = {location.id: location for location in locations}
        self.children: dict[int | None, list[Location]] = {}
        for location in sorted(locations, key=lambda place: (place.name.casefold(), place.id)):
            parent = location.parent_id if location.parent_id in self.by_id else None
            self.children.setdefault(parent, []).append(location)

    @classmethod
    def load(cls) -> "Tree":
        return cls(list(db.session.scalars(sa.select(Location))))

    def path(self, location_id: int | None) -> str:
        names, seen = [], set()
        while location_id in self.by_id and location_id not in seen:
            seen.add(location_id)
            names.append(self.by_id[location_id].name)
            location_id = self.by_id[location_id].parent_id
        return " › ".join(reversed(names))

    def placed(self) -> list[PlacedLocation]:
        """Depth first, each parent before its children."""
        shown: list[PlacedLocation] = []

        def walk(parent_id, depth):
            for location in self.children.get(parent_id, ()):
                shown.append(PlacedLocation(location, depth, self.path(location.id)))
                walk(location.id, depth + 1)

        walk(None, 0)
        return shown

    def with_descendants(self, location_ids) -> set[int]:
        found, waiting = set(), list(location_ids)
        while waiting:
            current = waiting.pop()
            if current in found:
                continue
            found.add(current)
            waiting.extend(child.id for child in self.children.get(current, ()))
        return found


def check_location(location: Location, parent_id: int | None, tree: Tree) -> None:
    """Refuse a parent that is not the tenant's, or that is the location itself or one of its own sub-locations."""
    if parent_id is None:
        return
    if parent_id not in tree.by_id:
        raise Refused({"parent_id": [_l("Choose a location from the list.")]})
    if location.id is not None and parent_id in tree.with_descendants([location.id]):
        raise Refused({"parent_id": [_l("A location cannot be inside itself or one of its own sub-locations.")]})


def save_location(location: Location, *, name: str, kind: LocationKind, parent_id: int | None, room_id: int | None, active: bool = True) -> Location:
    """Create or change a location; a name is unique among its siblings and a room is linked to one location."""
    from bibnet.tenants.rooms.models import Room

    tree = Tree.load()
    check_location(location, parent_id, tree)
    name = (name or "").strip()
    if not name:
        raise Refused({"name": [_l("Enter the location's name.")]})
    if len(name) > NAME_LENGTH:
        raise Refused({"name": [_l("Use at most %(max)d characters.", max=NAME_LENGTH)]})
    siblings = tree.children.get(parent_id, [])
    if any(sibling.name.casefold() == name.casefold() and sibling.id != location.id for sibling in siblings):
        raise Refused({"name": [_l("Another location here has this name.")]})
    if room_id is not None:
        if db.session.scalar(sa.select(Room.id).where(Room.id == room_id)) is None:
            raise Refused({"room_id": [_l("Choose a room from the list.")]})
        if any(other.room_id == room_id and other.id != location.id for other in tree.by_id.values()):
            raise Refused({"room_id": [_l("This room is linked to another location already.")]})
    location.name, location.kind, location.parent_id, location.room_id, location.active = name, kind, parent_id, room_id, active
    db.session.add(location)
    db.session.flush()
    return location
