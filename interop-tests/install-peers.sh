#!/bin/sh
# Installs the external peers that the interop tests (mvn verify -Pinterop, or -Dskerry.interop=true)
# start by themselves from their Debian packages. Run once, as root, on Debian or Ubuntu.
set -eu

apt-get update

# PostgreSQL >= 15: PostgresStorageTest runs initdb/pg_ctl from /usr/lib/postgresql/*/bin as the
# postgres user in a temporary directory on 127.0.0.1; the system service itself is not needed.
apt-get install -y --no-install-recommends postgresql

# Prosody 0.12 (federation peer): ProsodyFederationTest runs `prosody --config FILE -F` as the prosody user in a
# temporary directory on its own loopback address; the system service itself is not needed. lua-unbound is only
# "recommended" by the package, but the test needs it: it lets Prosody resolve peers from a hosts file of the test's
# instead of asking the network. openssl makes Prosody's self-signed certificate.
apt-get install -y --no-install-recommends prosody lua-unbound openssl

# ejabberd 23.01 (federation peer): EjabberdFederationTest runs `ejabberdctl --config-dir DIR foreground` as the
# ejabberd user in a temporary directory on its own loopback address; the system service itself is not needed.
apt-get install -y --no-install-recommends ejabberd

# Chromium and its WebDriver (console browser tests): Selenium drives /usr/bin/chromium through
# /usr/bin/chromedriver, headless, so nothing is downloaded at test time.
apt-get install -y --no-install-recommends chromium chromium-driver
