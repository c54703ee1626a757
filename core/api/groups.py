"""API: groups."""
from flask_smorest import Blueprint

blp = Blueprint("api_groups", __name__, url_prefix="/api/v1", description="groups")
