-- why: messages of no ticket (visit reminders, greetings, broadcasts) reach the development sink in demo mode too; it keeps what each one is.
ALTER TABLE dev_sink_messages
    ALTER COLUMN ticket_id DROP NOT NULL,
    ADD COLUMN purpose text NOT NULL DEFAULT 'ticket';
