"""Where file bytes live: a local folder (the embedded default) or an S3-compatible bucket.

Both take keys of the form `tenants/<tenant_id>/<area>/<random>`. Neither checks permissions: files
reach users only through `bibnet.storage.views`, after the tenant and permission checks.
"""
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app


class StorageBackend(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def delete(self, key: str) -> None: ...

    def download_url(self, key: str, filename: str, content_type: str) -> str | None:
        """A short-lived URL the browser can fetch directly, or None when the app must stream the file."""


class LocalStorage:
    def __init__(self, root: str):
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"storage key outside the storage root: {key!r}")
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def download_url(self, key: str, filename: str, content_type: str) -> None:
        return None


class S3Storage:
    def __init__(self, bucket: str, endpoint_url: str | None, region: str, access_key_id, secret_access_key, presign_seconds: int):
        self.bucket = bucket
        self.presign_seconds = presign_seconds
        # boto3 is imported here, not at start: about 10 MB per worker that local storage never needs.
        import boto3
        from botocore.config import Config

        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def open(self, key: str) -> BinaryIO:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def download_url(self, key: str, filename: str, content_type: str) -> str:
        ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": f'attachment; filename="{ascii_name}"',
                "ResponseContentType": content_type,
            },
            ExpiresIn=self.presign_seconds,
        )


def build_storage(config) -> StorageBackend:
    if config["STORAGE_BACKEND"] == "s3":
        return S3Storage(
            bucket=config["S3_BUCKET"],
            endpoint_url=config["S3_ENDPOINT_URL"],
            region=config["S3_REGION"],
            access_key_id=config["S3_ACCESS_KEY_ID"],
            secret_access_key=config["S3_SECRET_ACCESS_KEY"],
            presign_seconds=config["S3_PRESIGN_SECONDS"],
        )
    return LocalStorage(config["STORAGE_LOCAL_ROOT"])


def get_storage() -> StorageBackend:
    """The app's storage backend, built once per app from its configuration."""
    extensions = current_app.extensions
    if "bibnet.storage" not in extensions:
        extensions["bibnet.storage"] = build_storage(current_app.config)
    return extensions["bibnet.storage"]


def delete_stored_quietly(key: str) -> None:
    """Delete a file whose record is gone already: a file left behind is harmless, so a failure is only logged."""
    try:
        get_storage().delete(key)
    except Exception:  # any backend error
        current_app.logger.exception("could not delete the stored file %s", key)
