-- why: the outbox decides whether and from where a message goes before its timeline message is written, so the link is checked at commit.
ALTER TABLE outbound_messages
    ALTER CONSTRAINT outbound_messages_message_id_fkey DEFERRABLE INITIALLY DEFERRED;
