-- why: customer info cards, the organizations they belong to, and their phone/email identities.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Account fields (tier, key account, manager, route, coordinates) live on organizations and on
-- customers: a private customer with no organization is an account of its own.
CREATE TABLE organizations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    area text NOT NULL DEFAULT '',
    company_size text NOT NULL DEFAULT '',
    potential text NOT NULL DEFAULT '',
    business_status text NOT NULL DEFAULT '',
    transaction_status text NOT NULL DEFAULT '',
    address text NOT NULL DEFAULT '',
    notes text NOT NULL DEFAULT '',
    tags text[] NOT NULL DEFAULT '{}',
    tier text CONSTRAINT organizations_tier_check CHECK (tier IN ('A', 'B', 'C')),
    is_key_account boolean NOT NULL DEFAULT false,
    account_manager_id uuid REFERENCES users (id),
    route_territory text NOT NULL DEFAULT '',
    route_weekday smallint CONSTRAINT organizations_route_weekday_check
        CHECK (route_weekday BETWEEN 1 AND 7),
    latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    lifecycle_stage text NOT NULL DEFAULT 'customer' CONSTRAINT organizations_lifecycle_check
        CHECK (lifecycle_stage IN ('prospect', 'customer', 'dormant', 'lost')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organizations_name_trgm_idx ON organizations USING gin (name gin_trgm_ops);

CREATE TABLE customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid REFERENCES organizations (id),
    name text NOT NULL,
    job_title text NOT NULL DEFAULT '',
    address text NOT NULL DEFAULT '',
    area text NOT NULL DEFAULT '',
    company_size text NOT NULL DEFAULT '',
    potential text NOT NULL DEFAULT '',
    business_status text NOT NULL DEFAULT '',
    transaction_status text NOT NULL DEFAULT '',
    birthday date,
    preferences text NOT NULL DEFAULT '',
    preferred_channel text CONSTRAINT customers_preferred_channel_check
        CHECK (preferred_channel IN ('voice', 'sms', 'email')),
    language text NOT NULL DEFAULT '',
    notes text NOT NULL DEFAULT '',
    tags text[] NOT NULL DEFAULT '{}',
    tier text CONSTRAINT customers_tier_check CHECK (tier IN ('A', 'B', 'C')),
    is_key_account boolean NOT NULL DEFAULT false,
    account_manager_id uuid REFERENCES users (id),
    route_territory text NOT NULL DEFAULT '',
    route_weekday smallint CONSTRAINT customers_route_weekday_check
        CHECK (route_weekday BETWEEN 1 AND 7),
    latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    lifecycle_stage text NOT NULL DEFAULT 'customer' CONSTRAINT customers_lifecycle_check
        CHECK (lifecycle_stage IN ('prospect', 'customer', 'dormant', 'lost')),
    sms_opted_out boolean NOT NULL DEFAULT false,
    -- A merged customer stays as a row pointing at its survivor; nothing is deleted.
    merged_into_id uuid REFERENCES customers (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_organization_id_idx ON customers (organization_id);
CREATE INDEX customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops);

-- Phones in E.164 and lower-cased emails; each value belongs to at most one customer.
CREATE TABLE customer_identities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL REFERENCES customers (id),
    kind text NOT NULL CONSTRAINT customer_identities_kind_check CHECK (kind IN ('phone', 'email')),
    value text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customer_identities_kind_value_key UNIQUE (kind, value)
);
CREATE INDEX customer_identities_customer_id_idx ON customer_identities (customer_id);
CREATE INDEX customer_identities_value_trgm_idx
    ON customer_identities USING gin (value gin_trgm_ops);

-- What a merge moved, so that it can be read back and undone from data alone.
CREATE TABLE customer_merges (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    survivor_id uuid NOT NULL REFERENCES customers (id),
    merged_id uuid NOT NULL REFERENCES customers (id),
    moved_identity_ids uuid[] NOT NULL,
    moved_ticket_ids uuid[] NOT NULL,
    actor_id uuid REFERENCES users (id),
    merged_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_merges_survivor_id_idx ON customer_merges (survivor_id);
