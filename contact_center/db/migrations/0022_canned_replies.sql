-- why: agents answer common questions from shared canned replies, per channel and language.
CREATE TABLE canned_replies (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL CONSTRAINT canned_replies_title_check CHECK (length(title) BETWEEN 1 AND 200),
    body text NOT NULL CONSTRAINT canned_replies_body_check CHECK (length(body) BETWEEN 1 AND 20000),
    channel text NOT NULL DEFAULT 'any' CONSTRAINT canned_replies_channel_check
        CHECK (channel IN ('any', 'sms', 'email')),
    language text NOT NULL DEFAULT 'en',
    created_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX canned_replies_list_idx ON canned_replies (language, title);
