"""API representations of courses, lessons, enrolments and the progress matrix, and of the requests that enrol
staff. A text a learner reads goes out in one language with the language it is in and whether that fell back
from the one asked for (`LocalisedSchema`), so that a client can say so as the pages do.

Input schemas check types and sizes only; who may be enrolled and in what is checked by `learning`, so that the
API and the pages refuse the same things with the same messages.
"""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from bibnet.accounts.models import Role
from bibnet.api.schemas import Day, PageSchema, PaginationArgs, object_id, page_of
from bibnet.elearning.models import CourseStatus
from bibnet.web.i18n import LANGUAGE_NAMES

LOCALES = ", ".join(LANGUAGE_NAMES)
ROLES = ", ".join(Role)
# More people than any library has staff: a list beyond it is no enrolment, and would make one huge IN list.
MAX_ENROLLED_AT_ONCE = 1000
ENROL_WHOM = _l("Name the people to enrol (user_ids), a role, or all_staff: exactly one of them.")


def _language(**options) -> fields.String:
    return fields.String(
        validate=validate.OneOf(list(LANGUAGE_NAMES), error=_l("Choose one of the languages: %(languages)s.", languages=LOCALES)),
        metadata={"description": f"The language to read first ({LOCALES}); by default the caller's own"},
        **options,
    )


class LanguageArgs(Schema):
    lang = _language()


class LanguagePageArgs(PaginationArgs, LanguageArgs):
    pass


# Output -------------------------------------------------------------------------------------------------------------


class LocalisedSchema(Schema):
    """A text in the first language of the reader's that it exists in: the one asked for (or the reader's),
    the library's, then any."""

    text = fields.String(required=True)
    locale = fields.String(allow_none=True, required=True, metadata={"description": "The language of `text`; null when the text exists in no language"})
    fell_back = fields.Boolean(required=True, metadata={"description": "Whether `text` is in another language than the one wanted"})


class CourseSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.Nested(LocalisedSchema, required=True)
    summary = fields.Nested(LocalisedSchema, required=True)
    status = fields.Enum(CourseStatus, by_value=True, required=True, metadata={"description": "Drafts are listed to their authors only"})
    project_id = fields.Integer(allow_none=True, required=True, metadata={"description": "The project whose partners share the course; null for the library's own"})
    published_at = fields.DateTime(allow_none=True, required=True)


CoursePageSchema = page_of(CourseSchema, "CoursePageSchema")


class ProgressSchema(Schema):
    """An enrolment and how far it got: required lessons done of those the course has now."""

    id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    user_id = fields.Integer(required=True)
    enrolled_at = fields.DateTime(required=True)
    due_on = fields.Date(allow_none=True, required=True)
    overdue = fields.Boolean(required=True, metadata={"description": "Not completed and past its due date"})
    completed_at = fields.DateTime(allow_none=True, required=True)
    required_lessons = fields.Integer(required=True)
    required_done = fields.Integer(required=True)


class MyEnrolmentSchema(ProgressSchema):
    course_title = fields.Nested(LocalisedSchema, required=True)


MyEnrolmentPageSchema = page_of(MyEnrolmentSchema, "MyEnrolmentPageSchema")


class OutlineLessonSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.Nested(LocalisedSchema, required=True)
    required = fields.Boolean(required=True)
    estimated_minutes = fields.Integer(required=True)
    languages = fields.List(fields.String(), required=True, metadata={"description": "The languages the lesson's text exists in"})
    done = fields.Boolean(required=True, metadata={"description": "Done by the caller in their current enrolment"})


class OutlineModuleSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.Nested(LocalisedSchema, required=True)
    lessons = fields.List(fields.Nested(OutlineLessonSchema), required=True)


class CourseDetailSchema(CourseSchema):
    modules = fields.List(fields.Nested(OutlineModuleSchema), required=True)
    enrolment = fields.Nested(ProgressSchema, allow_none=True, required=True, metadata={"description": "The caller's; null when not enrolled"})
    resume_lesson_id = fields.Integer(allow_none=True, required=True, metadata={"description": "The first lesson not done yet; null when all are done"})


class LessonContentSchema(Schema):
    id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    module_id = fields.Integer(required=True)
    title = fields.String(required=True, metadata={"description": "In the language of `html` when it exists in it"})
    html = fields.String(required=True, metadata={"description": "The lesson's Markdown rendered and sanitised: safe to insert as HTML"})
    locale = fields.String(allow_none=True, required=True, metadata={"description": "The language of `html`"})
    wanted = fields.String(required=True, metadata={"description": "The language asked for, or the caller's"})
    fell_back = fields.Boolean(required=True)
    languages = fields.List(fields.String(), required=True)
    required = fields.Boolean(required=True)
    estimated_minutes = fields.Integer(required=True)
    done = fields.Boolean(required=True)
    next_lesson_id = fields.Integer(allow_none=True, required=True)


class LessonDoneSchema(Schema):
    enrolment = fields.Nested(ProgressSchema, required=True)
    completed_course = fields.Boolean(required=True, metadata={"description": "Whether this lesson completed the course"})
    next_lesson_id = fields.Integer(allow_none=True, required=True)


class EnrolledSchema(Schema):
    course_id = fields.Integer(required=True)
    newly_enrolled = fields.Integer(required=True, metadata={"description": "People who had no open enrolment in the course"})
    user_ids = fields.List(fields.Integer(), required=True, metadata={"description": "Everyone now enrolled by the request, the already enrolled included"})


class MatrixCourseSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.Nested(LocalisedSchema, required=True)
    required_lessons = fields.Integer(required=True)


class MatrixCellSchema(ProgressSchema):
    in_person = fields.Boolean(required=True, metadata={"description": "Completed, its required lessons done at in-person workshops"})


class MatrixRowSchema(Schema):
    user_id = fields.Integer(required=True)
    name = fields.String(required=True)
    cells = fields.List(fields.Nested(MatrixCellSchema), required=True, metadata={"description": "One per course the person is enrolled in (its open enrolment, else the latest completed)"})


class ProgressMatrixSchema(PageSchema):
    """A page of the library's staff (by name), the courses with enrolments, and each person's enrolments in them."""

    courses = fields.List(fields.Nested(MatrixCourseSchema), required=True)
    items = fields.List(fields.Nested(MatrixRowSchema), required=True)


# Input --------------------------------------------------------------------------------------------------------------


class EnrolInputSchema(Schema):
    user_ids = fields.List(
        object_id(), validate=validate.Length(min=1, max=MAX_ENROLLED_AT_ONCE, error=_l("Name from {min} to {max} people.")),
        metadata={"description": "Members of the library's staff"},
    )
    role = fields.String(
        validate=validate.OneOf(list(Role), error=_l("Choose one of: %(choices)s.", choices=ROLES)),
        metadata={"description": f"Everyone with this role ({ROLES})"},
    )
    all_staff = fields.Boolean(metadata={"description": "Every active member of the library"})
    due_on = Day(allow_none=True, load_default=None)

    @validates_schema
    def _one_way_of_choosing(self, data, **kwargs):
        if sum((bool(data.get("user_ids")), data.get("role") is not None, bool(data.get("all_staff")))) != 1:
            raise ValidationError(str(ENROL_WHOM), "user_ids")
