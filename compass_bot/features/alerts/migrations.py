"""The outbox's schema: the `alerts` table and each later step, one migration a number."""

from __future__ import annotations

from compass_bot.storage.db import Migration

MIGRATIONS: tuple[Migration, ...] = (
    # 4: the alerts outbox: written before it is sent, delivered with retries.
    Migration(
        4,
        "alerts",
        """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            rule TEXT NOT NULL,
            member_id INTEGER NOT NULL,
            member_label TEXT NOT NULL,
            guild_id INTEGER,
            channel_id INTEGER,
            message_id INTEGER,
            excerpt TEXT,
            name_field TEXT,
            matched TEXT,
            detail TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'open',
            handled_by INTEGER,
            handled_at TEXT,
            delivery TEXT NOT NULL DEFAULT 'pending',
            delivered_message_id INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT
        );
        CREATE INDEX alerts_member_rule ON alerts(member_id, rule, updated_at);
        CREATE INDEX alerts_delivery ON alerts(delivery, next_attempt_at);
        """,
    ),
    # 6: alert numbers are never reused, also after `/privacy wissen` deleted the newest ones:
    # the table is rebuilt with AUTOINCREMENT (rows and ids kept) and the counter starts past
    # the highest number ever seen, in the table or in the audit trail of handled alerts.
    Migration(
        6,
        "alerts_autoincrement",
        """
        CREATE TABLE alerts_v6 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            rule TEXT NOT NULL,
            member_id INTEGER NOT NULL,
            member_label TEXT NOT NULL,
            guild_id INTEGER,
            channel_id INTEGER,
            message_id INTEGER,
            excerpt TEXT,
            name_field TEXT,
            matched TEXT,
            detail TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'open',
            handled_by INTEGER,
            handled_at TEXT,
            delivery TEXT NOT NULL DEFAULT 'pending',
            delivered_message_id INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT
        );
        INSERT INTO alerts_v6 (id, rule, member_id, member_label, guild_id, channel_id, message_id,
            excerpt, name_field, matched, detail, created_at, updated_at, count, status, handled_by,
            handled_at, delivery, delivered_message_id, attempts, next_attempt_at, last_error)
        SELECT id, rule, member_id, member_label, guild_id, channel_id, message_id,
            excerpt, name_field, matched, detail, created_at, updated_at, count, status, handled_by,
            handled_at, delivery, delivered_message_id, attempts, next_attempt_at, last_error
        FROM alerts;
        DROP TABLE alerts;
        ALTER TABLE alerts_v6 RENAME TO alerts;
        CREATE INDEX alerts_member_rule ON alerts(member_id, rule, updated_at);
        CREATE INDEX alerts_delivery ON alerts(delivery, next_attempt_at);
        DELETE FROM sqlite_sequence WHERE name IN ('alerts', 'alerts_v6');
        INSERT INTO sqlite_sequence (name, seq) SELECT 'alerts', MAX(
            COALESCE((SELECT MAX(id) FROM alerts), 0),
            COALESCE((SELECT MAX(CAST(json_extract(detail, '$.alert') AS INTEGER)) FROM audit
                      WHERE action LIKE 'alert.%' AND json_valid(detail)), 0)
        );
        """,
    ),
    # 8: the outbox's own bookkeeping (it only adds columns, so it can take any number):
    # `version` counts every change a moderator must see (never a time, which two flags in one
    # millisecond share) and `delivered_version` is what the message shows; `claimed_until`
    # is a sender's claim on the row, and `send_nonce` the nonce of a post under way, kept
    # until the post is marked, so a post interrupted by a crash is sent again with the same
    # nonce and Discord returns the first message instead of making a second.
    Migration(
        8,
        "outbox_bookkeeping",
        """
        ALTER TABLE alerts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE alerts ADD COLUMN delivered_version INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE alerts ADD COLUMN claimed_until TEXT;
        ALTER TABLE alerts ADD COLUMN send_nonce TEXT;
        UPDATE alerts SET delivered_version = version WHERE delivery = 'sent';
        """,
    ),
    # 12: a repeated alert keeps every channel it was flagged in with its count (JSON
    # [[channel id, count], ...], ids only: no text), and one moderator's note with who wrote
    # it and when. Alerts from before keep their one channel with their whole count.
    Migration(
        12,
        "alert_channels_and_note",
        """
        ALTER TABLE alerts ADD COLUMN channels TEXT;
        ALTER TABLE alerts ADD COLUMN note TEXT;
        ALTER TABLE alerts ADD COLUMN note_by INTEGER;
        ALTER TABLE alerts ADD COLUMN note_at TEXT;
        UPDATE alerts SET channels = json_array(json_array(channel_id, count))
            WHERE channel_id IS NOT NULL;
        """,
    ),
    # 14: who raised an alert when it is not the feature that owns its clause (AutoMod, which
    # cites a configured clause): repeats merge only with an alert of the same source, so an
    # AutoMod hit never rewrites a report's or a data alert's reason and message.
    Migration(
        14,
        "alert_source",
        """
        ALTER TABLE alerts ADD COLUMN source TEXT NOT NULL DEFAULT '';
        DROP INDEX IF EXISTS alerts_member_rule;
        CREATE INDEX alerts_member_rule ON alerts(member_id, rule, source, updated_at);
        """,
    ),
)
