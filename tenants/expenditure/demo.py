"""Demo expenditure: for each demo partner, invoices and payroll items whose reported amounts equal the
budget's amount of every cost category in every reporting period, to the cent, so that the consolidated
report of the last period shows the seed's 124,562.30 = 99,649.84 ERDF + 12,456.23 state + 12,456.23 municipal.

Periods 1–3 are verified, period 4 is submitted. Each partner also has a credit note paired with the invoice
it corrects (together they make the period's amount), a draft and a rejected item, which do not count.
Idempotent: a partner with any expenditure in the project is left alone.
"""
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.budgets import services as budgets
from bibnet.tenants.budgets.cofinancing import round_half_up, spread
from bibnet.tenants.budgets.demo import ACRONYM
from bibnet.tenants.budgets.models import CostCategory
from bibnet.tenants.expenditure import services
from bibnet.tenants.expenditure.models import Expenditure
from bibnet.tenants.expenditure.services import ExpenditureInput

VAT_RATE = Fraction(21, 100)  # Latvia and Lithuania alike
CORRECTED = Decimal("242.00")  # a returned item, credited in period 2

# slug -> payroll (the library itself), then per category: supplier, invoice prefix, what was bought
PARTNERS = {
    "pasvalys": {
        "payroll": ("Pasvalio Mariaus Katiliškio viešoji biblioteka", "Darbo užmokestis ir socialinio draudimo įmokos, {month}"),
        CostCategory.EQUIPMENT: ("UAB „Sensorinė erdvė“", "SE", "Sensorinės skaityklos įranga: burbulų kolona, šviesolaidžiai, minkšti baldai"),
        CostCategory.EXTERNAL: ("VšĮ „Įtraukios bibliotekos“", "IB", "Mokymai bibliotekininkams: darbas su specialiųjų poreikių lankytojais"),
        CostCategory.TRAVEL: ("UAB „Kelionių linija“", "KL", "Kelionė į partnerių bibliotekas"),
        "draft": ("UAB „Biuro prekės“", "BP", "Sensorinės skaityklos ženklinimas Brailio raštu"),
        "rejected": "Trūksta mokėjimo įrodymo. Pridėkite banko išrašą ir pateikite dar kartą.",
        "credit": "Kreditinė sąskaita: grąžinta sugadinta šviesolaidžių kilimėlio dalis",
    },
    "jelgava": {
        "payroll": ("Jelgavas novada Centrālā bibliotēka", "Darba samaksa un valsts sociālās apdrošināšanas iemaksas, {month}"),
        CostCategory.EQUIPMENT: ("SIA \"Sensorika\"", "SR", "Sensorās lasītavas aprīkojums: burbuļu kolonna, gaismas šķiedras, mīkstās mēbeles"),
        CostCategory.EXTERNAL: ("SIA \"Piekļūstamības centrs\"", "PC", "Pieejamības konsultācija un bibliotēkas telpu audits"),
        CostCategory.TRAVEL: ("SIA \"Zemgales ceļojumi\"", "ZC", "Pieredzes apmaiņas brauciens uz partneru bibliotēkām"),
        "draft": ("SIA \"Biroja preces\"", "BR", "Norādes Braila rakstā sensorajai lasītavai"),
        "rejected": "Trūkst maksājuma apliecinājuma. Pievienojiet bankas izrakstu un iesniedziet vēlreiz.",
        "credit": "Kredītrēķins: atgriezta bojāta gaismas šķiedru paklāja daļa",
    },
    "augsdaugava": {
        "payroll": ("Augšdaugavas novada Centrālā bibliotēka", "Darba samaksa un valsts sociālās apdrošināšanas iemaksas, {month}"),
        CostCategory.EQUIPMENT: ("SIA \"Rotaļu pasaule\"", "RP", "Sensorās lasītavas aprīkojums un attīstošās spēles"),
        CostCategory.EXTERNAL: ("SIA \"Latgales konsultācijas\"", "LK", "Pieejamības konsultācija"),
        CostCategory.TRAVEL: ("SIA \"Latgales ceļojumi\"", "LC", "Pieredzes apmaiņas brauciens uz partneru bibliotēkām"),
        "draft": ("SIA \"Biroja preces\"", "BR", "Norādes Braila rakstā sensorajai lasītavai"),
        "rejected": "Trūkst maksājuma apliecinājuma. Pievienojiet bankas izrakstu un iesniedziet vēlreiz.",
        "credit": "Kredītrēķins: atgriezta bojāta spēļu komplekta daļa",
    },
}
MONTHS_PER_PERIOD = 6


def vat_of(total: Decimal) -> Decimal:
    """The VAT in a total that includes 21 % VAT, half-up to the cent."""
    return total - round_half_up(Fraction(total) / (1 + VAT_RATE))


def planned_by_category_and_period(project) -> dict[tuple[CostCategory, int], Decimal]:
    """The partner's budget in force, per cost category and reporting period."""
    return {key: amount for key, amount in budgets.line_periods_of(budgets.version_in_force(project)).items() if amount}


def _month_ends(period) -> list[date]:
    """The last day of each month of the period."""
    ends, day = [], period.starts_on
    while day <= period.ends_on and len(ends) < MONTHS_PER_PERIOD:
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        ends.append(following - timedelta(days=1))
        day = following
    return ends


class _Numbers:
    """Invoice numbers per supplier prefix: SE-2024/001, SE-2024/002…"""

    def __init__(self):
        self.last: dict[str, int] = {}

    def next(self, prefix: str, day: date) -> str:
        self.last[prefix] = self.last.get(prefix, 0) + 1
        return f"{prefix}-{day.year}/{self.last[prefix]:03d}"


def _invoice(supplier, number, description, period, day, total, category, reference) -> ExpenditureInput:
    return ExpenditureInput(
        period_number=period.number, category=category.value, invoice_date=day, payment_date=min(day + timedelta(days=14), period.ends_on),
        supplier=supplier, invoice_number=number, description=description, invoice_total=total, vat=vat_of(total),
        declared_amount=total, internal_reference=reference,
    )


def _items_for(texts, category, period, amount, numbers) -> list[ExpenditureInput]:
    """Items of one category in one period that add up to `amount` exactly."""
    if category is CostCategory.STAFF:
        payroll, description = texts["payroll"]
        months = _month_ends(period)
        return [
            ExpenditureInput(
                period_number=period.number, category=category.value, invoice_date=month_end, payment_date=month_end,
                supplier=payroll, description=description.format(month=month_end.strftime("%Y-%m")), invoice_total=part, declared_amount=part,
                internal_reference=f"ALG-{month_end:%Y-%m}",
            )
            for month_end, part in zip(months, spread(amount, [Fraction(1)] * len(months)), strict=True)
        ]
    supplier, prefix, description = texts[category]
    day = period.starts_on + timedelta(days=20)
    if category is CostCategory.EQUIPMENT and period.number == 2 and amount > CORRECTED:
        invoice = _invoice(supplier, numbers.next(prefix, day), description, period, day, amount + CORRECTED, category, f"GR-{period.number}-{prefix}")
        credit_day = day + timedelta(days=30)
        credit = _invoice(supplier, numbers.next(prefix + "-KR", credit_day), texts["credit"], period, credit_day, -CORRECTED, category, f"GR-{period.number}-{prefix}-KR")
        return [invoice, credit]
    return [_invoice(supplier, numbers.next(prefix, day), description, period, day, amount, category, f"GR-{period.number}-{prefix}")]


def load_demo() -> None:
    project = db.session.scalar(sa.select(Project).where(Project.acronym == ACRONYM))
    if project is None or not project.reporting_periods:
        return
    periods = {period.number: period for period in project.reporting_periods}
    last = max(periods)
    for slug, texts in PARTNERS.items():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            continue
        with tenant_scope(tenant):
            if db.session.scalar(sa.select(Expenditure.id).where(Expenditure.project_id == project.id).limit(1)) is not None:
                continue
            planned = planned_by_category_and_period(project)
            if not planned:
                continue
            numbers = _Numbers()
            by_period: dict[int, list[Expenditure]] = {}
            for (category, number), amount in sorted(planned.items(), key=lambda entry: (entry[0][1], list(CostCategory).index(entry[0][0]))):
                for item in _items_for(texts, category, periods[number], amount, numbers):
                    by_period.setdefault(number, []).append(services.create(item, project))
            for number, items in by_period.items():
                services.submit(items)
                if number != last:
                    for item in items:
                        services.verify(item)
            supplier, prefix, description = texts["draft"]
            day = periods[last].starts_on + timedelta(days=40)
            services.create(_invoice(supplier, numbers.next(prefix, day), description, periods[last], day, Decimal("350.90"), CostCategory.EQUIPMENT, "GR-DRAFT"), project)
            rejected_day = periods[last - 1].starts_on + timedelta(days=45) if last > 1 else day
            rejected = services.create(_invoice(supplier, numbers.next(prefix, rejected_day), description, periods[max(1, last - 1)], rejected_day, Decimal("181.50"), CostCategory.EQUIPMENT, "GR-REJ"), project)
            services.submit([rejected])
            services.reject(rejected, texts["rejected"])
            db.session.commit()
