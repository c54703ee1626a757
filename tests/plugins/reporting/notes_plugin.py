"""A stand-in for another plugin's content (a "note"), registered through ``content_types`` only."""
from __future__ import annotations

from dataclasses import dataclass

from core.plugins import PluginMeta
from core.plugins.specs import ContentType, hookimpl

META = PluginMeta(id="testnotes", name="Test notes", version="0.1", scope="site")


@dataclass
class TestNote:
    id: int
    author_id: int
    group_id: int | None
    text: str
    readers: tuple[int, ...]


NOTES: dict[int, TestNote] = {}


@hookimpl
def content_types():
    return [ContentType(
        name="testnote", label="Note",
        load=lambda id: NOTES.get(id),
        visible_to=lambda note, user: getattr(user, "id", None) in note.readers,
        author_id=lambda note: note.author_id,
        group_id=lambda note: note.group_id,
        snapshot=lambda note: note.text,
        url=lambda note: f"/notes/{note.id}",
        delete=lambda note: NOTES.pop(note.id, None),
    )]
