"""The central tenant guard: reads are filtered, writes are stamped and checked, no tenant means an error."""
import logging

import pytest
import sqlalchemy as sa

from bibnet.accounts.models import Membership, Role
from bibnet.extensions import db
from bibnet.tenancy.context import TenantContextError, all_tenants, partners_of, tenant_scope
from bibnet.web.pagination import paginate


def test_a_query_on_tenant_rows_without_a_tenant_raises(world):
    with pytest.raises(TenantContextError):
        db.session.scalars(sa.select(Membership)).all()


def test_reads_see_only_the_current_tenants_rows(world):
    with tenant_scope(world.jelgava):
        emails = {m.user.email for m in db.session.scalars(sa.select(Membership))}
    assert emails == {"coordinator@jelgava.example", "staff@jelgava.example"}


def test_aggregates_and_joins_are_filtered_too(world):
    with tenant_scope(world.pasvalys):
        count = db.session.scalar(sa.select(sa.func.count(Membership.id)))
        joined = db.session.execute(sa.select(Membership.id).join(Membership.user)).all()
    assert count == 2
    assert len(joined) == 2


def test_paginated_counts_are_filtered(world, app):
    with app.test_request_context("/?per_page=1"), tenant_scope(world.jelgava):
        page = paginate(sa.select(Membership).order_by(Membership.id))
    assert page.total == 2
    assert len(page.items) == 1


def test_new_rows_are_stamped_with_the_current_tenant(world, make_user):
    someone = make_user("new@example.lv")
    with tenant_scope(world.jelgava):
        membership = Membership(user_id=someone.id, role=Role.STAFF)
        db.session.add(membership)
        db.session.commit()
        assert membership.tenant_id == world.jelgava.id


def test_a_new_row_for_another_tenant_is_refused(world, make_user):
    someone = make_user("new@example.lv")
    with tenant_scope(world.jelgava), pytest.raises(TenantContextError):
        db.session.add(Membership(user_id=someone.id, role=Role.STAFF, tenant_id=world.pasvalys.id))
        db.session.flush()
    db.session.rollback()


def test_changing_another_tenants_row_is_refused(world):
    with all_tenants(reason="test: load a row of pasvalys"):
        foreign = db.session.scalar(sa.select(Membership).where(Membership.tenant_id == world.pasvalys.id))
    with tenant_scope(world.jelgava), pytest.raises(TenantContextError):
        foreign.role = Role.COORDINATOR
        db.session.flush()
    db.session.rollback()


def test_moving_a_row_to_another_tenant_is_refused(world):
    with tenant_scope(world.jelgava):
        membership = db.session.scalars(sa.select(Membership)).first()
        membership.tenant_id = world.pasvalys.id
        with pytest.raises(TenantContextError):
            db.session.flush()
    db.session.rollback()


def test_identity_map_hits_are_rechecked_by_get_or_404(world, app):
    from werkzeug.exceptions import NotFound

    from bibnet.tenancy.queries import get_or_404

    with all_tenants(reason="test: warm the identity map"):
        foreign = db.session.scalar(sa.select(Membership).where(Membership.tenant_id == world.pasvalys.id))
    with tenant_scope(world.jelgava), pytest.raises(NotFound):
        get_or_404(Membership, foreign.id)


def test_reading_all_tenants_needs_a_reason_is_logged_and_is_read_only(world, caplog):
    with pytest.raises(ValueError), all_tenants(reason=""):
        pass
    with caplog.at_level(logging.INFO, logger="bibnet.tenancy"), all_tenants(reason="report: all partners"):
        assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 4
        membership = db.session.scalars(sa.select(Membership)).first()
        membership.active = False
        with pytest.raises(TenantContextError):
            db.session.flush()
    db.session.rollback()
    assert "cross-tenant read: report: all partners" in caplog.text


def test_the_scope_ends_with_the_block(world):
    with tenant_scope(world.jelgava):
        pass
    with pytest.raises(TenantContextError):
        db.session.scalars(sa.select(Membership)).all()


def test_a_project_report_reads_its_partners_and_no_other_tenant(world, make_tenant, make_user, caplog):
    outsider = make_tenant("elsewhere")
    make_user("someone@elsewhere.example", tenant=outsider)
    with caplog.at_level(logging.INFO, logger="bibnet.tenancy"), partners_of(world.project, reason="report: funding per partner"):
        tenants = set(db.session.scalars(sa.select(Membership.tenant_id)))
        with pytest.raises(TenantContextError):
            db.session.add(Membership(user_id=world.lead.id, role=Role.STAFF, tenant_id=world.jelgava.id))
            db.session.flush()
    db.session.rollback()
    assert tenants == {world.jelgava.id, world.pasvalys.id}
    assert "report: funding per partner" in caplog.text
