-- why: each user chooses the console's language (English or Simplified Chinese); empty follows the browser.
ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT ''
    CONSTRAINT users_locale_check CHECK (locale IN ('', 'en', 'zh_Hans'));
