"""The forms of an import: the upload, and the mapping of the file's columns to a feature's fields (one
select per field, offering the file's columns), with the mapping remembered from the last import."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice

from bibnet.imports.tables import MAX_ROWS, chosen_encoding
from bibnet.web.fields import SelectField

ACCEPTED_FILES = ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_file_field(label) -> FileField:
    """The file field of an upload form, with what the machinery reads."""
    return FileField(
        label,
        validators=[FileRequired(message=_l("Choose a CSV or XLSX file to upload."))],
        description=_l(
            "A CSV file (separated by commas or semicolons; UTF-8, UTF-16, Windows-1257 or Windows-1252) or an XLSX workbook, with a header row, at most %(rows)s rows.",
            rows=f"{MAX_ROWS:,}".replace(",", " "),
        ),
        render_kw={"accept": ACCEPTED_FILES},
    )


class ColumnMappingForm(FlaskForm):
    """Which column of the file holds each of the feature's FIELDS; the file waits in the storage (`file_id`).

    A feature subclasses it with `with_fields`; its own extra fields (values set once for every row) are listed
    in EXTRA_CHOICES so that the preview page sends them again.
    """

    FIELDS: tuple[str, ...] = ()
    EXTRA_CHOICES: tuple[str, ...] = ()

    file_id = HiddenField()
    encoding = HiddenField()  # chosen on the mapping page; empty: detected

    def __init__(self, *args, header=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [SelectChoice("", _l("Not in the file"))] + [SelectChoice(column, column) for column in header if column]
        for name in self.FIELDS:
            self[name].choices = choices

    @classmethod
    def with_fields(cls, name: str, labels: dict, required, fields=None):
        """A subclass with a select for each field (`fields`, in order; by default every key of `labels`)."""
        fields = tuple(fields or labels)
        selects = {
            field: SelectField(labels[field], validate_choice=False, description=_l("Required.") if field in required else None)
            for field in fields
        }
        return type(name, (cls,), {"FIELDS": fields, **selects})

    def mapping(self) -> dict[str, str]:
        return {name: self[name].data for name in self.FIELDS if self[name].data}

    def mapping_fields(self):
        return [self[name] for name in self.FIELDS]

    def hidden_choices(self):
        """Every choice of the form, for the preview page to send again."""
        return [field for field in (*self.mapping_fields(), *(self[name] for name in self.EXTRA_CHOICES), self.encoding) if field.data]

    def chosen_encoding(self) -> str | None:
        return chosen_encoding(self.encoding.data)


def guessed_mapping(header: list[str], fields, labels: dict, remembered: dict | None) -> dict[str, str]:
    """The remembered mapping where the file has those columns; else columns named like our fields (by their
    code or their label in the user's language)."""
    remembered = remembered or {}
    by_name = {column.casefold(): column for column in header}
    mapping = {}
    for name in fields:
        if remembered.get(name) in header:
            mapping[name] = remembered[name]
        elif name.casefold() in by_name:
            mapping[name] = by_name[name.casefold()]
        elif str(labels[name]).casefold() in by_name:
            mapping[name] = by_name[str(labels[name]).casefold()]
    return mapping
