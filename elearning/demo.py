"""Demo courses: the project's shared course on welcoming visitors to the sensory reading room (English, Latvian and
Lithuanian; three modules and an easy-read summary), and one course of Jelgava's own, in Latvian only (so an
English reader sees the language note). Staff of the demo are at every stage: Jelgava's has completed the shared
course (and holds its certificate), Pasvalys's is half-way, Augšdaugava's is overdue, and Jelgava's coordinator has
begun the library's course again as a refresher, the certificate of an earlier completion having expired.

`load_demo()` is idempotent: when the shared course exists, nothing is loaded again.
"""
from datetime import timedelta

import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.db import utcnow
from bibnet.demo import PROJECT
from bibnet.elearning import authoring, learning
from bibnet.elearning.certificates.demo import completed_long_ago
from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, Tenant

SHARED_TITLE = {
    "en": "Welcoming visitors to the sensory reading room",
    "lv": "Apmeklētāju uzņemšana sensorajā lasītavā",
    "lt": "Lankytojų priėmimas sensorinėje skaitykloje",
}
SHARED_SUMMARY = {
    "en": "How to prepare the room, welcome seniors and people with disabilities, and close a session calmly.",
    "lv": "Kā sagatavot telpu, uzņemt seniorus un cilvēkus ar invaliditāti un mierīgi noslēgt nodarbību.",
    "lt": "Kaip paruošti patalpą, priimti senjorus ir žmones su negalia bei ramiai užbaigti užsiėmimą.",
}
# (module title, [(lesson title, lesson text, required, minutes)]) per module, each text per language.
SHARED_MODULES = [
    (
        {"en": "Before the visit", "lv": "Pirms apmeklējuma", "lt": "Prieš apsilankymą"},
        [(
            {"en": "Preparing the room", "lv": "Telpas sagatavošana", "lt": "Patalpos paruošimas"},
            {
                "en": "Dim the lights, switch on the bubble tube and check that the floor is clear.\n\n- Air the room.\n- Put the weighted blankets within reach.\n- Ask the group about their needs before they come.",
                "lv": "Pritumšiniet gaismu, ieslēdziet burbuļu kolonnu un pārliecinieties, ka grīda ir brīva.\n\n- Izvēdiniet telpu.\n- Novietojiet smagās segas pa rokai.\n- Pirms apmeklējuma pajautājiet grupai par tās vajadzībām.",
                "lt": "Pritemdykite šviesą, įjunkite burbulų koloną ir patikrinkite, ar grindys laisvos.\n\n- Išvėdinkite patalpą.\n- Padėkite sunkias antklodes po ranka.\n- Prieš apsilankymą paklauskite grupės apie jos poreikius.",
            },
            True, 15,
        )],
    ),
    (
        {"en": "During the visit", "lv": "Apmeklējuma laikā", "lt": "Apsilankymo metu"},
        [
            (
                {"en": "Greeting and first minutes", "lv": "Sveiciens un pirmās minūtes", "lt": "Pasisveikinimas ir pirmosios minutės"},
                {
                    "en": "Greet each visitor by name, speak slowly and **show** the room before explaining it. Let people choose where to sit.",
                    "lv": "Sveiciniet katru apmeklētāju vārdā, runājiet lēni un vispirms **parādiet** telpu, tikai tad stāstiet. Ļaujiet cilvēkiem pašiem izvēlēties, kur sēdēt.",
                    "lt": "Pasisveikinkite su kiekvienu lankytoju vardu, kalbėkite lėtai ir pirmiau **parodykite** patalpą, tik tada aiškinkite. Leiskite žmonėms patiems pasirinkti, kur sėsti.",
                },
                True, 20,
            ),
            (
                {"en": "When a visitor is overwhelmed", "lv": "Kad apmeklētājs jūtas pārslogots", "lt": "Kai lankytojas jaučiasi per daug apkrautas"},
                {
                    "en": "Lower the light and sound, offer the quiet corner and wait. Do not touch a person without asking.",
                    "lv": "Samaziniet gaismu un skaņu, piedāvājiet kluso stūrīti un pagaidiet. Nepieskarieties cilvēkam, nepajautājot.",
                    "lt": "Sumažinkite šviesą ir garsą, pasiūlykite ramų kampelį ir palaukite. Nelieskite žmogaus neatsiklausę.",
                },
                True, 20,
            ),
        ],
    ),
    (
        {"en": "After the visit", "lv": "Pēc apmeklējuma", "lt": "Po apsilankymo"},
        [
            (
                {"en": "Closing the session", "lv": "Nodarbības noslēgums", "lt": "Užsiėmimo pabaiga"},
                {
                    "en": "Announce the end five minutes before, bring the light up slowly and record the visitors by target group.",
                    "lv": "Paziņojiet par beigām piecas minūtes iepriekš, lēni palieliniet gaismu un reģistrējiet apmeklētājus pa mērķgrupām.",
                    "lt": "Apie pabaigą praneškite prieš penkias minutes, lėtai pagarsinkite šviesą ir užregistruokite lankytojus pagal tikslines grupes.",
                },
                True, 10,
            ),
            (
                {"en": "Easy-read summary", "lv": "Kopsavilkums vieglajā valodā", "lt": "Santrauka lengvai suprantama kalba"},
                {
                    "en": "- Get the room ready.\n- Say hello. Speak slowly.\n- Let people choose.\n- Keep it calm.\n- Say goodbye.",
                    "lv": "- Sagatavojiet telpu.\n- Sasveicinieties. Runājiet lēni.\n- Ļaujiet izvēlēties.\n- Saglabājiet mieru.\n- Atvadieties.",
                    "lt": "- Paruoškite patalpą.\n- Pasisveikinkite. Kalbėkite lėtai.\n- Leiskite rinktis.\n- Išlaikykite ramybę.\n- Atsisveikinkite.",
                },
                False, 5,
            ),
        ],
    ),
]
JELGAVA_TITLE = {"lv": "Jelgavas sensorās istabas aprīkojums"}
JELGAVA_MODULES = [
    (
        {"lv": "Aprīkojums"},
        [
            ({"lv": "Burbuļu kolonna"}, {"lv": "Kolonnu ieslēdz ar slēdzi pie durvīm. Krāsas maina ar tālvadības pulti; pēc nodarbības to izslēdz."}, True, 10),
            ({"lv": "Gaismas šķiedras"}, {"lv": "Gaismas šķiedras drīkst ņemt rokās. Pēc nodarbības tās saritina un noliek kastē."}, True, 10),
        ],
    ),
]


def _course(owner: dict, title: dict, summary: dict, modules: list) -> Course:
    course = Course(**owner)
    authoring.save_course(course, title, summary)
    db.session.add(course)
    for module_title, lessons in modules:
        module = CourseModule(course=course)
        authoring.save_module(module, module_title)
        for lesson_title, content, required, minutes in lessons:
            authoring.save_lesson(Lesson(module=module), lesson_title, content, required, minutes)
    authoring.publish(course)
    db.session.flush()
    return course


def _enrol(tenant: Tenant, email: str, course: Course, lessons_done: int, due_in_days: int | None, by_email: str) -> None:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    by = db.session.scalar(sa.select(User).where(User.email == by_email))
    today = utcnow().date()
    with tenant_scope(tenant):
        learning.enrol(course, [user.id], today + timedelta(days=due_in_days) if due_in_days is not None else None, by)
        enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))
        for lesson in learning.lessons_in_order(course)[:lessons_done]:
            learning.mark_done(enrolment, lesson, course)
        db.session.flush()


def load_demo() -> None:
    project = db.session.scalar(sa.select(Project).where(Project.acronym == PROJECT["acronym"]))
    if project is None or db.session.scalar(sa.select(Course.id).where(Course.project_id == project.id)) is not None:
        return
    tenants = {tenant.slug: tenant for tenant in db.session.scalars(sa.select(Tenant))}
    shared = _course({"project_id": project.id, "validity_months": 24}, SHARED_TITLE, SHARED_SUMMARY, SHARED_MODULES)
    jelgava_course = _course({"owner_tenant_id": tenants["jelgava"].id, "validity_months": 24}, JELGAVA_TITLE, {}, JELGAVA_MODULES)
    _enrol(tenants["jelgava"], "staff@jelgava.example", shared, 5, 30, "coordinator@jelgava.example")  # completed
    _enrol(tenants["pasvalys"], "staff@pasvalys.example", shared, 2, 21, "coordinator@pasvalys.example")  # in progress
    _enrol(tenants["augsdaugava"], "staff@augsdaugava.example", shared, 1, -7, "coordinator@augsdaugava.example")  # overdue
    _enrol(tenants["jelgava"], "coordinator@jelgava.example", jelgava_course, 1, None, "coordinator@jelgava.example")
    # Jelgava's coordinator completed the library's course 25 months ago; its two-year certificate has expired and
    # the course begun above is the refresher.
    completed_long_ago(tenants["jelgava"], "coordinator@jelgava.example", jelgava_course, 25)
    db.session.commit()
