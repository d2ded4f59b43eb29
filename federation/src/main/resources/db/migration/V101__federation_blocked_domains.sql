-- Peer domains the admin blocked while a node ran (skerry federation block), so that the block outlives restarts
-- until the admin lifts it. federation.blocked_domains in the configuration is not copied here: it is applied
-- from the configuration at every start. Same rules as V100: one script for H2 and PostgreSQL >= 15.
CREATE TABLE federation_blocked_domains (
    domain        VARCHAR(1023) PRIMARY KEY,   -- lower-cased, as the policy matches it
    blocked_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
