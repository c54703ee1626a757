"""Groups: directory, pages, feed, posts, comments, membership and roles."""
from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/g")
