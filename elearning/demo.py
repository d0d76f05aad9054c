"""Demo courses: the project's shared course on welcoming visitors to the sensory reading room (English, Latvian and
Lithuanian; three modules, every lesson with an easy-read version), and one course of Jelgava's own, in Latvian only (so an
English reader sees the language note). Staff of the demo are at every stage: Jelgava's has completed the shared
course (and holds its certificate), Pasvalys's is half-way, Augšdaugava's is overdue (though a recorded in-person
workshop covered the second module for them), and Jelgava's coordinator has begun the library's course again as a
refresher, the certificate of an earlier completion having expired.

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
from bibnet.elearning.packages.demo import add_scorm_lesson
from bibnet.elearning.quizzes import demo as quizzes_demo
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
        ],
    ),
]
# The easy-read version of each lesson of the shared course, by the lesson's English title.
SHARED_EASY_READ = {
    "Preparing the room": {
        "en": "- Get the room ready.\n- Make the light soft.\n- Ask the group what they need.",
        "lv": "- Sagatavojiet telpu.\n- Padariet gaismu maigu.\n- Pajautājiet grupai, kas tai vajadzīgs.",
        "lt": "- Paruoškite patalpą.\n- Padarykite šviesą švelnią.\n- Paklauskite grupės, ko jai reikia.",
    },
    "Greeting and first minutes": {
        "en": "- Say hello. Speak slowly.\n- Show the room.\n- Let people choose where to sit.",
        "lv": "- Sasveicinieties. Runājiet lēni.\n- Parādiet telpu.\n- Ļaujiet izvēlēties, kur sēdēt.",
        "lt": "- Pasisveikinkite. Kalbėkite lėtai.\n- Parodykite patalpą.\n- Leiskite rinktis, kur sėsti.",
    },
    "When a visitor is overwhelmed": {
        "en": "- Make the light and sound lower.\n- Offer the quiet corner.\n- Wait. Do not touch without asking.",
        "lv": "- Samaziniet gaismu un skaņu.\n- Piedāvājiet kluso stūrīti.\n- Pagaidiet. Nepieskarieties, nepajautājot.",
        "lt": "- Sumažinkite šviesą ir garsą.\n- Pasiūlykite ramų kampelį.\n- Palaukite. Nelieskite neatsiklausę.",
    },
    "Closing the session": {
        "en": "- Say that the end is near.\n- Make the light brighter, slowly.\n- Say goodbye.",
        "lv": "- Pasakiet, ka drīz būs beigas.\n- Lēni palieliniet gaismu.\n- Atvadieties.",
        "lt": "- Pasakykite, kad netrukus pabaiga.\n- Lėtai padidinkite šviesą.\n- Atsisveikinkite.",
    },
}
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
            easy_read = SHARED_EASY_READ.get(lesson_title.get("en"))
            authoring.save_lesson(Lesson(module=module), lesson_title, content, required, minutes, easy_read=easy_read)
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
    quizzes_demo.add_quiz(shared)
    jelgava_course = _course({"owner_tenant_id": tenants["jelgava"].id, "validity_months": 24}, JELGAVA_TITLE, {}, JELGAVA_MODULES)
    add_scorm_lesson(jelgava_course)  # an optional SCORM 1.2 lesson, to try the player
    _enrol(tenants["jelgava"], "staff@jelgava.example", shared, 4, 30, "coordinator@jelgava.example")  # completed
    quizzes_demo.pass_quiz(tenants["jelgava"], "staff@jelgava.example", shared)
    _enrol(tenants["pasvalys"], "staff@pasvalys.example", shared, 2, 21, "coordinator@pasvalys.example")  # in progress
    _enrol(tenants["augsdaugava"], "staff@augsdaugava.example", shared, 1, -7, "coordinator@augsdaugava.example")  # overdue
    _enrol(tenants["jelgava"], "coordinator@jelgava.example", jelgava_course, 1, None, "coordinator@jelgava.example")
    # Jelgava's coordinator completed the library's course 25 months ago; its two-year certificate has expired and
    # the course begun above is the refresher.
    completed_long_ago(tenants["jelgava"], "coordinator@jelgava.example", jelgava_course, 25)
    _workshop(tenants["augsdaugava"], shared, "staff@augsdaugava.example", "coordinator@augsdaugava.example")
    db.session.commit()


def _workshop(tenant: Tenant, course: Course, email: str, by_email: str) -> None:
    """An in-person workshop on the shared course's second module, three days ago: its lessons are in person."""
    from bibnet.elearning.workshops import services as workshops

    user = db.session.scalar(sa.select(User).where(User.email == email))
    by = db.session.scalar(sa.select(User).where(User.email == by_email))
    with tenant_scope(tenant):
        workshops.record(workshops.WorkshopInput(
            held_on=tenant.today() - timedelta(days=3), course_id=course.id, module_id=course.modules[1].id,
            facilitator="Ilona Ozola", place="Bibliotēkas lasītava", attendees=(workshops.Attendance(user.id, 80),),
        ), tenant, by)
