import GRDB

extension Store {
    /// Named, append-only migrations: never edit one that has shipped; add the next.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: submissions, lists, subscribers, issues, deliveries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE submission (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        fingerprint TEXT NOT NULL UNIQUE,
                        source_file TEXT NOT NULL,
                        source_position TEXT,
                        status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
                        month TEXT NOT NULL,
                        submitted_at INTEGER,
                        received_at INTEGER NOT NULL,
                        external_id TEXT,
                        submitted_by TEXT,
                        title TEXT,
                        category TEXT,
                        prefecture INTEGER CHECK (prefecture BETWEEN 1 AND 47),
                        municipality TEXT,
                        starts_on TEXT,
                        ends_on TEXT,
                        venue TEXT,
                        summary TEXT,
                        url TEXT,
                        contact TEXT,
                        reasons TEXT NOT NULL DEFAULT '[]',
                        warnings TEXT NOT NULL DEFAULT '[]',
                        flags TEXT NOT NULL DEFAULT '[]',
                        superseded_by INTEGER REFERENCES submission(id),
                        raw TEXT NOT NULL
                    );
                    CREATE INDEX submission_by_month ON submission(month, status);
                    CREATE INDEX submission_by_external_id ON submission(submitted_by, external_id)
                        WHERE status = 'accepted' AND superseded_by IS NULL;
                    CREATE INDEX submission_by_event ON submission(title, prefecture, starts_on)
                        WHERE status = 'accepted' AND superseded_by IS NULL;

                    CREATE TABLE meta (
                        key TEXT PRIMARY KEY,
                        value TEXT NOT NULL
                    );
                    INSERT INTO meta (key, value) VALUES ('instance', lower(hex(randomblob(6))));

                    CREATE TABLE collected_file (
                        content_hash TEXT PRIMARY KEY,
                        path TEXT NOT NULL,
                        collected_at INTEGER NOT NULL,
                        accepted INTEGER NOT NULL,
                        rejected INTEGER NOT NULL
                    );

                    CREATE TABLE feed_state (
                        url TEXT PRIMARY KEY,
                        etag TEXT,
                        last_modified TEXT,
                        checked_at INTEGER NOT NULL,
                        status TEXT NOT NULL
                    );

                    CREATE TABLE mailing_list (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        description TEXT NOT NULL DEFAULT '',
                        archived INTEGER NOT NULL DEFAULT 0,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );

                    CREATE TABLE subscriber (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        email TEXT NOT NULL,
                        email_key TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL DEFAULT '',
                        organization TEXT NOT NULL DEFAULT '',
                        prefecture INTEGER CHECK (prefecture BETWEEN 1 AND 47),
                        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'bounced', 'blocked')),
                        bounce_score REAL NOT NULL DEFAULT 0,
                        bounce_updated_at INTEGER,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );

                    CREATE TABLE subscription (
                        subscriber_id INTEGER NOT NULL REFERENCES subscriber(id),
                        list_id TEXT NOT NULL REFERENCES mailing_list(id),
                        status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
                        consent_method TEXT NOT NULL,
                        consent_by TEXT,
                        consent_source TEXT,
                        consent_at INTEGER NOT NULL,
                        unsubscribed_at INTEGER,
                        unsubscribe_reason TEXT,
                        PRIMARY KEY (subscriber_id, list_id)
                    );
                    CREATE INDEX subscription_by_list ON subscription(list_id, status);

                    CREATE TABLE subscription_event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        subscriber_id INTEGER NOT NULL REFERENCES subscriber(id),
                        list_id TEXT,
                        event TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        detail TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX subscription_event_by_subscriber ON subscription_event(subscriber_id);

                    CREATE TABLE issue (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        month TEXT NOT NULL UNIQUE,
                        volume INTEGER NOT NULL UNIQUE,
                        title TEXT,
                        lead TEXT,
                        status TEXT NOT NULL DEFAULT 'draft'
                            CHECK (status IN ('draft', 'approved', 'sending', 'sent')),
                        send_control TEXT NOT NULL DEFAULT 'run' CHECK (send_control IN ('run', 'paused', 'cancelled')),
                        created_at INTEGER NOT NULL
                    );

                    CREATE TABLE delivery (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        issue_id INTEGER NOT NULL REFERENCES issue(id),
                        subscriber_id INTEGER NOT NULL REFERENCES subscriber(id),
                        list_id TEXT NOT NULL REFERENCES mailing_list(id),
                        email TEXT NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
                            ('pending', 'sending', 'sent', 'deferred', 'failed', 'skipped', 'uncertain')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        smtp_code INTEGER,
                        smtp_reply TEXT,
                        retry_at INTEGER,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        UNIQUE (issue_id, subscriber_id)
                    );
                    CREATE INDEX delivery_by_state ON delivery(issue_id, state);
                    """)
        }
        migrator.registerMigration("v2: each subscriber's character set") { db in
            try db.execute(
                sql: """
                    ALTER TABLE subscriber ADD COLUMN charset TEXT NOT NULL DEFAULT 'utf-8'
                        CHECK (charset IN ('utf-8', 'iso-2022-jp'))
                    """)
        }
        migrator.registerMigration("v3: mail that came back") { db in
            try db.execute(
                sql: """
                    CREATE TABLE inbound (
                        id INTEGER PRIMARY KEY,
                        content_hash TEXT NOT NULL UNIQUE,
                        received_at INTEGER NOT NULL,
                        source TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('bounce', 'delayed', 'unsubscribe', 'unrecognised')),
                        detail TEXT NOT NULL,
                        delivery_id INTEGER REFERENCES delivery(id),
                        subscriber_id INTEGER REFERENCES subscriber(id),
                        raw BLOB NOT NULL
                    );
                    CREATE INDEX inbound_by_kind ON inbound(kind, received_at);
                    """)
        }
        migrator.registerMigration("v4: erased addresses never mailed again") { db in
            try db.execute(
                sql: """
                    CREATE TABLE suppression (
                        address_hash TEXT PRIMARY KEY,
                        reason TEXT NOT NULL,
                        at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v5: the outbox of mails that are not issues") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        recipient TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        body TEXT NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'sending', 'sent', 'deferred', 'failed', 'uncertain')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        retry_at INTEGER,
                        reply TEXT,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX outbox_by_state ON outbox(state, id);
                    """)
        }
        migrator.registerMigration("v6: public lists and who may subscribe") { db in
            try db.execute(
                sql: """
                    ALTER TABLE mailing_list ADD COLUMN public INTEGER NOT NULL DEFAULT 1;
                    ALTER TABLE mailing_list ADD COLUMN allowed_domains TEXT NOT NULL DEFAULT '';
                    """)
        }
        migrator.registerMigration("v7: single-use tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE used_token (
                        signature TEXT PRIMARY KEY,
                        purpose TEXT NOT NULL,
                        used_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v8: the lists each issue goes to") { db in
            try db.execute(
                sql: """
                    CREATE TABLE issue_list (
                        issue_id INTEGER NOT NULL REFERENCES issue(id),
                        list_id TEXT NOT NULL REFERENCES mailing_list(id),
                        PRIMARY KEY (issue_id, list_id)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v9: policy refusals kept as their own kind") { db in
            // SQLite cannot change a CHECK constraint in place: the table is rebuilt (GRDB runs
            // migrations with foreign key checks deferred, and checks them before committing).
            try db.execute(
                sql: """
                    CREATE TABLE inbound_new (
                        id INTEGER PRIMARY KEY,
                        content_hash TEXT NOT NULL UNIQUE,
                        received_at INTEGER NOT NULL,
                        source TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('bounce', 'delayed', 'policy', 'unsubscribe', 'unrecognised')),
                        detail TEXT NOT NULL,
                        delivery_id INTEGER REFERENCES delivery(id),
                        subscriber_id INTEGER REFERENCES subscriber(id),
                        raw BLOB NOT NULL
                    );
                    INSERT INTO inbound_new SELECT * FROM inbound;
                    DROP TABLE inbound;
                    ALTER TABLE inbound_new RENAME TO inbound;
                    CREATE INDEX inbound_by_kind ON inbound(kind, received_at);
                    """)
        }
        migrator.registerMigration("v10: editing, approval, submitters, the monthly run, the audit log") { db in
            try db.execute(
                sql: """
                    ALTER TABLE issue ADD COLUMN approved_hash TEXT;
                    ALTER TABLE issue ADD COLUMN approved_lists TEXT;
                    ALTER TABLE issue ADD COLUMN approved_by TEXT;
                    ALTER TABLE issue ADD COLUMN approved_at INTEGER;
                    ALTER TABLE issue ADD COLUMN approved_subject TEXT;
                    ALTER TABLE issue ADD COLUMN approved_html TEXT;
                    ALTER TABLE issue ADD COLUMN approved_text TEXT;
                    ALTER TABLE issue ADD COLUMN target_lists TEXT;
                    ALTER TABLE issue ADD COLUMN sent_at INTEGER;

                    CREATE TABLE item_choice (
                        submission_id INTEGER PRIMARY KEY REFERENCES submission(id),
                        choice TEXT CHECK (choice IN ('exclude', 'keep')),
                        position INTEGER,
                        changed_by TEXT NOT NULL,
                        changed_at INTEGER NOT NULL
                    );
                    CREATE TABLE item_correction (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        submission_id INTEGER NOT NULL REFERENCES submission(id),
                        field TEXT NOT NULL,
                        original TEXT,
                        corrected TEXT,
                        corrected_by TEXT NOT NULL,
                        corrected_at INTEGER NOT NULL
                    );
                    CREATE INDEX item_correction_by_submission ON item_correction(submission_id, id);

                    CREATE TABLE submitter (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        office TEXT NOT NULL,
                        prefecture INTEGER CHECK (prefecture BETWEEN 1 AND 47),
                        email TEXT,
                        token_hash TEXT NOT NULL UNIQUE,
                        created_by TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );

                    CREATE TABLE monthly_run (
                        month TEXT PRIMARY KEY,
                        state TEXT NOT NULL CHECK (state IN ('running', 'sent', 'held', 'failed')),
                        started_at INTEGER NOT NULL,
                        finished_at INTEGER,
                        detail TEXT NOT NULL DEFAULT ''
                    );

                    CREATE TABLE audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        detail TEXT NOT NULL DEFAULT ''
                    );
                    """)
        }
        return migrator
    }
}
