"""The tenant's home page."""
from flask import Blueprint, g, render_template
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import require
from bibnet.accounts.models import Membership
from bibnet.extensions import db
from bibnet.tenancy.models import Partner
from bibnet.web import panels

bp = Blueprint("tenancy", __name__, url_prefix="/t/<tenant_slug>")


@bp.route("/")
@require("tenant.view")
def home():
    members = db.session.execute(
        sa.select(Membership.role, sa.func.count()).where(Membership.active).group_by(Membership.role)
    ).all()
    partnerships = db.session.scalars(
        sa.select(Partner).where(Partner.tenant_id == g.tenant.id).options(joinedload(Partner.project))
    ).all()
    return render_template(
        "tenancy/home.html", members=dict(members), partnerships=partnerships, panels=panels.home_panels()
    )
