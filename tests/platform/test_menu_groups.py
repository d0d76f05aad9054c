"""The tenant menu: features register pages; pages of a group show as one item that opens their list."""
from flask import g

from bibnet.web import menu


def test_a_group_is_one_item_where_its_first_entry_was_registered_and_lists_its_pages(app, monkeypatch):
    monkeypatch.setattr(menu, "_entries", [])
    monkeypatch.setattr(menu, "allowed", lambda permission: permission != "hidden")
    menu.register("Rooms", "web.dashboard", "any")
    menu.register("Partners", "accounts.login", "any", group="Outreach")
    menu.register("Help", "help.index", "any")
    menu.register("Surveys", "web.privacy_notice", "any", group="Outreach")
    menu.register("Secret", "accounts.logout", "hidden", group="Secret group")
    with app.test_request_context("/login"):
        g.tenant = None
        items = menu.tenant_menu()
    assert [item["label"] for item in items] == ["Rooms", "Outreach", "Help"]
    group = items[1]
    assert [entry["label"] for entry in group["entries"]] == ["Partners", "Surveys"]
    assert group["current"] and group["entries"][0]["current"] and not group["entries"][1]["current"]


def test_registering_an_endpoint_twice_keeps_one_entry(monkeypatch):
    monkeypatch.setattr(menu, "_entries", [])
    menu.register("Rooms", "rooms.index", "tenant.view")
    menu.register("Rooms", "rooms.index", "tenant.view")
    assert len(menu._entries) == 1
