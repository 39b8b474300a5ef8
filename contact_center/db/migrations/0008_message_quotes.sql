-- why: keep the quoted earlier conversation and signature of an email beside its new text.
ALTER TABLE messages ADD COLUMN quoted_text text NOT NULL DEFAULT '';
