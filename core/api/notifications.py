"""API: notifications."""
from flask_smorest import Blueprint

blp = Blueprint("api_notifications", __name__, url_prefix="/api/v1", description="notifications")
