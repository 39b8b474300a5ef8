-- why: answer every search through an index whatever a word's frequency (full-text per ticket
-- with English stemming, Chinese by character pairs; customer names by word prefix), and index
-- the link from raw inbound contacts to their message for exports.

-- Chinese, Japanese kanji and Korean hanja runs: the text parser takes a whole run for one
-- word, so a run is indexed as its overlapping character pairs instead (a lone character as
-- itself). Two-character words such as 退款 give pg_trgm no trigram; pairs answer them exactly.
CREATE FUNCTION cc_cjk_pairs(body text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(run[1], i, 2)), '{}')
    FROM regexp_matches(body, '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', 'g') AS run,
         generate_series(1, greatest(length(run[1]) - 1, 1)) AS i
$$;

-- The words of a text as stored for search: English stems for the rest of the text.
CREATE FUNCTION cc_search_vector(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_tsvector('english',
                       regexp_replace(body, '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', ' ', 'g'))
           || array_to_tsvector(cc_cjk_pairs(body))
$$;

-- A search box text as a query: every English word (stemmed) and every character pair of
-- every Chinese run must occur; a lone Chinese character matches the pairs it starts.
CREATE FUNCTION cc_search_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN cjk IS NULL THEN english
                WHEN numnode(english) = 0 THEN cjk::tsquery
                ELSE english && cjk::tsquery END
    FROM (SELECT plainto_tsquery('english', regexp_replace(
                     q, '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', ' ', 'g')) AS english,
                 (SELECT string_agg(
                             CASE WHEN length(run[1]) = 1 THEN '''' || run[1] || ''':*'
                                  ELSE (SELECT string_agg('''' || substr(run[1], i, 2) || '''',
                                                          ' & ')
                                        FROM generate_series(1, length(run[1]) - 1) AS i)
                             END, ' & ')
                  FROM regexp_matches(q, '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', 'g') AS run
                 ) AS cjk) AS parts
$$;

-- Every word ever written on a ticket (subjects, messages, notes) and its number, in one
-- vector per ticket, so that "newest tickets containing X" is one table and one index.
ALTER TABLE tickets ADD COLUMN search_doc tsvector NOT NULL DEFAULT '';

CREATE FUNCTION cc_tickets_search_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.search_doc := NEW.search_doc || cc_search_vector(NEW.subject)
                          || array_to_tsvector(ARRAY[NEW.number::text]);
    ELSIF NEW.subject IS DISTINCT FROM OLD.subject THEN
        NEW.search_doc := NEW.search_doc || cc_search_vector(NEW.subject);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER tickets_search_doc BEFORE INSERT OR UPDATE OF subject ON tickets
    FOR EACH ROW EXECUTE FUNCTION cc_tickets_search_doc();

CREATE FUNCTION cc_messages_search_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tickets SET search_doc = search_doc || cc_search_vector(NEW.subject || ' ' || NEW.body_text)
    WHERE id = NEW.ticket_id;
    RETURN NULL;
END
$$;
-- Intake's messages (the only ones with a provider id) add their words in the same update
-- that touches the ticket (tickets/store.py APPEND_INBOUND_MESSAGE): one new row version per
-- message, not two.
CREATE TRIGGER messages_search_doc AFTER INSERT ON messages
    FOR EACH ROW WHEN (NEW.provider_id IS NULL) EXECUTE FUNCTION cc_messages_search_doc();

UPDATE tickets t SET search_doc = cc_search_vector(t.subject)
    || array_to_tsvector(ARRAY[t.number::text])
    || coalesce((SELECT cc_search_vector(string_agg(m.subject || ' ' || m.body_text, ' '))
                 FROM messages m WHERE m.ticket_id = t.id), '');
CREATE INDEX tickets_search_doc_idx ON tickets USING gin (search_doc);

-- Substring matching on message bodies and subjects is no longer used by search; these indexes
-- only cost every insert.
DROP INDEX messages_body_trgm_idx;
DROP INDEX tickets_subject_trgm_idx;

-- Customer names by word prefix ("park" finds Parker), Chinese names by single characters and
-- pairs, so that a two-character name is answered by the index too.
CREATE FUNCTION cc_name_vector(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_tsvector('simple',
                       regexp_replace(name, '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', ' ', 'g'))
           || array_to_tsvector(cc_cjk_pairs(name))
           || array_to_tsvector(coalesce((
                  SELECT array_agg(DISTINCT c[1])
                  FROM regexp_matches(name, '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]', 'g') AS c),
                  '{}'))
$$;

-- Every word of a name query is a prefix of a word of the name; Chinese by pairs.
CREATE FUNCTION cc_name_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN words IS NULL THEN chinese
                WHEN numnode(chinese) = 0 THEN words::tsquery
                ELSE words::tsquery && chinese END
    FROM (SELECT (SELECT string_agg('''' || w || ''':*', ' & ')
                  FROM regexp_split_to_table(lower(regexp_replace(
                           q, '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', ' ', 'g')),
                           '[^[:alnum:]]+') AS w
                  WHERE w <> '') AS words,
                 cc_search_query(regexp_replace(
                     q, '[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', ' ', 'g')) AS chinese
         ) AS parts
$$;

ALTER TABLE customers ADD COLUMN name_doc tsvector GENERATED ALWAYS AS (cc_name_vector(name)) STORED;
CREATE INDEX customers_name_doc_idx ON customers USING gin (name_doc);
-- The customer list without a query, in name order, page by page.
CREATE INDEX customers_name_id_idx ON customers (name, (id::text)) WHERE merged_into_id IS NULL;

-- Part of a phone is its last digits, part of an email its beginning: both are ranges of a
-- byte-ordered index, which a prepared statement can use whatever the value (a substring
-- match through pg_trgm cannot be planned before the value is known).
CREATE INDEX customer_identities_value_ending_idx
    ON customer_identities ((reverse(value) COLLATE "C"));
CREATE INDEX customer_identities_value_start_idx ON customer_identities ((value COLLATE "C"));
DROP INDEX customer_identities_value_trgm_idx;

-- Exports and replays go from a message to its raw inbound copy.
CREATE INDEX inbound_contacts_message_id_idx ON inbound_contacts (message_id);
