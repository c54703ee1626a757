"""`flask plugins` commands."""
from flask.cli import AppGroup

cli = AppGroup("plugins", help="Manage plugins.")
