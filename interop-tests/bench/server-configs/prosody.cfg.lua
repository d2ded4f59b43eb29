-- Prosody 0.12 for the load benchmark (interop-tests/bench/run.sh fills in the @...@ values).
-- Loopback only; no rate limits (the `limits` module is not loaded); registration open for the tool;
-- plain c2s allowed for the PLAIN scenario. Peers resolve only from our hosts file.
pidfile = "@DIR@/prosody.pid"
data_path = "@DIR@/data"
certificates = "@DIR@/certs"
log = { { levels = { min = "warn" }, to = "file", filename = "@DIR@/prosody.log" } }
interfaces = { "@ADDRESS@" }
local_interfaces = { "@ADDRESS@" }
c2s_ports = { 5222 }
s2s_ports = { 5269 }
c2s_direct_tls_ports = {}
s2s_direct_tls_ports = {}
legacy_ssl_ports = {}
http_ports = {}
https_ports = {}
component_ports = {}
-- The same listen backlog as the other servers get (the storm connects thousands at once).
network_settings = { tcp_backlog = 4096 }
unbound = { resolvconf = "@DIR@/resolv.conf"; hoststxt = "@DIR@/hosts" }
modules_enabled = { "roster"; "saslauth"; "tls"; "dialback"; "disco"; "ping"; "register" }
authentication = "internal_hashed"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
allow_registration = true
-- mod_register_limits: no throttle for the tool (127.0.0.1 is also on its default whitelist).
min_seconds_between_registrations = 0
registration_throttle_max = 1000000
s2s_require_encryption = true
s2s_secure_auth = false
VirtualHost "@DOMAIN@"
