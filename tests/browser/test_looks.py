"""What axe does not measure: the contrast of form controls' edges and focus indicators (WCAG 1.4.11), the header on
a phone (one line, with a menu button that works by keyboard) and the coordinator's menu on a laptop (one line)."""
from playwright.sync_api import expect
import pytest

from .conftest import LANGUAGES
from .test_booking_pages import seed_bookings

pytestmark = pytest.mark.browser

# For every visible, enabled form control: the colours of its four border sides, the background around it (the first
# opaque background of its ancestors, blended over white), and, once focused, the colours of its outline and
# box-shadow. Colours are [r, g, b, alpha].
CONTROL_COLOURS = """() => {
  const parse = (text) => {
    const numbers = text.match(/[\\d.]+/g).map(Number);
    return [numbers[0], numbers[1], numbers[2], numbers.length > 3 ? numbers[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const around = (element) => {
    const layers = [];
    for (let node = element.parentElement; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] === 1) break;
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const selector = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=image]):not(:disabled),' +
    'select:not(:disabled), textarea:not(:disabled)';
  const controls = [...document.querySelectorAll(selector)].filter((el) => el.getClientRects().length && !el.closest('.visually-hidden'));
  return controls.map((el) => {
    const style = getComputedStyle(el);
    const sides = ['Top', 'Right', 'Bottom', 'Left'].filter((side) => parseFloat(style[`border${side}Width`]) > 0 && style[`border${side}Style`] !== 'none');
    const borders = sides.map((side) => parse(style[`border${side}Color`]));
    const background = around(el);
    el.focus();
    const focused = getComputedStyle(el);
    const indicators = [];
    if (focused.outlineStyle !== 'none' && parseFloat(focused.outlineWidth) > 0) indicators.push(parse(focused.outlineColor));
    for (const match of focused.boxShadow.matchAll(/rgba?\\([^)]*\\)/g)) indicators.push(parse(match[0]));
    el.blur();
    const name = el.tagName.toLowerCase() + (el.type ? `[type=${el.type}]` : '') + (el.id ? '#' + el.id : el.name ? `[name=${el.name}]` : '');
    return {name, borders, background, indicators: indicators.map((colour) => over(colour, background))};
  });
}"""


def luminance(colour) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def faint_controls(page, where: str) -> list[str]:
    """The form controls of the page whose edge or focus indicator stands less than 3:1 against the background."""
    problems = []
    controls = page.evaluate(CONTROL_COLOURS)
    assert controls, f"{where}: no form control found"
    for control in controls:
        background = control["background"]
        # Blend a translucent border over the background around the control, as it is painted.
        edges = [[*(b[i] * b[3] + background[i] * (1 - b[3]) for i in range(3)), 1] for b in control["borders"]]
        edge = min((contrast(colour, background) for colour in edges), default=0)
        if edge < 3:
            problems.append(f"{where}: {control['name']}: its border stands {edge:.2f}:1 against the background")
        focus = max((contrast(colour, background) for colour in control["indicators"]), default=0)
        if focus < 3:
            problems.append(f"{where}: {control['name']}: its focus indicator stands {focus:.2f}:1 against the background")
    return problems


def test_form_controls_and_their_focus_stand_out_3_to_1(site, world, browser_app):
    seeded = seed_bookings(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    problems = []
    pages = [
        "/profile",
        "/t/jelgava/users/invite",
        "/t/jelgava/rooms/new",
        f"/t/jelgava/rooms/{seeded.room_id}/hours",
        "/t/jelgava/rooms/closures/",
        f"/t/jelgava/bookings/new?room_id={seeded.room_id}",
        "/t/jelgava/bookings/free",
    ]
    for path in pages:
        site.goto(path)
        problems += faint_controls(site.page, path)
    site.page.goto("about:blank")  # no request of the last page still in flight to set its session cookie again
    site.page.context.clear_cookies()
    site.log_in("admin@bibnet.example")
    for path in ("/admin/users/new", "/admin/projects/new", "/admin/users/"):
        site.goto(path, 200)
        problems += faint_controls(site.page, path)
    assert not problems, "\n".join(problems)


HEADER_HEIGHT = "() => document.querySelector('header').getBoundingClientRect().height"


def test_on_a_phone_the_header_is_one_line_and_its_menu_opens_by_keyboard(site, world):
    """390 × 844 CSS px: the header takes at most an eighth of the screen; a "Menu" button opens the menus."""
    site.page.set_viewport_size({"width": 390, "height": 844})
    site.log_in("coordinator@jelgava.example")
    for language in LANGUAGES:
        site.goto("/t/jelgava/", 200)
        site.switch_language(language)
        height = site.page.evaluate(HEADER_HEIGHT)
        assert height <= 844 / 8, f"[{language}] the header is {height} px high on a phone"
        toggler = site.page.locator("header .navbar-toggler")
        rooms = site.page.locator("header nav a[href$='/rooms/']")
        assert toggler.get_attribute("aria-expanded") == "false"
        assert not rooms.is_visible()
        site.page.keyboard.press("Tab")  # the skip link
        for _ in range(5):
            site.page.keyboard.press("Tab")
            if site.page.evaluate("document.activeElement.classList.contains('navbar-toggler')"):
                break
        else:
            pytest.fail("the menu button cannot be reached with Tab")
        site.page.keyboard.press("Enter")
        rooms.wait_for(state="visible")
        assert toggler.get_attribute("aria-expanded") == "true"
        # Bootstrap ignores a toggle while the menu is still unfolding: press again once it has unfolded.
        expect(site.page.locator("header .collapsing")).to_have_count(0)  # polled by Playwright: the CSP forbids a JS expression
        site.page.keyboard.press("Enter")
        rooms.wait_for(state="hidden")
        assert toggler.get_attribute("aria-expanded") == "false"
        site.expect_no_sideways_scrolling()
        site.scan(language, f"/t/jelgava/ on a phone, {language}")
    site.check()


ROWS = """(selector) => [...new Set([...document.querySelectorAll(selector)].map((el) => Math.round(el.getBoundingClientRect().top)))]"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_coordinators_menus_fit_one_line_at_1366_px(site, world, language):
    site.page.set_viewport_size({"width": 1366, "height": 768})
    site.log_in("coordinator@jelgava.example")
    site.goto("/t/jelgava/", 200)
    site.switch_language(language)
    for menu in ("#tenant-menu nav > ul > li", "#account-menu nav li"):  # a group's own list opens below its item
        assert len(site.page.evaluate(ROWS, menu)) == 1, f"[{language}] {menu} wraps at 1366 px"
    assert site.page.locator("header .navbar-toggler").is_hidden()
    height = site.page.evaluate(HEADER_HEIGHT)
    assert height <= 120, f"[{language}] the header is {height} px high at 1366 px"


def test_on_a_phone_without_javascript_the_menus_are_open(browser, base_url, world):
    """A browser with scripts off cannot use the "Menu" button, so the menus show unfolded and the button is gone."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(base_url + "/login")
        assert page.locator("header .navbar-toggler").is_hidden()
        assert page.locator("header .language-switcher").is_visible()
    finally:
        context.close()
