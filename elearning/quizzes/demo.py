"""The demo's quiz: the shared course's lesson "When a visitor is overwhelmed" is done by passing a quiz of three
questions (single choice, multiple choice, true or false) in English, Latvian and Lithuanian. Staff who completed
the course have a passed attempt, taken through the services as a learner would."""
import random

import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.elearning import learning
from bibnet.elearning.models import Course
from bibnet.elearning.quizzes import authoring, services
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

QUIZ_LESSON = 2  # the third lesson in reading order
QUESTIONS = [
    (
        "single",
        {"en": "A visitor is overwhelmed. What do you do first?", "lv": "Apmeklētājs jūtas pārslogots. Ko jūs darāt vispirms?", "lt": "Lankytojas jaučiasi per daug apkrautas. Ką darote pirmiausia?"},
        [
            ({"en": "Lower the light and sound", "lv": "Samazinu gaismu un skaņu", "lt": "Sumažinu šviesą ir garsą"}, True),
            ({"en": "Take the visitor by the arm", "lv": "Paņemu apmeklētāju pie rokas", "lt": "Paimu lankytoją už rankos"}, False),
            ({"en": "End the session for everyone", "lv": "Beidzu nodarbību visiem", "lt": "Užbaigiu užsiėmimą visiems"}, False),
        ],
        {"en": "Less light and sound calm the room; touching without asking can make it worse.", "lv": "Mazāk gaismas un skaņas nomierina telpu; pieskaršanās bez jautāšanas var situāciju pasliktināt.", "lt": "Mažiau šviesos ir garso nuramina patalpą; prisilietimas neatsiklausus gali pabloginti padėtį."},
    ),
    (
        "multiple",
        {"en": "Which help you welcome a group? Choose every right answer.", "lv": "Kas palīdz uzņemt grupu? Izvēlieties visas pareizās atbildes.", "lt": "Kas padeda priimti grupę? Pasirinkite visus teisingus atsakymus."},
        [
            ({"en": "Greeting each visitor by name", "lv": "Sveicināt katru apmeklētāju vārdā", "lt": "Pasisveikinti su kiekvienu lankytoju vardu"}, True),
            ({"en": "Showing the room before explaining it", "lv": "Parādīt telpu, pirms to izskaidrot", "lt": "Parodyti patalpą prieš ją aiškinant"}, True),
            ({"en": "Telling everyone where to sit", "lv": "Norādīt katram, kur sēdēt", "lt": "Nurodyti kiekvienam, kur sėsti"}, False),
        ],
        {"en": "Names and showing first help; people choose their own seat.", "lv": "Palīdz vārdi un parādīšana; cilvēki paši izvēlas vietu.", "lt": "Padeda vardai ir parodymas; žmonės patys renkasi vietą."},
    ),
    (
        "true_false",
        {"en": "You may touch a visitor to calm them without asking.", "lv": "Apmeklētājam drīkst pieskarties, lai viņu nomierinātu, nepajautājot.", "lt": "Galima paliesti lankytoją, norint jį nuraminti, neatsiklausus."},
        False,
        {"en": "Always ask before touching anyone.", "lv": "Vienmēr pajautājiet, pirms kādam pieskaraties.", "lt": "Visada paklauskite prieš ką nors paliesdami."},
    ),
]


def add_quiz(course: Course) -> None:
    lesson = learning.lessons_in_order(course)[QUIZ_LESSON]
    quiz = authoring.quiz_settings(lesson, None, pass_mark=67, attempt_limit=3, shuffle=True, draw_count=None, show_feedback=True)
    for kind, text, options, feedback in QUESTIONS:
        if kind == "true_false":
            authoring.save_question(quiz, None, kind, text, feedback, [], true_answer=options)
        else:
            authoring.save_question(quiz, None, kind, text, feedback, options)


def pass_quiz(tenant, email: str, course: Course) -> None:
    """The member of staff takes the quiz and answers every question right."""
    user = db.session.scalar(sa.select(User).where(User.email == email))
    lesson = learning.lessons_in_order(course)[QUIZ_LESSON]
    quiz = services.quiz_of_lesson(lesson.id)
    with tenant_scope(tenant):
        attempt = services.start_attempt(course, lesson, quiz, user, random.Random(11))
        answers = {question.id: [option.id for option in options if option.correct] for question, options in services.shown(attempt, quiz)}
        services.submit(attempt, course, lesson, quiz, answers)
        db.session.flush()
