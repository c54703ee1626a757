"""Accounts: sign-up, confirmation, log-in, password reset, profile, data export, deletion."""
from flask import Blueprint

bp = Blueprint("auth", __name__)
