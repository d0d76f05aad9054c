"""Flask extensions, created unbound here and bound to the app in `bibnet.app.create_app`."""
import click
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from bibnet.db import Model


class _DeferredMigrateConfig:
    """What Flask-Migrate keeps in `app.extensions["migrate"]`, made on first use: the real one (and its
    `db` commands) comes from binding Flask-Migrate to the app then."""

    def __init__(self, app, db, options: dict):
        self._app, self._db, self._options, self._real = app, db, options, None

    def __getattr__(self, name: str):
        if self._real is None:
            from flask_migrate import Migrate

            Migrate(self._app, self._db, **self._options)  # puts Flask-Migrate's own config in app.extensions
            self._real = self._app.extensions["migrate"]
        return getattr(self._real, name)


class _DeferredMigrateCommands(click.Group):
    """`bibnet db …`: Flask-Migrate's commands, imported when a `db` command is looked up."""

    @staticmethod
    def _real() -> click.Group:
        from flask_migrate.cli import db as commands

        return commands

    def make_context(self, info_name, args, parent=None, **extra):
        return self._real().make_context(info_name, args, parent=parent, **extra)  # then click runs the real group

    def list_commands(self, ctx):
        return self._real().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._real().get_command(ctx, name)


class DeferredMigrate:
    """Flask-Migrate, bound to the app without importing it: it imports Alembic, about 11 MB in every web
    worker (bench/worker_memory.py), which only the `db` commands and the migrations themselves need."""

    def init_app(self, app, db, **options) -> None:
        app.extensions["migrate"] = _DeferredMigrateConfig(app, db, options)
        app.cli.add_command(_DeferredMigrateCommands("db", help="Perform database migrations."))


db = SQLAlchemy(model_class=Model)
migrate = DeferredMigrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
bootstrap = Bootstrap5()
limiter = Limiter(key_func=get_remote_address)
