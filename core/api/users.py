"""API: users."""
from flask_smorest import Blueprint

blp = Blueprint("api_users", __name__, url_prefix="/api/v1", description="users")
