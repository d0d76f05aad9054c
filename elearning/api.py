"""API: the courses a library sees, their outlines and lessons, the learner's enrolments and progress, and the
coordinator's enrolling and progress matrix.

The course and lesson a URL names are loaded by the core before the view (`elearning.lookups`): a course the
library may not see, and a lesson outside the course, are a 404 like on the pages. Every write goes through
`learning` and is committed here on success; its refusals are the core's problem+json (422 with field errors).
"""
from flask import abort, g
from flask_login import current_user
from flask_smorest import Blueprint
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import allowed, require
from bibnet.accounts.models import Role
from bibnet.elearning import (
    learning,
    lookups,  # noqa: F401  (the URL's course and lesson)
    progress,
)
from bibnet.elearning.catalogue import published_for_current_tenant, visible_to
from bibnet.elearning.content import render
from bibnet.elearning.languages import available, choose, preferred_locales
from bibnet.elearning.models import Course, CourseStatus, Enrolment, Texts
from bibnet.elearning.schemas import (
    CourseDetailSchema,
    CoursePageSchema,
    EnrolInputSchema,
    EnrolledSchema,
    LanguageArgs,
    LanguagePageArgs,
    LessonContentSchema,
    LessonDoneSchema,
    MyEnrolmentPageSchema,
    ProgressMatrixSchema,
)
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.web.pagination import paginate

blp = Blueprint("api_elearning", __name__, url_prefix="/api/v1/tenants/<tenant_slug>/elearning", description="Staff e-learning: courses, lessons, enrolments and progress")

COURSE = "/courses/<int:course_id>"
LESSON = COURSE + "/lessons/<int:lesson_id>"


def _order(lang: str | None) -> list[str]:
    """The languages to read in: the one asked for first, then the caller's, the library's and any other."""
    return list(dict.fromkeys(([lang] if lang else []) + preferred_locales()))


def _localised(texts: Texts | None, order: list[str]) -> dict:
    chosen = choose(texts, order)
    return {"text": chosen.text, "locale": chosen.locale, "fell_back": chosen.fell_back}


def _course(course: Course, order: list[str]) -> dict:
    return {
        "id": course.id, "title": _localised(course.title, order), "summary": _localised(course.summary, order),
        "status": course.status, "project_id": course.project_id, "published_at": course.published_at,
    }


def _progress_of(enrolment: Enrolment | None) -> dict | None:
    if enrolment is None:
        return None
    required = learning.required_lesson_counts([enrolment.course_id])
    return progress.figures(enrolment, required, learning.done_required_counts([enrolment.id]), g.tenant.today())


def _readable(course: Course) -> Course:
    """A draft is read by its authors only; to everyone else it does not exist."""
    if not (course.is_published or allowed("elearning.author")):
        abort(404)
    return course


# Learners -----------------------------------------------------------------------------------------------------------


@blp.route("/courses")
@require("elearning.learn")
@blp.arguments(LanguagePageArgs, location="query", as_kwargs=True)
@blp.response(200, CoursePageSchema)
def list_courses(page, per_page, lang=None):
    """The courses the library sees: its own and its projects' published courses (coordinators: the library's drafts too)"""
    statement = published_for_current_tenant()
    if allowed("elearning.author"):
        statement = sa.select(Course).where(visible_to(g.tenant.id), sa.or_(Course.status == CourseStatus.PUBLISHED, Course.owner_tenant_id == g.tenant.id))
    listed = paginate(statement.order_by(Course.project_id.is_not(None), Course.id), page=page, per_page=per_page)
    order = _order(lang)
    listed.items = [_course(course, order) for course in listed.items]
    return listed


@blp.route(COURSE)
@require("elearning.learn")
@blp.arguments(LanguageArgs, location="query", as_kwargs=True)
@blp.response(200, CourseDetailSchema)
def get_course(course, lang=None):
    """A course with its outline: modules and lessons in reading order, which of them the caller has done, and where to resume"""
    _readable(course)
    order = _order(lang)
    enrolment = learning.current_enrolment(current_user.id, course.id)
    done = learning.done_lesson_ids(enrolment)
    resume = learning.first_unfinished(course, done)
    modules = [
        {
            "id": module.id, "title": _localised(module.title, order),
            "lessons": [
                {
                    "id": lesson.id, "title": _localised(lesson.title, order), "required": lesson.required,
                    "estimated_minutes": lesson.estimated_minutes, "languages": available(lesson.content), "done": lesson.id in done,
                }
                for lesson in module.lessons
            ],
        }
        for module in course.modules
    ]
    return {**_course(course, order), "modules": modules, "enrolment": _progress_of(enrolment), "resume_lesson_id": resume.id if resume else None}


@blp.route(LESSON)
@require("elearning.learn")
@blp.arguments(LanguageArgs, location="query", as_kwargs=True)
@blp.response(200, LessonContentSchema)
def get_lesson(course, lesson, lang=None):
    """A lesson's text as safe HTML, in the language asked for (or the caller's), else the library's, else any; says which"""
    _readable(course)
    order = _order(lang)
    # The language of the lesson's text, or of its title when it has no text yet (as on the lesson page).
    chosen = choose(lesson.content, order) if available(lesson.content) else choose(lesson.title, order)
    shown = chosen.locale or chosen.wanted
    following = learning.next_lesson(course, lesson)
    return {
        "id": lesson.id, "course_id": course.id, "module_id": lesson.module_id,
        "title": lesson.title.get(shown) or choose(lesson.title, order).text, "html": str(render(lesson.content.get(shown, ""))),
        "locale": chosen.locale, "wanted": chosen.wanted, "fell_back": chosen.fell_back, "languages": available(lesson.content),
        "required": lesson.required, "estimated_minutes": lesson.estimated_minutes,
        "done": lesson.id in learning.done_lesson_ids(learning.current_enrolment(current_user.id, course.id)),
        "next_lesson_id": following.id if following else None,
    }


@blp.route(LESSON + "/done", methods=["POST"])
@require("elearning.learn")
@blp.response(200, LessonDoneSchema)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")
def mark_lesson_done(course, lesson):
    """Record that the caller has done the lesson (again: no change); the course completes when every required lesson is done.
    Reading an optional course's lesson starts it"""
    _readable(course)
    enrolment = learning.current_enrolment(current_user.id, course.id)
    if enrolment is None:
        enrolment = learning.start(course, current_user)
    completed = learning.mark_done(enrolment, lesson, course)
    following = learning.next_lesson(course, lesson)
    answer = {"enrolment": _progress_of(enrolment), "completed_course": completed, "next_lesson_id": following.id if following else None}
    db.session.commit()
    return answer


@blp.route("/enrolments/mine")
@require("elearning.learn")
@blp.arguments(LanguagePageArgs, location="query", as_kwargs=True)
@blp.response(200, MyEnrolmentPageSchema)
def my_enrolments(page, per_page, lang=None):
    """The caller's enrolments with their progress: open ones first (by due date), then the completed (latest first)"""
    statement = (
        sa.select(Enrolment).where(Enrolment.user_id == current_user.id).options(joinedload(Enrolment.course))
        .order_by(Enrolment.completed_at.is_not(None), Enrolment.due_on.is_(None), Enrolment.due_on, Enrolment.completed_at.desc(), Enrolment.id)
    )
    listed = paginate(statement, page=page, per_page=per_page)
    required = learning.required_lesson_counts(e.course_id for e in listed.items)
    done = learning.done_required_counts(e.id for e in listed.items)
    order, today = _order(lang), g.tenant.today()
    listed.items = [{**progress.figures(e, required, done, today), "course_title": _localised(e.course.title, order)} for e in listed.items]
    return listed


# Coordinators -------------------------------------------------------------------------------------------------------


@blp.route(COURSE + "/enrolments", methods=["POST"])
@require("elearning.manage")
@blp.arguments(EnrolInputSchema)
@blp.response(200, EnrolledSchema)
def enrol(body, course):
    """Enrol staff of the library in a published course: named people, everyone with a role, or all staff, with an optional due date.
    Those already enrolled keep their enrolment (a due date given replaces theirs)"""
    _readable(course)
    if body.get("user_ids"):
        user_ids = list(dict.fromkeys(body["user_ids"]))
        if set(user_ids) - set(learning.members()):
            raise Refused({"user_ids": [learning.NOT_A_MEMBER]})
    else:
        user_ids = learning.members(Role(body["role"]) if body.get("role") else None)
    added = learning.enrol(course, user_ids, body["due_on"], current_user)
    db.session.commit()
    return {"course_id": course.id, "newly_enrolled": added, "user_ids": user_ids}


@blp.route("/progress")
@require("elearning.manage")
@blp.arguments(LanguagePageArgs, location="query", as_kwargs=True)
@blp.response(200, ProgressMatrixSchema)
def progress_matrix(page, per_page, lang=None):
    """Staff × course, as on the coordinator's page: a page of the library's staff by name, the courses with enrolments
    (30 at most), and each person's enrolment in each; the same number of statements whatever the size"""
    matrix = progress.matrix(page, per_page)
    order = _order(lang)
    rows = [{"user_id": user_id, "name": name, "cells": [matrix.cell(e) for e in matrix.cells_of(user_id)]} for user_id, name in matrix.people.items]
    people = matrix.people
    return {
        "page": people.page, "per_page": people.per_page, "total": people.total, "pages": people.pages, "items": rows,
        "courses": [{"id": c.id, "title": _localised(c.title, order), "required_lessons": matrix.required.get(c.id, 0)} for c in matrix.courses],
    }
