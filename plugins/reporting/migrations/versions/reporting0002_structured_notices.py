"""reporting notices: structured data only, sentences built when shown

Notices used to carry their sentence in ``data["text"]``, frozen in the language of the
moment they were sent. Their sentence is now built when shown, in the reader's language,
from the structured data the rows already hold; an outcome notice also needs the report's
category, which is copied from the report. Downgrading writes English sentences back.

Revision ID: reporting0002
Revises: reporting0001
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'reporting0002'
down_revision = 'reporting0001'
branch_labels = None
depends_on = None

KINDS = ('reporting_new_case', 'reporting_urgent_case', 'reporting_decision', 'reporting_outcome',
         'reporting_support', 'reporting_new_appeal', 'reporting_appeal_decided')
BATCH = 500

notifications = sa.table('notifications', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                         sa.column('data', sa.JSON))
reports = sa.table('reporting_reports', sa.column('id', sa.Integer), sa.column('category', sa.String))


def _batches(conn):
    """The reporting notices, in batches by id (no table is loaded at once)."""
    last = 0
    while True:
        rows = conn.execute(
            sa.select(notifications.c.id, notifications.c.kind, notifications.c.data)
            .where(notifications.c.kind.in_(KINDS), notifications.c.id > last)
            .order_by(notifications.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _save(conn, note_id, data):
    conn.execute(sa.update(notifications).where(notifications.c.id == note_id).values(data=data))


def upgrade():
    conn = op.get_bind()
    for rows in _batches(conn):
        wanted = {(row.data or {}).get('report_id') for row in rows if row.kind == 'reporting_outcome'}
        wanted.discard(None)
        categories = dict(conn.execute(sa.select(reports.c.id, reports.c.category)
                                       .where(reports.c.id.in_(wanted))).all()) if wanted else {}
        for row in rows:
            data = dict(row.data or {})
            data.pop('text', None)
            if row.kind == 'reporting_outcome' and 'category' not in data:
                data['category'] = categories.get(data.get('report_id'))
            _save(conn, row.id, data)


# What the notices said in English before; used only to go back.
SENTENCES = {
    'reporting_new_case': 'A new report is waiting in the moderation queue.',
    'reporting_urgent_case': 'Urgent: a self-harm or suicide concern was reported and needs attention now.',
    'reporting_support': 'Someone in the community is thinking of you. If things are hard right now, '
                         'help is available.',
    'reporting_new_appeal': 'An appeal against a moderation decision is waiting for a second opinion.',
}
RESULTS = {'hide': 'the item was hidden', 'delete': 'the item was deleted', 'warn': 'you received a warning',
           'remove': 'you were removed from the group', 'ban': 'you were banned from the group',
           'suspend': 'your account was suspended'}
OUTCOMES = {'action': 'We took action', 'support': 'We reached out with support',
            'no_violation': 'We found no violation'}
CATEGORIES = {'spam': 'Spam', 'harassment': 'Harassment or bullying', 'hate': 'Hate',
              'impersonation': 'Someone is falsely portrayed or impersonated',
              'self_harm': 'Self-harm or suicide concern', 'misinformation': 'Misinformation',
              'other': 'Something else'}


def _english(kind, data):
    if kind in SENTENCES:
        return SENTENCES[kind]
    if kind == 'reporting_decision':
        done = '; '.join(RESULTS.get(a, a) for a in data.get('actions') or [])
        text = f"A moderator reviewed your {data.get('item') or 'content'}: {done}."
        return text + (f" Rule: {data['rule']}" if data.get('rule') else '')
    if kind == 'reporting_outcome':
        category = CATEGORIES.get(data.get('category'), data.get('category') or '')
        return f"Your report ({category}) was reviewed: {OUTCOMES.get(data.get('outcome'), '')}."
    if data.get('state') == 'overturned':
        return 'Your appeal was accepted: the decision was overturned.'
    return 'Your appeal was reviewed by another moderator: the decision stands.'


def downgrade():
    conn = op.get_bind()
    for rows in _batches(conn):
        for row in rows:
            data = dict(row.data or {})
            data['text'] = _english(row.kind, data)
            _save(conn, row.id, data)
