"""Forms of the stock-take pages: the location to check, a scan (typed tag or scanned code, optional photo)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from bibnet.web.fields import SelectField

PHOTO_MAX_MB = 5


class StartForm(FlaskForm):
    location_id = SelectField(_l("Location"), coerce=int, validators=[DataRequired()],
                              description=_l("The items located here and in the places under it are expected."))


class ScanForm(FlaskForm):
    code = StringField(_l("Tag or scanned code"), validators=[DataRequired(), Length(max=300)],
                       description=_l("Type the tag printed on the label, for example BN-00042, or scan the QR code with the camera."))
    photo = FileField(_l("Photo (optional)"), description=_l("A JPEG, PNG or WebP image of at most %(size)d MB.", size=PHOTO_MAX_MB))
