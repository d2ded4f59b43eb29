#!/bin/sh
# Installs the external peers that the interop tests (mvn verify -Pinterop, or -Dskerry.interop=true)
# start by themselves from their Debian packages. Run once, as root, on Debian or Ubuntu.
set -eu

apt-get update

# PostgreSQL >= 15: PostgresStorageTest runs initdb/pg_ctl from /usr/lib/postgresql/*/bin as the
# postgres user in a temporary directory on 127.0.0.1; the system service itself is not needed.
apt-get install -y --no-install-recommends postgresql

# Prosody and ejabberd (federation peers) are added here by their tests' authors.
