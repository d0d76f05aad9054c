"""An invoice attached on the S3 storage (moto's server): stored under the tenant's key, downloaded through a
short-lived presigned address after the permission check."""
import io

import boto3
from botocore.config import Config
from expenditure_items import make_item
from moto.server import ThreadedMotoServer
import pytest

from bibnet.storage.backends import S3Storage

from conftest import csrf_token, log_in

pytest_plugins = ["expenditure_items"]  # the fixture `project`

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def s3_storage(app):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test", config=Config(signature_version="s3v4"))
    client.create_bucket(Bucket="bibnet-expenditure")
    previous = app.extensions.pop("bibnet.storage", None)
    app.extensions["bibnet.storage"] = S3Storage("bibnet-expenditure", endpoint, "us-east-1", "test", "test", presign_seconds=60)
    yield client
    app.extensions.pop("bibnet.storage")
    if previous is not None:
        app.extensions["bibnet.storage"] = previous
    for stored in client.list_objects_v2(Bucket="bibnet-expenditure").get("Contents", []):  # moto keeps its buckets per process
        client.delete_object(Bucket="bibnet-expenditure", Key=stored["Key"])
    client.delete_bucket(Bucket="bibnet-expenditure")
    server.stop()


def test_an_invoice_is_attached_to_s3_and_downloaded_by_a_presigned_address(world, project, client, s3_storage):
    import urllib.request

    item_id = make_item(world.jelgava, project)
    log_in(client, "coordinator@jelgava.example")
    show = f"/t/jelgava/expenditure/{project.id}/{item_id}/"
    token = csrf_token(client.get(show).get_data(as_text=True))
    response = client.post(show + "attachments", data={"csrf_token": token, "files": [(io.BytesIO(PDF), "rēķins.pdf")]}, content_type="multipart/form-data")
    assert response.status_code == 302
    [stored] = s3_storage.list_objects_v2(Bucket="bibnet-expenditure")["Contents"]
    assert stored["Key"].startswith(f"tenants/{world.jelgava.id}/expenditure/")
    link = next(part.split('"')[0] for part in client.get(show).get_data(as_text=True).split('href="') if part.startswith("/t/jelgava/files/"))
    download = client.get(link)
    assert download.status_code == 302 and "X-Amz-Signature=" in download.headers["Location"]
    with urllib.request.urlopen(download.headers["Location"]) as answer:
        assert answer.read() == PDF
