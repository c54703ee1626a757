"""Rate limits for log-in, sign-up and anything that sends account mail (pages and API alike).

Each action has ONE allowance per client address, drawn on by its page and its API route
together (a shared scope): ten tries at the log-in page and ten more at ``/api/v1/auth/login``
would otherwise make twenty. Password reset, its request and a new confirmation link share the
account-mail allowance. Limits are read from config on each request so operators (and tests)
can tune them. Only POSTs count: looking at a form is free.
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


login_limit = limiter.shared_limit(_login, scope="login", methods=["POST"])
signup_limit = limiter.shared_limit(_signup, scope="signup", methods=["POST"])
account_mail_limit = limiter.shared_limit(_password_reset, scope="account_mail", methods=["POST"])
