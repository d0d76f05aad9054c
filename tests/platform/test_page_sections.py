"""Page sections: a feature adds its part to another feature's page about one object, without that page importing it."""
from flask_login import login_user

from bibnet.web import panels


def test_a_page_shows_the_sections_its_reader_may_see_in_their_order(app, world):
    panels.register_page_section("test.thing", "late.html", lambda thing: {"late": thing}, "authenticated", order=90)
    panels.register_page_section("test.thing", "early.html", lambda thing: {"early": thing}, "authenticated", order=10)
    panels.register_page_section("test.thing", "admins.html", lambda thing: {"secret": thing}, "admin")
    panels.register_page_section("test.thing", "early.html", lambda thing: {"twice": thing}, "authenticated")
    with app.test_request_context():
        login_user(world.staff)
        shown = panels.page_sections("test.thing", "the thing")
    assert [(section.template, section.data) for section in shown] == [("early.html", {"early": "the thing"}), ("late.html", {"late": "the thing"})]


def test_a_page_nobody_added_to_has_no_sections(app, world):
    with app.test_request_context():
        login_user(world.staff)
        assert panels.page_sections("test.nothing", object()) == []
