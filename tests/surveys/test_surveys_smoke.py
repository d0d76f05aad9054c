import re

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from conftest import csrf_token, log_in
from surveys.surveys_world import before_and_after, wellbeing_survey


def test_smoke(world, room, client):
    with tenant_scope(world.jelgava):
        template = wellbeing_survey()
        before, after = before_and_after(room, template)
        db.session.commit()
        ids = (template.id, before.id, after.id, before.code)
    log_in(client, "coordinator@jelgava.example")
    for url in ["/t/jelgava/surveys/", "/t/jelgava/surveys/bank", "/t/jelgava/surveys/templates/", "/t/jelgava/surveys/templates/new", f"/t/jelgava/surveys/templates/{ids[0]}/edit",
                "/t/jelgava/surveys/runs/new", f"/t/jelgava/surveys/runs/{ids[1]}/", f"/t/jelgava/surveys/runs/{ids[2]}/edit", f"/t/jelgava/surveys/runs/{ids[1]}/enter/paper",
                f"/s/{ids[3]}", f"/s/{ids[3]}?form=easy_read&lang=lv&faces=1", f"/s/{ids[3]}/thanks?lang=lt", "/api/v1/tenants/jelgava/surveys/bank"]:
        response = client.get(url)
        assert response.status_code in (200, 401), (url, response.get_data(as_text=True)[:3000])
    page = client.get(f"/s/{ids[3]}?form=plain&lang=en").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page) or re.search(r'id="started" name="started" type="hidden" value="([^"]+)"', page)
    print(page[:200])
