"""The WSGI entry point for production servers: `gunicorn bibnet.wsgi:app`."""
import gc

from bibnet.app import create_app, load_for_workers

app = create_app()
load_for_workers(app)

# Everything loaded so far (modules, models, templates) lives as long as the process. Freezing it keeps
# Python's full garbage collections from walking it again in the middle of requests: without this,
# one request in ten of a large page paid a 100 ms collection (measured in bench/rooms_bench.py).
gc.collect()
gc.freeze()
