"""`flask users` commands."""
from flask.cli import AppGroup

cli = AppGroup("users", help="Manage users.")
