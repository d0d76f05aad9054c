"""Keyboard only (WCAG 2.1.1, 2.4.1, 2.4.7, 2.4.11): log in and reach the users of a library without a mouse.

Every element that receives focus on the way must be on screen, not hidden under another element (the element at the
centre of its box is the element itself or inside it) and show a focus indicator.
"""
import re

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.browser

MAX_TABS = 40

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  const style = getComputedStyle(el);
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
  return {
    name: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.getAttribute('href') ? `[href="${el.getAttribute('href')}"]` : '') + (text ? ` "${text.slice(0, 40)}"` : ''),
    id: el.id,
    href: el.getAttribute('href') || '',
    inNav: !!el.closest('nav'),
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0 && box.left < innerWidth && box.top < innerHeight,
    unobscured: !!hit && (hit === el || el.contains(hit)),
    indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
  };
}"""


class Keyboard:
    """Presses keys and checks each element that gets the focus."""

    def __init__(self, page, max_tabs: int = MAX_TABS):
        self.page = page
        self.max_tabs = max_tabs
        self.problems: list[str] = []
        self.visited: list[str] = []

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        focus = self.page.evaluate(FOCUS)
        assert focus is not None, f"after {key} on {self.page.url} nothing has the focus"
        self.visited.append(focus["name"])
        where = f"{self.page.url}: {focus['name']}"
        if not focus["onScreen"]:
            self.problems.append(f"{where} has the focus but is not on screen (2.4.7)")
        elif not focus["unobscured"]:
            self.problems.append(f"{where} has the focus but another element covers its centre (2.4.11)")
        if not focus["indicator"] and focus["id"] != "main":  # <main tabindex=-1> is only a skip-link target
            self.problems.append(f"{where} has the focus but no outline or box-shadow (2.4.7)")
        return focus

    def tab_to(self, wanted, what: str) -> dict:
        """Tab forward until `wanted(focus)` holds."""
        for _ in range(self.max_tabs):
            focus = self.press("Tab")
            if wanted(focus):
                return focus
        pytest.fail(f"{what} not reached with {self.max_tabs} Tabs on {self.page.url}; focus went: " + " → ".join(self.visited[-self.max_tabs:]))

    def skip_to_main(self) -> None:
        """The first Tab stop is the skip link; Enter moves the focus to <main>."""
        assert self.press("Tab")["href"] == "#main"
        self.page.keyboard.press("Enter")

    def log_in(self, email: str, base_url: str) -> None:
        """Log in from /login by typing only, landing on the dashboard."""
        self.page.goto("/login")
        self.skip_to_main()
        assert self.press("Tab")["id"] == "email"
        self.page.keyboard.type(email)
        assert self.press("Tab")["id"] == "password"
        self.page.keyboard.type(PASSWORD)
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(re.compile(re.escape(base_url) + r"/(#main)?$"))  # a redirect keeps the #main of the skip link

    def check(self) -> None:
        assert not self.problems, "focus problems:\n  " + "\n  ".join(self.problems)


def test_log_in_and_reach_the_users_page_with_the_keyboard_only(page, base_url):
    page.set_default_timeout(10_000)
    keys = Keyboard(page)
    page.goto("/login")
    skip_link = page.locator("a.skip-link")
    box = skip_link.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0 or box["y"] + box["height"] <= 0, "the skip link shows before it has the focus"

    focus = keys.press("Tab")
    assert focus["href"] == "#main", f"the first Tab stop is {focus['name']}, not the skip link"
    assert skip_link.is_visible()
    box = skip_link.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] >= 24 and box["height"] >= 24, f"the focused skip link is not fully on screen: {box}"

    keys.press("Enter")  # follow the skip link: the focus moves to <main>
    assert page.evaluate("document.activeElement.id") == "main"
    focus = keys.press("Tab")
    assert focus["id"] == "email", f"the first Tab stop in <main> is {focus['name']}, not the e-mail field"
    page.keyboard.type("coordinator@jelgava.example")
    assert keys.press("Tab")["id"] == "password"
    assert keys.press("Shift+Tab")["id"] == "email"
    assert keys.press("Tab")["id"] == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(base_url) + r"/(#main)?$"))  # a redirect keeps the #main of the skip link

    keys.tab_to(lambda focus: focus["href"].endswith("/t/jelgava/"), "The Jelgava link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/t/jelgava/")

    keys.tab_to(lambda focus: focus["inNav"] and focus["href"].endswith("/t/jelgava/users/"), "The Users link of the library menu")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/t/jelgava/users/$"))
    assert page.url.endswith("/t/jelgava/users/")
    heading = page.locator("main h1")
    assert heading.is_visible()
    assert "Jelgava Municipality" in heading.inner_text()
    keys.check()


def test_filter_the_audit_log_with_the_keyboard_only(page, base_url):
    """From the skip link: choose a kind of object with the arrow keys, type a date, send with Enter."""
    page.set_default_timeout(10_000)
    keys = Keyboard(page)
    keys.log_in("admin@bibnet.example", base_url)
    page.goto("/admin/audit/")
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["id"] == "object_type", "The kind of object")
    page.keyboard.type("Library m")  # a select picks the option whose label starts with what is typed
    keys.tab_to(lambda focus: focus["id"] == "since", "The first date")
    page.keyboard.type("01012020")  # a native date input: the same day whether the browser orders day or month first
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/admin/audit/\?.*object_type=Membership.*"))
    assert "since=2020-01-01" in page.url
    assert page.locator("main table tbody tr").count() >= 1
    keys.check()
