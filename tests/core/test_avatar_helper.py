"""``avatar(user, size)``: one helper for core and plugins; initials in a colour with enough contrast."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.avatars import PALETTE, avatar, avatar_colour, initials


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("colour", PALETTE)
def test_every_colour_keeps_white_initials_readable(colour):
    contrast = (1.05) / (_luminance(colour) + 0.05)
    assert contrast >= 4.5, f"{colour}: {contrast:.2f}:1"


@pytest.mark.parametrize(("name", "expected"), [
    ("Ada Lovelace", "AL"), ("ada", "A"), ("Jean-Luc Picard", "JP"), ("  ", "?"), ("", "?"),
    ("Ümit Öz", "ÜÖ"), ("Maria de la Cruz", "MC"), ("🙂 Smile", "S"),
])
def test_initials(name, expected):
    assert initials(name) == expected


def test_the_colour_is_the_same_every_time_and_follows_the_username():
    assert avatar_colour("ada") == avatar_colour("ada") == avatar_colour("ADA")
    assert len({avatar_colour(f"user{n}") for n in range(60)}) > 6


def test_an_initials_avatar_is_inline_svg_hidden_from_screen_readers(app):
    user = SimpleNamespace(username="ada", display_name="Ada <b>Lovelace</b>", avatar_key=None)
    html = str(avatar(user, 40))
    assert html.startswith('<svg class="avatar" width="40" height="40"') and 'aria-hidden="true"' in html
    assert "<b>" not in html


def test_an_uploaded_avatar_is_an_image_with_empty_alt(app):
    user = SimpleNamespace(username="ada", display_name="Ada", avatar_key="avatars/" + "a" * 64 + ".jpg")
    with app.test_request_context():
        html = str(avatar(user, 500))
    assert 'src="/files/avatars/' in html and 'alt=""' in html and 'width="256"' in html


def test_a_deleted_account_gets_a_neutral_avatar(app):
    assert ">?</text>" in str(avatar(None, 24))


def test_plugins_get_the_same_helper(app):
    from core import plugin_api

    assert plugin_api.avatar is avatar
    assert app.jinja_env.globals["avatar"] is avatar
