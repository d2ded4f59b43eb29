-- Receiver-side de-duplication keeps, per peer and per run of the peer's node, the highest stanza sequence it
-- routed (the peer's queue stamps ordered ids, see SequencedIds), instead of every id it saw: one row per sending
-- run, updated once per batch, instead of an indexed row per stanza. Bounded per peer by the code (the newest
-- runs) and expired by age.
CREATE TABLE federation_peer_marks (
    peer_domain   VARCHAR(1023) NOT NULL,
    run           VARCHAR(16)   NOT NULL,
    last_sequence BIGINT        NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (peer_domain, run)
);

DROP TABLE federation_seen_ids;
