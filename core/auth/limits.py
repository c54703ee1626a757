"""Rate limits for log-in, sign-up and anything that sends account mail (pages and API alike).

Limits are read from config on each request so operators (and tests) can tune them.
Only POSTs count: looking at a form is free.
"""
from __future__ import annotations

from flask import current_app

from core.extensions import limiter


def _login() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _signup() -> str:
    return current_app.config["RATELIMIT_SIGNUP"]


def _password_reset() -> str:
    return current_app.config["RATELIMIT_PASSWORD_RESET"]


login_limit = limiter.limit(_login, methods=["POST"])
signup_limit = limiter.limit(_signup, methods=["POST"])
account_mail_limit = limiter.limit(_password_reset, methods=["POST"])
