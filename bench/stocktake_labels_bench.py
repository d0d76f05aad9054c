"""Stock-take scans and label PDFs at 100,000 items across 50 libraries, on PostgreSQL (not a test).

    .venv/bin/python bench/stocktake_labels_bench.py                 # starts a throwaway PostgreSQL cluster
    .venv/bin/python bench/stocktake_labels_bench.py --database-url postgresql+psycopg://…   # an empty database

Data: `--tenants` libraries (50) with `--items` items each (2,000), all in one store room, written with ORM bulk
inserts through the tenant guard. Measured through the API with Flask's test client (the app's own time: token,
tenant, loader, the scan's statements, commit): a scan of a stock-take of one library's store (p50, p95 over
`--requests` scans of distinct tags), and one PDF of 500 labels (Avery L7163, 36 pages). Targets: scan p95 < 50 ms,
500 labels < 10 s.
"""
import argparse
import os
from pathlib import Path
import re
import statistics
import sys
import tempfile
import time as clock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flask_migrate import upgrade
import sqlalchemy as sa
import throwaway_postgresql

from bibnet.accounts import services as account_services
from bibnet.accounts.models import Membership, Role, User
from bibnet.app import create_app
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Country, Tenant
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item, Location, new_public_token
from bibnet.tenants.inventory.services import format_tag

LABELS = 500


def build(tenants: int, items: int) -> list[tuple[str, str, int, list[int]]]:
    """Per library: its slug, a coordinator's API token, its store's id and its item ids."""
    built = []
    for number in range(1, tenants + 1):
        slug = f"bench{number:02d}"
        tenant = Tenant(slug=slug, name=f"Bench library {number}", country=Country.LV, default_locale="en", timezone="Europe/Riga")
        user = User(email=f"coordinator@{slug}.example", name="Bench coordinator", password_hash="x")
        db.session.add_all([tenant, user])
        db.session.flush()
        with tenant_scope(tenant):
            db.session.add(Membership(user_id=user.id, role=Role.COORDINATOR))
            ensure_shared_categories()
            category_id = db.session.scalar(sa.select(Category.id).order_by(Category.id).limit(1))
            store = Location(name="Store")
            db.session.add(store)
            db.session.flush()
            rows = [{"tag_number": tag, "tag": format_tag(tag), "name": f"Board game {tag}", "category_id": category_id, "location_id": store.id,
                     "public_token": new_public_token()} for tag in range(1, items + 1)]
            db.session.execute(sa.insert(Item), rows)
            item_ids = list(db.session.scalars(sa.select(Item.id).order_by(Item.tag_number)))
        token = account_services.issue_api_token(user, "benchmark")
        db.session.commit()
        built.append((slug, token, store.id, item_ids))
        print(f"library {number}/{tenants} written", file=sys.stderr)
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    return built


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(database_url: str, instance: Path, args) -> int:
    os.environ["BIBNET_INSTANCE_PATH"] = str(instance)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_OUTBOX": str(instance / "outbox"), "STORAGE_LOCAL_ROOT": str(instance / "files")})
    with app.app_context():
        if sa.inspect(db.engine).has_table("alembic_version"):
            raise SystemExit("The database is not empty; give the benchmark an empty database (it writes test data).")
        upgrade()
        started = clock.perf_counter()
        built = build(args.tenants, args.items)
        print(f"{args.tenants * args.items} items written in {clock.perf_counter() - started:.0f} s", file=sys.stderr)
    slug, token, store_id, item_ids = built[len(built) // 2]
    headers = {"Authorization": f"Bearer {token}"}
    api = f"/api/v1/tenants/{slug}/equipment"
    client = app.test_client()
    stocktake = client.post(f"{api}/stocktakes", json={"location_id": store_id}, headers=headers).json
    times = []
    for number in range(1, args.requests + 11):
        started = clock.perf_counter()
        response = client.post(f"{api}/stocktakes/{stocktake['id']}/scans", json={"code": format_tag(number)}, headers=headers)
        elapsed = (clock.perf_counter() - started) * 1000
        assert response.status_code == 200, response.get_data(as_text=True)
        if number > 10:  # warm-up
            times.append(elapsed)
    query = "&".join(f"item={item_id}" for item_id in item_ids[:LABELS])
    started = clock.perf_counter()
    response = client.get(f"{api}/labels.pdf?{query}&geometry=L7163", headers=headers)
    pdf_seconds = clock.perf_counter() - started
    assert response.status_code == 200 and response.get_data()[:4] == b"%PDF"
    print("| Figure | Target | Measured |\n|---|---|---|")
    print(f"| Stock-take scan (API, {len(times)} scans) | p95 < 50 ms | p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms |")
    print(f"| {LABELS} labels as one PDF (L7163, {len(response.get_data()) // 1024} KiB) | < 10 s | {pdf_seconds:.1f} s |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--items", type=int, default=2000, help="items per library (default 2,000)")
    parser.add_argument("--requests", type=int, default=200, help="measured scans (default 200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bibnet-bench-instance-") as folder:
        if args.database_url:
            return measure(re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", args.database_url), Path(folder), args)
        if not throwaway_postgresql.available():
            raise SystemExit("PostgreSQL is not installed; install it or pass --database-url.")
        with throwaway_postgresql.throwaway_cluster() as database_url:
            return measure(database_url, Path(folder), args)


if __name__ == "__main__":
    sys.exit(main())
