"""The WSGI entry point for production servers: `gunicorn bibnet.wsgi:app`."""
from bibnet.app import create_app

app = create_app()
