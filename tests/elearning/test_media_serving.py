"""A course's files are served only to those who may read the course (its library, the partners of its project; a
draft's only to its authors), only inside the course the URL names, as the type read at upload, never sniffed or
run; on the S3 backend too (a real moto server)."""
import boto3
from botocore.config import Config
from elearning_fixtures import make_course
from elearning_media_fixtures import MP4, PDF, PNG, VTT, add_media
from moto.server import ThreadedMotoServer
import pytest

from bibnet.storage.backends import S3Storage

from conftest import log_in

JELGAVA = "/t/jelgava/elearning"
PASVALYS = "/t/pasvalys/elearning"


def file_url(base, course, item) -> str:
    return f"{base}/courses/{course.id}/media/{item.id}"


class TestWhatIsServed:
    def test_an_image_is_shown_inline_as_its_own_type_and_never_sniffed_or_run(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        image = add_media(course, PNG, "tube.png")
        log_in(client, "staff@jelgava.example")
        response = client.get(file_url(JELGAVA, course, image))
        assert response.status_code == 200 and response.data == PNG
        assert response.headers["Content-Type"] == "image/png"
        assert response.headers["Content-Disposition"].startswith("inline")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"

    def test_a_document_is_a_download(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        leaflet = add_media(course, PDF, "leaflet.pdf")
        log_in(client, "staff@jelgava.example")
        response = client.get(file_url(JELGAVA, course, leaflet))
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["Content-Type"] == "application/pdf"

    def test_html_uploaded_as_a_transcript_is_served_as_plain_text(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        page = add_media(course, b"<html><script>alert(document.cookie)</script></html>", "transcript.html")
        log_in(client, "staff@jelgava.example")
        response = client.get(file_url(JELGAVA, course, page))
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert "sandbox" in response.headers["Content-Security-Policy"]

    def test_captions_are_served_as_webvtt(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        captions = add_media(course, VTT, "welcome.vtt")
        log_in(client, "staff@jelgava.example")
        assert client.get(file_url(JELGAVA, course, captions)).headers["Content-Type"] == "text/vtt; charset=utf-8"


class TestWhoMayRead:
    def test_another_librarys_course_files_are_not_found(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        image = add_media(course, PNG, "tube.png")
        log_in(client, "staff@pasvalys.example")
        assert client.get(file_url(PASVALYS, course, image)).status_code == 404
        assert client.get(file_url(JELGAVA, course, image)).status_code == 404

    def test_a_drafts_files_are_read_by_its_authors_only(self, world, client):
        draft = make_course(owner_tenant=world.jelgava, published=False)
        image = add_media(draft, PNG, "tube.png")
        log_in(client, "staff@jelgava.example")
        assert client.get(file_url(JELGAVA, draft, image)).status_code == 404
        author = client.__class__(client.application)
        log_in(author, "coordinator@jelgava.example")
        assert author.get(file_url(JELGAVA, draft, image)).status_code == 200
        assert author.get(f"{JELGAVA}/manage/{draft.id}/media/{image.id}").status_code == 200

    def test_a_file_is_found_only_in_its_own_course(self, world, client):
        ours = make_course(owner_tenant=world.jelgava)
        other = make_course(owner_tenant=world.jelgava, title={"en": "Another course"})
        image = add_media(other, PNG, "tube.png")
        log_in(client, "staff@jelgava.example")
        assert client.get(file_url(JELGAVA, ours, image)).status_code == 404
        assert client.get(file_url(JELGAVA, other, image)).status_code == 200

    def test_the_projects_course_files_are_read_by_every_partner_and_its_lead_on_the_project_pages(self, world, client, make_tenant, make_user):
        shared = make_course(project=world.project)
        video = add_media(shared, MP4, "welcome.mp4")
        log_in(client, "staff@pasvalys.example")
        assert client.get(file_url(PASVALYS, shared, video)).status_code == 200
        lead = client.__class__(client.application)
        log_in(lead, "lead@pasvalys.example")
        assert lead.get(f"/projects/{world.project.id}/elearning/manage/{shared.id}/media/{video.id}").status_code == 200
        outsider_library = make_tenant("bauska", "Bauska Municipality")
        make_user("staff@bauska.example", "Outsider", outsider_library)
        outsider = client.__class__(client.application)
        log_in(outsider, "staff@bauska.example")
        assert outsider.get(file_url("/t/bauska/elearning", shared, video)).status_code == 404


@pytest.fixture(scope="module")
def moto_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(app, moto_endpoint):
    """The app's storage backend is a bucket of the moto server for the test."""
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test", config=Config(signature_version="s3v4"))
    client.create_bucket(Bucket="bibnet-media-test")
    previous = app.extensions.get("bibnet.storage")
    app.extensions["bibnet.storage"] = S3Storage("bibnet-media-test", moto_endpoint, "us-east-1", "test", "test", presign_seconds=60)
    yield client
    app.extensions.pop("bibnet.storage")
    if previous is not None:
        app.extensions["bibnet.storage"] = previous
    for item in client.list_objects_v2(Bucket="bibnet-media-test").get("Contents", []):
        client.delete_object(Bucket="bibnet-media-test", Key=item["Key"])
    client.delete_bucket(Bucket="bibnet-media-test")


def test_on_s3_a_file_is_stored_in_the_bucket_and_served_through_the_app_with_its_checks(world, client, s3_storage):
    """Through the app, not a presigned redirect: the page's policy allows media of the app's own origin only,
    and captions tracks must come from it."""
    course = make_course(owner_tenant=world.jelgava)
    image = add_media(course, PNG, "tube.png")
    stored = s3_storage.get_object(Bucket="bibnet-media-test", Key=image.key)
    assert stored["Body"].read() == PNG and stored["ContentType"] == "image/png"
    log_in(client, "staff@jelgava.example")
    response = client.get(file_url(JELGAVA, course, image))
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    outsider = client.__class__(client.application)
    log_in(outsider, "staff@pasvalys.example")
    assert outsider.get(file_url(PASVALYS, course, image)).status_code == 404
