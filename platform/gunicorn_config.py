"""How production serves BibNet: `gunicorn -c python:bibnet.gunicorn_config --workers N bibnet.wsgi:app`.

docker/ runs it so, and the benchmarks in bench/ too, so that they measure what production runs.

- Threaded workers: a long report download streams for minutes, which would outlast a sync worker's
  30-second timeout; a gthread worker keeps reporting alive while its threads serve.
- The app is loaded once, in the master, before the workers are forked (`preload_app`): the workers share
  the pages of the code, the models and the templates loaded at start (frozen by `bibnet.wsgi`, so the
  garbage collector does not copy them by touching them) instead of each loading its own; `bibnet.wsgi` also
  loads the templates, catalogs and mappers there (`bibnet.app.load_for_workers`). A worker then
  costs about 50 MB less of its own memory (bench/README.md, "Worker memory").
"""
worker_class = "gthread"
threads = 4
preload_app = True


def post_fork(server, worker):
    """A forked worker must not share a database connection with the master or its siblings: should anything
    at start have opened one, the worker's pool starts empty (SQLAlchemy's advice for forked processes)."""
    from bibnet.extensions import db

    with server.app.wsgi().app_context():  # the app the master loaded
        db.engine.dispose(close=False)  # not closed: the master's connections stay the master's
