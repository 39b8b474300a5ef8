-- why: show agents warnings about a message, such as a sender whose domain failed DMARC.
ALTER TABLE messages ADD COLUMN warnings text[] NOT NULL DEFAULT '{}';
