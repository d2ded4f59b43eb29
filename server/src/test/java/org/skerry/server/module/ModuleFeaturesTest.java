package org.skerry.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.skerry.server.Node;
import org.skerry.server.ServerContext;
import org.skerry.server.ServerFeatures;
import org.skerry.server.config.SkerryConfig;
import org.skerry.server.control.ControlCommand;
import org.skerry.server.im.DiscoModule;
import org.skerry.server.session.ClientSession;
import org.skerry.server.session.RecordingConnection;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Stanzas;

/**
 * The feature list is generated: every module declares what it implements, and the node's disco#info lists exactly
 * what the modules advertised while they started, nothing kept by hand.
 */
class ModuleFeaturesTest {
    private static final String SERVICES = "META-INF/services/" + Module.class.getName();
    private static final String DOMAIN = "capulet.lit";

    @TempDir
    Path dataDir;
    private Node node;

    @BeforeEach
    void start() throws Exception {
        node = Node.start(SkerryConfig.load(null, List.of(
                "domains=[\"" + DOMAIN + "\"]", "admins=[]", "data_dir=\"" + dataDir + "\"",
                "c2s.port=0", "c2s.direct_tls_port=0", "federation.enabled=false", "auth.scram_iterations=4096"),
                Map.of()));
    }

    @AfterEach
    void stop() { node.close(); }

    @Test
    void everyListedModuleDeclaresWhatItImplements() throws Exception {
        List<String> listed = listedModules();

        assertThat(listed).isNotEmpty();
        for (String name : listed) {
            Class<?> module = Class.forName(name);
            assertThat(Module.class).isAssignableFrom(module);
            assertThat(module.getAnnotationsByType(Implements.class))
                    .as("@Implements on " + name).isNotEmpty()
                    .allSatisfy(spec -> assertThat(spec.spec()).as("spec of " + name).isNotBlank());
        }
    }

    @Test
    void discoInfoListsExactlyWhatTheModulesAdvertised() {
        Recorded advertised = advertisedByEveryModule();

        Element query = discoInfo();

        List<String> features = new ArrayList<>();
        List<ServerFeatures.Identity> identities = new ArrayList<>();
        for (Element child : query.elements()) {
            switch (child.name()) {
                case "feature" -> features.add(child.attr("var"));
                case "identity" -> identities.add(
                        new ServerFeatures.Identity(child.attr("category"), child.attr("type"), child.attr("name")));
                default -> throw new AssertionError("unexpected child of disco#info: " + child);
            }
        }
        assertThat(features).as("no feature listed twice").doesNotHaveDuplicates();
        assertThat(new TreeSet<>(features)).isEqualTo(advertised.features());
        assertThat(identities).containsExactlyInAnyOrderElementsOf(advertised.identities());
        assertThat(features).contains(DiscoModule.INFO, "urn:xmpp:ping");
    }

    /** Asks the node for its disco#info as a logged-in client would, and returns the answer's query. */
    private Element discoInfo() {
        RecordingConnection connection = new RecordingConnection();
        ClientSession session = new ClientSession(Jid.parse("juliet@" + DOMAIN + "/balcony"), "s1", connection);
        node.sessions().bind(session);
        Element request = Stanzas.iq("get", "disco-1", session.jid().toString(), DOMAIN);
        request.addChild("query", DiscoModule.INFO);

        node.router().route(request);

        Element answer = connection.written().get(0);
        assertThat(answer.attr("type")).as(answer.toString()).isEqualTo("result");
        return answer.child("query", DiscoModule.INFO);
    }

    private record Recorded(TreeSet<String> features, List<ServerFeatures.Identity> identities) {}

    /** Starts a fresh copy of every module against a context that only records what it advertises. */
    private Recorded advertisedByEveryModule() {
        Recorded recorded = new Recorded(new TreeSet<>(), new ArrayList<>());
        ModuleContext recording = new ModuleContext() {
            @Override public ServerContext server() { return node; }

            @Override public void advertise(String feature) { recorded.features().add(feature); }

            @Override public void identity(String category, String type, String name) {
                recorded.identities().add(new ServerFeatures.Identity(category, type, name));
            }

            @Override public void onIq(String namespace, IqHandler handler) { }

            @Override public void onAccountIq(String namespace, IqHandler handler) { }

            @Override public org.skerry.server.http.HttpRoutes http() { return (prefix, handler) -> { }; }

            @Override public <T> void on(EventType<T> type, int priority, EventHandler<T> handler) { }

            @Override public void onControlCommand(String word, ControlCommand command) { }
        };
        for (Module module : ServiceLoader.load(Module.class)) {
            module.start(recording);
            module.stop();
        }
        return recorded;
    }

    private static List<String> listedModules() throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = ModuleFeaturesTest.class.getClassLoader().getResourceAsStream(SERVICES)) {
            assertThat(in).as(SERVICES).isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String name = line.replaceFirst("#.*", "").trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
