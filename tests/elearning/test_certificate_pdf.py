"""The certificate PDF: tagged (PDF/UA-1) with its title and the learner's language, in that language whoever
downloads it: name, course, hours, date, issuing library and project, the EU co-funding line, the code, and a QR
code of the public verification address; nothing is fetched from outside."""
import io

from certificate_fixtures import certificates_of, complete
from elearning_fixtures import make_course
import pypdf
import pytest

from bibnet.accounts.models import Role
from bibnet.elearning.certificates import document, services

from conftest import log_in, structure_tags

TITLES = {"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana", "lt": "Lankytojų priėmimas"}
# The words of the PDF in each language: its heading and the EU co-funding line.
WORDS = {
    "en": ("Certificate of completion", "Co-funded by the European Union", "Study time: 0.3 hours"),
    "lv": ("Apliecība par kursa pabeigšanu", "Līdzfinansē Eiropas Savienība", "Mācību laiks: 0,3 stundas"),
    "lt": ("Kurso baigimo pažymėjimas", "Bendrai finansuoja Europos Sąjunga", "Mokymosi laikas: 0,3 valandos"),
}


@pytest.mark.parametrize("language", ["en", "lv", "lt"])
def test_the_pdf_is_tagged_and_in_the_learners_language_with_everything_it_certifies(world, make_user, client, language):
    learner = make_user(f"learner-{language}@jelgava.example", "Anna Bērziņa", world.jelgava, Role.STAFF, locale=language)
    course = make_course(project=world.project, title=TITLES, languages=("en", "lv", "lt"), lessons=(("One", True), ("Two", True), ("Extra", False)))
    complete(world.jelgava, learner, course)
    [certificate] = certificates_of(world.jelgava)
    log_in(client, "coordinator@jelgava.example")  # an English reader downloads it: the PDF stays in the learner's language
    response = client.get(f"/t/jelgava/elearning/certificates/{certificate.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="certificate-{services.shown(certificate.code)}.pdf"'
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    assert TITLES[language] in reader.metadata.title
    assert {"/H1", "/P", "/Figure"} <= structure_tags(root["/StructTreeRoot"])
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (*WORDS[language], "Anna Bērziņa", TITLES[language], "Jelgava Municipality", "Inclusive libraries", services.shown(certificate.code)):
        assert expected in text, expected
    assert f"/verify/{services.shown(certificate.code)}" in text
    assert len(reader.pages) == 1
    assert b"/URI" not in response.data and b"http://fonts" not in response.data


def test_the_qr_code_carries_the_verification_address(world, app):
    with app.test_request_context():
        url = document.verification_url("7KQ4MXW9RT")
        uri = document.qr_code_uri(url)
    assert url.endswith("/verify/7KQ4M-XW9RT")
    assert uri.startswith("data:image/svg+xml")


def test_the_pdf_maker_fetches_nothing_from_outside_but_reads_images_inside_the_document():
    from bibnet import pdf

    with pytest.raises(ValueError):
        pdf.NoFetching().fetch("https://fonts.example/font.woff2")
    assert pdf.NoFetching().fetch("data:text/plain;base64,aGk=") is not None
