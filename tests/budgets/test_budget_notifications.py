"""Notifications about budget versions (through the core's `notify` and mail outbox): the lead hears of a draft
opened for their approval, the partner's coordinators of its approval; a refused approval tells nobody."""
from datetime import date

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.notifications import Notification
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.budgets import versions

from conftest import log_in, post_form, take_delivered_mail

pytest_plugins = ["budget_world"]


def test_opening_a_modification_tells_the_lead_it_waits_for_their_approval(app, world, jelgava_budget, client):
    log_in(client, "coordinator@jelgava.example")
    url = f"/t/jelgava/budget/{world.project.id}/"
    assert post_form(client, url + "versions/", {"confirmed": "yes"}, page=url).status_code == 302
    (mail,) = take_delivered_mail(app)
    assert mail["To"] == "lead@pasvalys.example"
    assert mail["Subject"].strip() == "Budget draft of Jelgava Municipality for your approval (InclusiveLibraries)"
    assert "Jelgava Municipality opened modification 1 of its budget in the project InclusiveLibraries." in mail.get_content()
    assert f"http://localhost/t/jelgava/budget/{world.project.id}/versions/1/" in mail.get_content()


def test_approving_tells_the_partners_coordinator_with_the_date_the_eu_way(app, world, jelgava_budget, client):
    with tenant_scope(world.jelgava):
        versions.start_draft(world.project)
        db.session.commit()
    take_delivered_mail(app)
    log_in(client, "lead@pasvalys.example")
    url = f"/t/jelgava/budget/{world.project.id}/versions/1/"
    assert post_form(client, url + "approve", {"approved_on": "2025-02-01"}, page=url).status_code == 302
    (mail,) = take_delivered_mail(app)
    assert mail["To"] == "coordinator@jelgava.example"
    assert mail["Subject"].strip() == "Budget approved: Jelgava Municipality (InclusiveLibraries)"
    assert "It is in force from 1 Feb 2025." in mail.get_content()


def test_a_refused_approval_tells_nobody(app, world, jelgava_budget):
    with tenant_scope(world.jelgava):
        draft = versions.start_draft(world.project)
        db.session.commit()
        take_delivered_mail(app)
        with pytest.raises(Refused):
            versions.approve(world.project, draft, None)
        db.session.rollback()
        with pytest.raises(Refused):
            versions.approve(world.project, draft, date(2000, 1, 1))  # before the version in force
        db.session.rollback()
    assert take_delivered_mail(app) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(Notification.kind == "budget.approved")) == 0
