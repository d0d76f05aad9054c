"""A course package carries the lessons' quizzes (settings, questions, answers and which are right, feedback, every
text per language) and how long the course's certificates stay valid; an import checks every quiz with the editor's
rules first, refuses a wrong one naming the lesson and the question, and then leaves nothing behind."""
import copy
import io
import zipfile

from click.testing import CliRunner
from elearning_fixtures import make_course
from flask.cli import ScriptInfo
import pytest
from quiz_fixtures import reload
import sqlalchemy as sa
import yaml

from bibnet.cli import main
from bibnet.elearning import learning
from bibnet.elearning.models import Course, Lesson
from bibnet.elearning.packages import exchange
from bibnet.elearning.quizzes import authoring, services
from bibnet.elearning.quizzes.models import Quiz, QuizOption, QuizQuestion
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope


def quiz_course(world) -> Course:
    """A course in English and Latvian whose second lesson has a quiz with a question of each kind."""
    course = reload(make_course(owner_tenant=world.jelgava, title={"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana"}, languages=("en", "lv")))
    course.validity_months = 24
    lesson = learning.lessons_in_order(course)[1]
    quiz = authoring.quiz_settings(lesson, None, pass_mark=67, attempt_limit=3, shuffle=True, draw_count=2, show_feedback=False)
    authoring.save_question(
        quiz, None, "single", {"en": "Which light?", "lv": "Kāda gaisma?"}, {"en": "Dim light calms.", "lv": "Blāva gaisma nomierina."},
        [({"en": "Dim", "lv": "Blāva"}, True), ({"en": "Bright", "lv": "Spilgta"}, False)],
    )
    authoring.save_question(
        quiz, None, "multiple", {"en": "What helps?", "lv": "Kas palīdz?"}, {},
        [({"en": "Names", "lv": "Vārdi"}, True), ({"en": "Showing", "lv": "Parādīšana"}, True), ({"en": "Shouting", "lv": "Kliegšana"}, False)],
    )
    authoring.save_question(quiz, None, "true_false", {"en": "Touch without asking.", "lv": "Pieskarties nejautājot."}, {"en": "Ask first."}, [], true_answer=False)
    db.session.commit()
    return reload(course)


def quizzes_of(course: Course) -> list:
    """Everything a course's quizzes hold, by the lesson's place in the course (ids differ from course to course)."""
    found = []
    for place, lesson in enumerate(learning.lessons_in_order(reload(course))):
        quiz = services.quiz_of_lesson(lesson.id)
        if quiz is not None:
            found.append((place, quiz.pass_mark, quiz.attempt_limit, quiz.shuffle, quiz.draw_count, quiz.show_feedback, [
                (question.kind.value, question.text, question.feedback, [(option.text, option.correct) for option in question.options])
                for question in quiz.questions
            ]))
    return found


def exported(course: Course) -> bytes:
    return b"".join(exchange.stream_zip(exchange.export_parts(reload(course))))


def course_yaml(data: bytes) -> dict:
    return yaml.safe_load(zipfile.ZipFile(io.BytesIO(data)).read("course.yaml"))


def with_document(data: bytes, change) -> bytes:
    """The package with course.yaml changed by `change(document)`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    document = yaml.safe_load(source.read("course.yaml"))
    change(document)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            archive.writestr(name, yaml.safe_dump(document, allow_unicode=True) if name == "course.yaml" else source.read(name))
    return buffer.getvalue()


def rows() -> dict[str, int]:
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Course, Lesson, Quiz, QuizQuestion, QuizOption)}


def test_course_yaml_holds_the_quiz_by_its_lessons_file_with_settings_questions_and_right_answers(world):
    document = course_yaml(exported(quiz_course(world)))
    assert document["validity_months"] == 24
    [quiz] = document["quizzes"]
    assert {key: value for key, value in quiz.items() if key != "questions"} == {
        "lesson": "01-02", "pass_mark": 67, "attempt_limit": 3, "shuffle": True, "draw_count": 2, "show_feedback": False}
    assert quiz["questions"][0] == {
        "kind": "single", "text": {"en": "Which light?", "lv": "Kāda gaisma?"}, "feedback": {"en": "Dim light calms.", "lv": "Blāva gaisma nomierina."},
        "options": [{"text": {"en": "Dim", "lv": "Blāva"}, "correct": True}, {"text": {"en": "Bright", "lv": "Spilgta"}, "correct": False}],
    }
    assert [option["correct"] for option in quiz["questions"][2]["options"]] == [False, True]  # true, then false
    assert "lt" in document["languages"]  # the platform's true-or-false answers are in every language


def test_a_round_trip_keeps_every_quiz_setting_text_and_right_answer_and_the_validity(world):
    course = quiz_course(world)
    with tenant_scope(world.jelgava):
        imported = exchange.import_package(exported(course), "en", owner_tenant_id=world.jelgava.id)
        db.session.commit()
    assert imported.id != course.id
    assert quizzes_of(imported) == quizzes_of(course) and len(quizzes_of(imported)[0][-1]) == 3
    assert imported.validity_months == 24


def test_a_package_without_quizzes_or_validity_still_imports(world):
    course = reload(make_course(owner_tenant=world.jelgava))
    data = with_document(exported(course), lambda document: document.pop("validity_months"))
    assert "quizzes" not in course_yaml(data)
    with tenant_scope(world.jelgava):
        imported = exchange.import_package(data, "en", owner_tenant_id=world.jelgava.id)
    assert quizzes_of(imported) == [] and imported.validity_months is None


def _question(document, number):
    return document["quizzes"][0]["questions"][number - 1]


@pytest.mark.parametrize("change, where, reason", [
    (lambda d: [o.update(correct=False) for o in _question(d, 2)["options"]], "quizzes, 01-02, questions 2, options", "at least one answer as right"),
    (lambda d: [o.update(correct=True) for o in _question(d, 1)["options"]], "quizzes, 01-02, questions 1, options", "exactly one answer as right"),
    (lambda d: [o.update(correct=True) for o in _question(d, 3)["options"]], "quizzes, 01-02, questions 3, options", "exactly one answer as right"),
    (lambda d: d["quizzes"][0].update(pass_mark=101), "quizzes, 01-02, pass_mark", "from 0 to 100"),
    (lambda d: d["quizzes"][0].update(attempt_limit=0), "quizzes, 01-02, attempt_limit", "leave it empty for no limit"),
    (lambda d: _question(d, 1).update(kind="matching"), "quizzes, 01-02, questions 1, kind", "single, multiple, true_false"),
    (lambda d: _question(d, 1).update(text={"de": "Welches Licht?"}), "quizzes, 01-02, questions 1, text", "not a language of BibNet"),
    (lambda d: _question(d, 1).update(text={"en": " "}), "quizzes, 01-02, questions 1, text", "at least one language"),
    (lambda d: _question(d, 1)["options"][1].update(text={"en": "x" * 501}), "questions 1, options 2, text, en", "500 characters"),
    (lambda d: _question(d, 1)["options"].extend({"text": {"en": f"More {n}"}} for n in range(5)), "questions 1, options", "from 2 to 6 answers"),
    (lambda d: d["quizzes"][0].update(lesson="01-09"), "quizzes 1, lesson", "one of the lessons of course.yaml"),
    (lambda d: d["quizzes"].append(copy.deepcopy(d["quizzes"][0])), "quizzes, 01-02", "two quizzes"),
])
def test_a_wrong_quiz_is_refused_naming_the_lesson_and_question_and_nothing_is_imported(world, change, where, reason):
    data = with_document(exported(quiz_course(world)), change)
    before = rows()
    with tenant_scope(world.jelgava), pytest.raises(Refused) as refused:
        exchange.import_package(data, "en", owner_tenant_id=world.jelgava.id)
    assert where in refused.value.summary() and reason in refused.value.summary()
    db.session.rollback()
    assert rows() == before


def test_a_validity_outside_1_to_240_months_is_refused(world):
    data = with_document(exported(quiz_course(world)), lambda document: document.update(validity_months=0))
    with tenant_scope(world.jelgava), pytest.raises(Refused, match="validity_months"):
        exchange.import_package(data, "en", owner_tenant_id=world.jelgava.id)


def test_a_refusal_by_the_quiz_services_after_the_course_was_created_leaves_nothing_behind(world, monkeypatch):
    """The checks passed, the course, its lessons and the quiz's first question are written, then the editor refuses
    the second question (as if a rule had changed meanwhile): the import is refused naming it, and no row remains."""
    data = exported(quiz_course(world))
    before = rows()
    save_question = authoring.save_question
    questions = []

    def refusing_the_second(*args, **kwargs):
        questions.append(args)
        if len(questions) == 2:
            raise Refused({"text_en": ["A rule changed."]})
        return save_question(*args, **kwargs)

    monkeypatch.setattr(authoring, "save_question", refusing_the_second)
    with tenant_scope(world.jelgava), pytest.raises(Refused) as refused:
        exchange.import_package(data, "en", owner_tenant_id=world.jelgava.id)
    assert "quizzes, 01-02, questions 2" in refused.value.summary() and "A rule changed." in refused.value.summary()
    db.session.rollback()
    assert rows() == before


def test_the_demo_shared_course_exports_and_imports_with_its_quiz(app, app_context):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    shared = reload(db.session.scalar(sa.select(Course).where(Course.project_id.is_not(None))))
    imported = exchange.import_package(exported(shared), "lv", project_id=shared.project_id)
    db.session.commit()
    assert quizzes_of(imported) == quizzes_of(shared) and len(quizzes_of(imported)) == 1
    assert sorted(quizzes_of(imported)[0][-1][0][1]) == ["en", "lt", "lv"]
    assert imported.validity_months == shared.validity_months == 24
