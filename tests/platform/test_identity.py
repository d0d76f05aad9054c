"""The programme's visibility rules: every page shows the EU emblem, served by the app, with "Co-funded by the
European Union" in the page's language and the programme's name."""
import re

import pytest


@pytest.mark.parametrize(
    ("language", "statement", "alt"),
    [
        ("en", "Co-funded by the European Union", "Flag of the European Union"),
        ("lv", "Līdzfinansē Eiropas Savienība", "Eiropas Savienības karogs"),
        ("lt", "Bendrai finansuoja Europos Sąjunga", "Europos Sąjungos vėliava"),
    ],
)
def test_every_page_shows_the_emblem_and_the_funding_statement_in_its_language(client, language, statement, alt):
    client.get("/login", headers={"Accept-Language": language})
    page = client.get("/login", headers={"Accept-Language": language}).get_data(as_text=True)
    assert f'<html lang="{language}">' in page
    footer = page.split('<footer class="site-footer">')[1]
    assert f'<img src="/static/eu-emblem.svg" alt="{alt}"' in footer and statement in footer
    assert "Interreg VI-A" in footer


def test_the_emblem_is_the_eu_flag_drawn_by_the_app(client):
    response = client.get("/static/eu-emblem.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert 'viewBox="0 0 810 540"' in svg  # 3:2
    assert re.search(r'<rect width="810" height="540" fill="#003399"/>', svg)
    assert 'fill="#FFCC00"' in svg and len(re.findall(r'<use href="#s"', svg)) == 12
    star = re.search(r'<polygon id="s" points="([^"]+)"', svg).group(1).split()
    assert len(star) == 10  # five points, five notches
