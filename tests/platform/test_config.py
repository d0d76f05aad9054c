"""Configuration is read from the environment and checked at start."""
import logging

import pytest

from bibnet.config import ConfigError, load


def test_the_embedded_default_is_sqlite_and_local_files_under_instance(tmp_path):
    config = load(str(tmp_path), environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'bibnet.sqlite3'}"
    assert config["STORAGE_BACKEND"] == "local" and config["STORAGE_LOCAL_ROOT"] == str(tmp_path / "files")
    assert config["MAIL_BACKEND"] == "outbox" and config["MAIL_OUTBOX"] == str(tmp_path / "outbox")


def test_development_keeps_a_random_secret_in_the_instance_folder(tmp_path):
    first, second = load(str(tmp_path), environ={}), load(str(tmp_path), environ={})
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) >= 32
    assert load(str(tmp_path / "other"), environ={})["SECRET_KEY"] != first["SECRET_KEY"]


PRODUCTION = {
    "BIBNET_ENV": "production",
    "SECRET_KEY": "x" * 40,
    "DATABASE_URL": "postgres://bibnet:pw@db/bibnet",
    "S3_BUCKET": "bibnet",
    "SMTP_HOST": "mail.example.lv",
    "PUBLIC_URL": "https://bibnet.example.eu/",
}


def test_production_uses_postgresql_s3_smtp_and_secure_cookies(tmp_path):
    config = load(str(tmp_path), environ=PRODUCTION)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://bibnet:pw@db/bibnet"
    assert (config["STORAGE_BACKEND"], config["MAIL_BACKEND"]) == ("s3", "smtp")
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert config["DEBUG"] is False
    assert config["PUBLIC_URL"] == "https://bibnet.example.eu"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too short"),
        ({"DATABASE_URL": ""}, "DATABASE_URL must point to PostgreSQL"),
        ({"S3_BUCKET": ""}, "S3 storage needs S3_BUCKET"),
        ({"SMTP_HOST": ""}, "SMTP_HOST must be set"),
        ({"PUBLIC_URL": ""}, "PUBLIC_URL must be set in production"),
        ({"PUBLIC_URL": "bibnet.example.eu"}, "PUBLIC_URL must be set in production"),
        ({"BIBNET_ENV": "staging"}, "BIBNET_ENV must be one of"),
    ],
)
def test_production_refuses_to_start_with_a_clear_message(tmp_path, change, message):
    with pytest.raises(ConfigError, match=message):
        load(str(tmp_path), environ={**PRODUCTION, **change})


def test_production_warns_when_each_worker_would_count_failed_log_ins_alone(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="bibnet.config"):
        load(str(tmp_path), environ=PRODUCTION)
    assert "RATELIMIT_STORAGE_URI is memory://" in caplog.text and "redis://" in caplog.text

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bibnet.config"):
        load(str(tmp_path), environ={**PRODUCTION, "RATELIMIT_STORAGE_URI": "redis://redis:6379/0"})
    assert caplog.text == ""
