"""Files: local and S3 backends behind one interface, tenant keys, content checks, downloads after a permission check."""
import io

import boto3
from botocore.config import Config
from moto.server import ThreadedMotoServer
import pytest

from bibnet.extensions import db
from bibnet.storage.backends import LocalStorage, S3Storage
from bibnet.storage.uploads import DOCUMENTS, UploadRefused, store_upload
from bibnet.tenancy.context import tenant_scope

from conftest import log_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 20


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test", config=Config(signature_version="s3v4"))
    client.create_bucket(Bucket="bibnet-test")
    yield S3Storage("bibnet-test", s3_endpoint, "us-east-1", "test", "test", presign_seconds=60)
    for item in client.list_objects_v2(Bucket="bibnet-test").get("Contents", []):
        client.delete_object(Bucket="bibnet-test", Key=item["Key"])
    client.delete_bucket(Bucket="bibnet-test")


@pytest.fixture
def local(tmp_path):
    return LocalStorage(str(tmp_path / "files"))


@pytest.mark.parametrize("backend_name", ["local", "s3"])
def test_both_backends_store_read_and_delete(request, backend_name):
    backend = request.getfixturevalue(backend_name)
    backend.put("tenants/1/photos/abc", PNG, "image/png")
    with backend.open("tenants/1/photos/abc") as stream:
        assert stream.read() == PNG
    backend.delete("tenants/1/photos/abc")


def test_s3_downloads_are_short_lived_presigned_urls(s3):
    import urllib.request

    s3.put("tenants/1/invoices/abc", PDF, "application/pdf")
    url = s3.download_url("tenants/1/invoices/abc", "invoice.pdf", "application/pdf")
    assert "X-Amz-Expires=60" in url and "X-Amz-Signature=" in url
    with urllib.request.urlopen(url) as response:
        assert response.read() == PDF
        assert "attachment" in response.headers["Content-Disposition"]


def test_local_keys_cannot_escape_the_storage_folder(local):
    with pytest.raises(ValueError):
        local.put("../../etc/passwd", b"x", "text/plain")


def test_an_upload_is_stored_under_its_tenants_key(world, app):
    with app.test_request_context(), tenant_scope(world.jelgava):
        stored = store_upload(PDF, "sąskaita.pdf", "invoices", DOCUMENTS, max_bytes=1024)
        db.session.commit()
        assert stored.key.startswith(f"tenants/{world.jelgava.id}/invoices/")
        assert (stored.content_type, stored.size, stored.tenant_id) == ("application/pdf", len(PDF), world.jelgava.id)


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"<html><script>alert(1)</script></html>", "photo.png", "not accepted"),
        (b"GIF89a" + b"\x00" * 20, "photo.pdf", "not accepted"),
        (PDF * 100, "big.pdf", "too large"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_uploads_are_checked_by_content_and_size_not_by_name(world, app, data, name, message):
    with app.test_request_context(), tenant_scope(world.jelgava), pytest.raises(UploadRefused, match=message):
        store_upload(data, name, "invoices", DOCUMENTS, max_bytes=1024)


def test_files_are_served_only_to_users_of_their_tenant(world, app, client):
    with app.test_request_context(), tenant_scope(world.jelgava):
        stored = store_upload(PDF, "plan.pdf", "documents", DOCUMENTS, max_bytes=1024)
        db.session.commit()
        file_id = stored.id
    log_in(client, "staff@jelgava.example")
    response = client.get(f"/t/jelgava/files/{file_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    outsider = client.__class__(app)
    log_in(outsider, "staff@pasvalys.example")
    assert outsider.get(f"/t/pasvalys/files/{file_id}").status_code == 404
    assert outsider.get(f"/t/jelgava/files/{file_id}").status_code == 404


def test_a_request_over_the_size_limit_gets_413(world, app, client):
    log_in(client, "staff@jelgava.example")
    response = client.post("/profile/tokens", data={"name": "x", "blob": (io.BytesIO(b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)), "big.bin")})
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
