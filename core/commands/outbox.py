"""`flask outbox` commands."""
from flask.cli import AppGroup

cli = AppGroup("outbox", help="Manage outbox.")
