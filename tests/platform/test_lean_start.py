"""A worker starts without the heavy libraries that only some downloads need: they are imported on first use
(issue 14, worker memory; bench/worker_memory.py says what each costs). Checked in a fresh interpreter, since
the test process itself has long imported them."""
import json
import os
import subprocess
import sys

IMPORTED_ON_FIRST_USE = ("weasyprint", "openpyxl", "xlsxwriter", "pypdf", "boto3", "botocore", "segno", "qrcode", "PIL", "alembic", "flask_migrate", "icalendar")

_PROBE = f"""
import json, sys
from bibnet.app import create_app
create_app()
print(json.dumps(sorted(name for name in {IMPORTED_ON_FIRST_USE!r} if name in sys.modules)))
"""


def test_create_app_imports_no_library_that_only_a_download_or_s3_needs(tmp_path):
    environment = {**os.environ, "BIBNET_ENV": "testing", "BIBNET_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://", "STORAGE_BACKEND": "local"}
    result = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=environment, timeout=120, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
