-- An administrator can lock an account: it keeps its data but cannot log in (SASL <account-disabled/>,
-- RFC 6120 §6.5.1) or sign in to the console until it is unlocked. NULL means not locked; the time is shown
-- to admins. Same SQL on H2 (MODE=PostgreSQL) and PostgreSQL.
ALTER TABLE accounts ADD COLUMN locked_at TIMESTAMP WITH TIME ZONE;
