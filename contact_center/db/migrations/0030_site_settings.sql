-- why: settings people edit (business calendar, clock targets, classifier, lists) live in the database, versioned and audited.
CREATE TABLE site_settings (
    key text PRIMARY KEY CONSTRAINT site_settings_key_check
        CHECK (key IN ('timezone', 'business_hours', 'holidays', 'closures', 'working_days',
                       'clock_targets', 'classifier', 'at_risk')),
    value jsonb NOT NULL,
    version integer NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid REFERENCES users (id) ON DELETE SET NULL
);

-- Every stored version of every setting, the current one included.
CREATE TABLE site_setting_versions (
    key text NOT NULL,
    version integer NOT NULL,
    value jsonb NOT NULL,
    changed_at timestamptz NOT NULL,
    changed_by uuid REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (key, version)
);
