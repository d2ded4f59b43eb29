package org.skerry.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a configuration can be wrong ends in an error that names the key and the place to fix it. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    private Path file;

    private ConfigException fileError(String toml) throws IOException {
        file = dir.resolve("skerry.toml");
        Files.writeString(file, toml);
        return assertThrows(ConfigException.class, () -> SkerryConfig.load(file, List.of(), Map.of()));
    }

    private static ConfigException setError(String... overrides) {
        return assertThrows(ConfigException.class, () -> SkerryConfig.load(null, List.of(overrides), Map.of()));
    }

    private static ConfigException environmentError(String name, String value) {
        return assertThrows(ConfigException.class, () -> SkerryConfig.load(null, List.of(), Map.of(name, value)));
    }

    @Test
    void outOfRangePortNamesFileLineKeyAndValue() throws IOException {
        ConfigException error = fileError("""
                domains = ["localhost"]

                [c2s]
                bind = "0.0.0.0"
                port = 70000
                """);
        assertThat(error.key()).isEqualTo("c2s.port");
        assertThat(error.line()).isEqualTo(5);
        assertThat(error.reason()).isEqualTo("must be between 0 and 65535 (got 70000)");
        assertThat(error.getMessage()).isEqualTo(file + ":5: c2s.port: must be between 0 and 65535 (got 70000)");
    }

    @Test
    void outOfRangePortFromSetAndEnvironment() {
        ConfigException viaSet = setError("c2s.port=70000");
        assertThat(viaSet.key()).isEqualTo("c2s.port");
        assertThat(viaSet.line()).isZero();
        assertThat(viaSet.getMessage()).isEqualTo("--set c2s.port: must be between 0 and 65535 (got 70000)");

        ConfigException viaEnvironment = environmentError("SKERRY_C2S_PORT", "-1");
        assertThat(viaEnvironment.key()).isEqualTo("c2s.port");
        assertThat(viaEnvironment.line()).isZero();
        assertThat(viaEnvironment.getMessage()).isEqualTo("SKERRY_C2S_PORT: must be between 0 and 65535 (got -1)");
    }

    @Test
    void unknownTopLevelKey() throws IOException {
        ConfigException error = fileError("""
                domains = ["localhost"]
                domian = "typo.example"
                """);
        assertThat(error.key()).isEqualTo("domian");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.reason()).startsWith("unknown key");
    }

    @Test
    void unknownKeyInASectionSuggestsTheRightOne() throws IOException {
        ConfigException error = fileError("""
                [c2s]
                port = 5222

                prot = 15222
                """);
        assertThat(error.key()).isEqualTo("c2s.prot");
        assertThat(error.line()).isEqualTo(4);
        assertThat(error.getMessage()).isEqualTo(file + ":4: c2s.prot: unknown key (did you mean c2s.port?)");
    }

    @Test
    void topLevelKeyWrittenBelowASectionIsExplained() throws IOException {
        ConfigException error = fileError("""
                [log]
                level = "info"
                data_dir = "/srv"
                """);
        assertThat(error.key()).isEqualTo("log.data_dir");
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.reason()).contains("top-level key");
    }

    @Test
    void unknownSection() throws IOException {
        ConfigException error = fileError("""
                [c2s]
                port = 5222

                [c2ss]
                port = 5223
                """);
        assertThat(error.key()).isEqualTo("c2ss");
        assertThat(error.line()).isEqualTo(4);
        assertThat(error.reason()).isEqualTo("unknown section [c2ss]");
    }

    @Test
    void unknownSubTableOfASection() throws IOException {
        ConfigException error = fileError("""
                [federation]
                port = 5269
                [federation.peers]
                "x.example" = "127.0.0.1:5269"
                """);
        assertThat(error.key()).isEqualTo("federation.peers");
        assertThat(error.line()).isEqualTo(3);
    }

    @Test
    void firstOfSeveralUnknownKeysIsReported() throws IOException {
        ConfigException error = fileError("""
                [tls]
                provder = "bc"
                [c2s]
                bnd = "0.0.0.0"
                """);
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.key()).isEqualTo("tls.provder");
    }

    @Test
    void sectionWrittenAsAValue() throws IOException {
        ConfigException error = fileError("""
                domains = ["localhost"]
                c2s = 5222
                """);
        assertThat(error.key()).isEqualTo("c2s");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.reason()).contains("[c2s] section").contains("an integer");
    }

    @Test
    void unknownKeyViaSet() {
        ConfigException error = setError("c2s.port=15222", "c2s.allow_registraton=true");
        assertThat(error.key()).isEqualTo("c2s.allow_registraton");
        assertThat(error.line()).isZero();
        assertThat(error.getMessage()).isEqualTo("--set c2s.allow_registraton: unknown key (did you mean c2s.allow_registration?)");
        assertThat(setError("nosuchsection.port=1").key()).isEqualTo("nosuchsection.port");
    }

    @Test
    void setWithoutEqualsSign() {
        ConfigException error = setError("c2s.port");
        assertThat(error.key()).isEqualTo("c2s.port");
        assertThat(error.reason()).isEqualTo("expected key=value");
    }

    @Test
    void unknownKeyViaEnvironment() {
        ConfigException error = environmentError("SKERRY_FEDERATION_PROT", "15269");
        assertThat(error.key()).isEqualTo("SKERRY_FEDERATION_PROT");
        assertThat(error.line()).isZero();
        assertThat(error.getMessage())
                .isEqualTo("SKERRY_FEDERATION_PROT: unknown configuration variable (did you mean SKERRY_FEDERATION_PORT?)");
    }

    @Test
    void wrongTypes() throws IOException {
        ConfigException portAsString = fileError("""
                [c2s]
                port = "5222"
                """);
        assertThat(portAsString.key()).isEqualTo("c2s.port");
        assertThat(portAsString.line()).isEqualTo(2);
        assertThat(portAsString.reason()).isEqualTo("expected an integer, got a string");

        ConfigException domainsAsString = fileError("domains = \"localhost\"\n");
        assertThat(domainsAsString.key()).isEqualTo("domains");
        assertThat(domainsAsString.reason()).isEqualTo("expected an array of strings, got a string");

        ConfigException booleanAsInteger = fileError("[federation]\nenabled = 1\n");
        assertThat(booleanAsInteger.key()).isEqualTo("federation.enabled");
        assertThat(booleanAsInteger.reason()).isEqualTo("expected true or false, got an integer");

        ConfigException durationAsInteger = fileError("[c2s]\nidle_timeout = 600\n");
        assertThat(durationAsInteger.key()).isEqualTo("c2s.idle_timeout");
        assertThat(durationAsInteger.reason()).contains("expected a duration");

        ConfigException floatPort = fileError("[c2s]\nport = 5222.0\n");
        assertThat(floatPort.reason()).isEqualTo("expected an integer, got a float");

        ConfigException mixedArray = fileError("domains = [\n  \"a.test\",\n  42,\n]\n");
        assertThat(mixedArray.key()).isEqualTo("domains");
        assertThat(mixedArray.line()).as("line of the bad element").isEqualTo(3);
    }

    @Test
    void wrongTypesViaOverrides() {
        assertThat(setError("c2s.port=abc").reason()).isEqualTo("expected an integer, got \"abc\"");
        assertThat(setError("c2s.require_tls=yes").reason()).isEqualTo("expected true or false, got \"yes\"");
        assertThat(environmentError("SKERRY_C2S_REQUIRE_TLS", "1").reason()).isEqualTo("expected true or false, got an integer");
        assertThat(setError("federation.hosts=127.0.0.1:5269").key()).isEqualTo("federation.hosts");
    }

    @Test
    void plainWithoutTlsNeedsTlsToBeOptional() throws ConfigException {
        ConfigException error = setError("c2s.allow_plain_without_tls=true");
        assertThat(error.key()).isEqualTo("c2s.allow_plain_without_tls");
        assertThat(error.reason()).isEqualTo("has no effect while c2s.require_tls = true");
        assertThat(SkerryConfig.load(null, List.of("c2s.require_tls=false", "c2s.allow_plain_without_tls=true"),
                Map.of()).c2s().allowPlainWithoutTls()).isTrue();
    }

    @Test
    void overrideCannotSmuggleInOtherKeys() {
        ConfigException error = setError("c2s.port=1\nc2s.direct_tls_port=2");
        assertThat(error.key()).isEqualTo("c2s.port");
        assertThat(error.reason()).startsWith("expected an integer");
    }

    @Test
    void badDuration() throws IOException {
        ConfigException error = fileError("""
                [federation]
                queue_max_age = "3 days"
                """);
        assertThat(error.key()).isEqualTo("federation.queue_max_age");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.reason()).startsWith("invalid duration \"3 days\"");
        assertThat(setError("c2s.ping_interval=5").reason()).startsWith("invalid duration \"5\"");
        assertThat(setError("c2s.handshake_timeout=0s").reason()).isEqualTo("must be longer than 0s");
    }

    @Test
    void badSize() throws IOException {
        ConfigException error = fileError("""
                [c2s]
                max_stanza_size = "256KB"
                """);
        assertThat(error.key()).isEqualTo("c2s.max_stanza_size");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.reason()).startsWith("invalid size \"256KB\"");
        assertThat(setError("c2s.max_stanza_size=1KiB").reason())
                .isEqualTo("must be between 10000 and 1073741824 bytes (got 1024)");
        assertThat(setError("c2s.max_stanza_size=true").reason()).startsWith("invalid size \"true\"");
    }

    @Test
    void badDomain() throws IOException {
        ConfigException error = fileError("""
                domains = [
                  "good.example",
                  "bad_domain.example",
                ]
                admins = []
                """);
        assertThat(error.key()).isEqualTo("domains");
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.reason()).contains("bad_domain.example").contains("not a valid domain name");
        assertThat(setError("domains=[]").reason()).isEqualTo("must name at least one domain");
        assertThat(setError("domains=a.test,A.TEST", "admins=").reason()).contains("listed twice");
    }

    @Test
    void adminNotOnAServedDomain() throws IOException {
        ConfigException error = fileError("""
                domains = ["example.org"]
                admins = [
                  "admin@example.org",
                  "mallory@elsewhere.example",
                ]
                """);
        assertThat(error.key()).isEqualTo("admins");
        assertThat(error.line()).isEqualTo(4);
        assertThat(error.reason()).contains("mallory@elsewhere.example").contains("not on a domain served");
        // The default admin is on localhost: changing only the domains must not leave it dangling silently.
        assertThat(setError("domains=example.org").key()).isEqualTo("admins");
    }

    @Test
    void adminMustBeABareJid() {
        assertThat(setError("admins=admin@localhost/laptop").reason()).contains("bare JID");
        assertThat(setError("admins=localhost").reason()).contains("bare JID");
        assertThat(setError("admins=@localhost").reason()).contains("bare JID");
        assertThat(setError("admins=[\"a b@localhost\"]").reason()).contains("not a valid JID");
    }

    @Test
    void duplicateKeyIsReportedAtTheSecondDefinition() throws IOException {
        ConfigException error = fileError("""
                [c2s]
                port = 5222
                bind = "0.0.0.0"
                port = 15222
                """);
        assertThat(error.line()).isEqualTo(4);
        assertThat(error.reason()).contains("port").contains("previously defined at line 2");
        assertThat(error.getMessage()).startsWith(file + ":4: ");
    }

    @Test
    void duplicateSectionIsATomlError() throws IOException {
        ConfigException error = fileError("[c2s]\nport = 1\n\n[c2s]\nbind = \"::\"\n");
        assertThat(error.line()).isEqualTo(4);
    }

    @Test
    void malformedTomlReportsTheFirstBadLine() throws IOException {
        ConfigException error = fileError("""
                domains = ["localhost"]
                [c2s]
                port = 5222
                bind = 0.0.0.0
                idle_timeout = "10m
                """);
        assertThat(error.line()).isEqualTo(4);
        assertThat(error.key()).isEmpty();
        assertThat(error.getMessage()).startsWith(file + ":4: ");

        ConfigException unclosedHeader = fileError("[c2s\nport = 1\n");
        assertThat(unclosedHeader.line()).isEqualTo(1);

        ConfigException binaryJunk = fileError("domains = [\"localhost\"]\n\u0000\u0001\u0002\n");
        assertThat(binaryJunk.line()).isEqualTo(2);
    }

    @Test
    void fileThatIsNotUtf8() throws IOException {
        file = dir.resolve("latin1.toml");
        Files.write(file, new byte[] {'d', 'a', 't', 'a', '_', 'd', 'i', 'r', ' ', '=', ' ', '"', (byte) 0xE9, '"', '\n'});
        ConfigException error = assertThrows(ConfigException.class, () -> SkerryConfig.load(file, List.of(), Map.of()));
        assertThat(error.getMessage()).isEqualTo(file + ": is not UTF-8 text, as TOML requires");
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.toml");
        ConfigException error = assertThrows(ConfigException.class, () -> SkerryConfig.load(missing, List.of(), Map.of()));
        assertThat(error.getMessage()).isEqualTo(missing + ": file not found");
        assertThat(error.line()).isZero();
    }

    @Test
    void unknownInterpolationVariable() throws IOException {
        ConfigException error = fileError("""
                [storage]
                url = "jdbc:h2:file:${datadir}/skerry"
                """);
        assertThat(error.key()).isEqualTo("storage.url");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.reason()).contains("${datadir}");
        assertThat(setError("storage.url=jdbc:h2:file:${data_dir/x").reason()).contains("unterminated");
    }

    @Test
    void storageUrlMustBeH2OrPostgresql() {
        ConfigException error = setError("storage.url=jdbc:mysql://db/skerry");
        assertThat(error.key()).isEqualTo("storage.url");
        assertThat(error.reason()).contains("jdbc:h2:").contains("jdbc:postgresql:");
    }

    @Test
    void rangesOfOtherIntegers() {
        assertThat(setError("storage.pool_size=0").reason()).isEqualTo("must be between 1 and 200 (got 0)");
        assertThat(setError("storage.worker_threads=257").reason()).isEqualTo("must be between 1 and 256 (got 257)");
        assertThat(setError("auth.scram_iterations=4095").reason()).isEqualTo("must be between 4096 and 1000000 (got 4095)");
        assertThat(setError("offline.max_messages_per_user=-1").key()).isEqualTo("offline.max_messages_per_user");
        assertThat(setError("c2s.port=99999999999999999999").key()).isEqualTo("c2s.port");
    }

    @Test
    void choices() {
        assertThat(setError("tls.provider=gnutls").reason()).isEqualTo("must be one of \"bc\", \"jdk\", \"openssl\" (got \"gnutls\")");
        assertThat(setError("federation.auth=none").key()).isEqualTo("federation.auth");
        assertThat(setError("log.level=INFO").reason()).contains("\"info\"");
        assertThat(setError("tls.protocols=TLSv1.1").reason()).contains("TLSv1.1").contains("not allowed");
        assertThat(setError("tls.protocols=TLSv1.3,TLSv1.3").reason()).contains("listed twice");
        assertThat(setError("tls.protocols=[]").reason()).contains("at least one");
    }

    @Test
    void bindAddressesAreCheckedWithoutDns() {
        ConfigException error = setError("c2s.bind=my-host.example");
        assertThat(error.key()).isEqualTo("c2s.bind");
        assertThat(error.reason()).isEqualTo("must be an IP address or localhost (got \"my-host.example\")");
        assertThat(setError("federation.bind=300.1.1.1").key()).isEqualTo("federation.bind");
        assertThat(setError("http.bind=127.0.0.1").key()).isEqualTo("http.bind");
        assertThat(setError("http.bind=example.org:80").reason()).contains("IP address or localhost");
    }

    @Test
    void badFederationHosts() throws IOException {
        ConfigException badTarget = fileError("""
                [federation.hosts]
                "good.example" = "127.0.0.1:5269"
                "peer.example" = "127.0.0.1"
                """);
        assertThat(badTarget.key()).isEqualTo("federation.hosts");
        assertThat(badTarget.line()).isEqualTo(3);
        assertThat(badTarget.reason()).contains("peer.example").contains("host:port");

        ConfigException badDomain = fileError("""
                [federation.hosts]
                "not a domain" = "127.0.0.1:5269"
                """);
        assertThat(badDomain.line()).isEqualTo(2);

        ConfigException notString = fileError("[federation.hosts]\n\"p.example\" = 5269\n");
        assertThat(notString.reason()).contains("expected a string");

        ConfigException unquoted = fileError("[federation.hosts]\n\n\"a.example\" = \"127.0.0.1:1\"\nb.example = \"127.0.0.1:2\"\n");
        assertThat(unquoted.line()).isEqualTo(4);
        assertThat(unquoted.reason()).contains("in quotes");

        assertThat(setError("federation.hosts.localhost=127.0.0.1:5269").reason()).contains("served by this node");
        assertThat(setError("federation.hosts.p.example=127.0.0.1:0").reason()).contains("between 1 and 65535");
    }

    @Test
    void badBlockedOrAllowedDomains() {
        ConfigException blocked = setError("federation.blocked_domains=[\"ok.example\", \"not a domain\"]");
        assertThat(blocked.key()).isEqualTo("federation.blocked_domains");
        assertThat(blocked.reason()).contains("not a valid domain name");
        assertThat(setError("federation.allowed_domains=[\"a..example\"]").reason()).contains("not a valid domain name");
        assertThat(setError("federation.max_inbound_links_per_ip=0").key()).isEqualTo("federation.max_inbound_links_per_ip");
        assertThat(setError("federation.peer_stanza_rate=0").key()).isEqualTo("federation.peer_stanza_rate");
    }

    @Test
    void dnsServersAreIpLiteralsWithPorts() {
        ConfigException name = setError("federation.dns_servers=[\"dns.example:53\"]");
        assertThat(name.key()).isEqualTo("federation.dns_servers");
        assertThat(name.reason()).contains("dns.example");
        assertThat(setError("federation.dns_servers=[\"127.0.0.1\"]").reason()).contains("host:port");
    }

    @Test
    void inconsistentPairs() {
        assertThat(setError("c2s.write_buffer_low=1MiB").key()).isEqualTo("c2s.write_buffer_low");
        assertThat(setError("c2s.resumption_timeout=1h").key()).isEqualTo("c2s.resumption_timeout");
        assertThat(setError("c2s.max_connections=10").key()).isEqualTo("c2s.max_connections_per_ip");
        assertThat(setError("tls.private_key=/etc/key.pem").reason()).contains("tls.certificate is empty");
        assertThat(setError("tls.certificate=/etc/node.p12", "tls.private_key=/etc/key.pem").key())
                .isEqualTo("tls.private_key");
    }

    @Test
    void federationLimitsAndTrustAnchors() {
        assertThat(setError("federation.queue_max_per_peer=0").key()).isEqualTo("federation.queue_max_per_peer");
        assertThat(setError("federation.max_inbound_links=0").key()).isEqualTo("federation.max_inbound_links");
        assertThat(setError("federation.idle_timeout=0s").key()).isEqualTo("federation.idle_timeout");
        ConfigException typo = setError("federation.trust_anchors=/etc/ca.pem,${data_dri}/ca.pem");
        assertThat(typo.key()).isEqualTo("federation.trust_anchors");
        assertThat(typo.reason()).isEqualTo("\"${data_dri}/ca.pem\": only ${data_dir} is supported");
    }

    @Test
    void twoListenersOnTheSamePortBlameTheKeyTheAdminWrote() {
        ConfigException error = setError("c2s.direct_tls_port=5269");
        assertThat(error.key()).isEqualTo("c2s.direct_tls_port");
        assertThat(error.reason()).isEqualTo("port 5269 is already used by federation.port");
        assertThat(setError("http.bind=127.0.0.1:5222").key()).isEqualTo("http.bind");
        // Federation disabled: its ports are free for others.
        assertThat(assertDoesNotFail("federation.enabled=false", "c2s.direct_tls_port=5269")).isTrue();
    }

    private static boolean assertDoesNotFail(String... overrides) {
        try {
            SkerryConfig.load(null, List.of(overrides), Map.of());
            return true;
        } catch (ConfigException unexpected) {
            throw new AssertionError(unexpected.getMessage(), unexpected);
        }
    }

    @Test
    void publicConstructorForLaterProblems() {
        ConfigException error = new ConfigException("tls.certificate", "cannot read /etc/x.pem");
        assertThat(error.getMessage()).isEqualTo("tls.certificate: cannot read /etc/x.pem");
        assertThat(error.line()).isZero();
    }
}
