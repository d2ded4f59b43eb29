package org.skerry.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.skerry.server.xmpp.Jid;

class SessionRegistryTest {
    private static final Jid JULIET = Jid.of("juliet", "capulet.lit");

    private final SessionRegistry registry = new SessionRegistry();

    @Test
    void boundSessionsAreFoundByFullJidAndByAccount() {
        ClientSession balcony = session("balcony", "s1");
        ClientSession chamber = session("chamber", "s2");

        assertThat(registry.bind(balcony)).isNull();
        assertThat(registry.bind(chamber)).isNull();

        assertThat(registry.session(JULIET.withResource("balcony"))).isSameAs(balcony);
        assertThat(registry.session(JULIET)).as("a bare JID names no session").isNull();
        assertThat(registry.sessions(JULIET)).containsExactlyInAnyOrder(balcony, chamber);
        assertThat(registry.sessions(JULIET.withResource("anything"))).hasSize(2);
        assertThat(registry.count()).isEqualTo(2);
        assertThat(registry.accountCount()).isEqualTo(1);
        assertThat(registry.all("capulet.lit")).hasSize(2);
        assertThat(registry.all("montague.lit")).isEmpty();
    }

    @Test
    void onlyResourcesThatSentPresenceAreAvailable() {
        ClientSession balcony = session("balcony", "s1");
        ClientSession chamber = session("chamber", "s2");
        registry.bind(balcony);
        registry.bind(chamber);

        balcony.updatePresence(null, true, 0);

        assertThat(registry.available(JULIET)).containsExactly(balcony);
    }

    @Test
    void aSecondBindOnTheSameFullJidDisplacesTheFirst() {
        ClientSession first = session("balcony", "s1");
        ClientSession second = session("balcony", "s2");
        registry.bind(first);

        assertThat(registry.bind(second)).isSameAs(first);
        assertThat(registry.session(JULIET.withResource("balcony"))).isSameAs(second);
        assertThat(registry.count()).isEqualTo(1);

        assertThat(registry.unbind(first)).as("the displaced session no longer owns the resource").isFalse();
        assertThat(registry.session(JULIET.withResource("balcony"))).isSameAs(second);
        assertThat(registry.count()).isEqualTo(1);
    }

    @Test
    void unbindingTheLastResourceForgetsTheAccount() {
        ClientSession balcony = session("balcony", "s1");
        registry.bind(balcony);

        assertThat(registry.unbind(balcony)).isTrue();
        assertThat(registry.unbind(balcony)).as("only once").isFalse();
        assertThat(registry.sessions(JULIET)).isEmpty();
        assertThat(registry.count()).isZero();
        assertThat(registry.accountCount()).isZero();
    }

    @Test
    void resumptionIdsFindTheirSessionUntilItIsUnbound() {
        ClientSession balcony = session("balcony", "s1");
        registry.bind(balcony);
        balcony.enableStreamManagement("resume-1", 1000, java.time.Duration.ofMinutes(5));
        registry.registerResumable(balcony);

        assertThat(registry.byResumptionId("resume-1")).isSameAs(balcony);
        assertThat(registry.byResumptionId("resume-2")).isNull();

        registry.unbind(balcony);
        assertThat(registry.byResumptionId("resume-1")).isNull();
    }

    @Test
    void aDisplacedSessionCanNoLongerBeResumed() {
        ClientSession first = session("balcony", "s1");
        registry.bind(first);
        first.enableStreamManagement("resume-1", 1000, java.time.Duration.ofMinutes(5));
        registry.registerResumable(first);

        registry.bind(session("balcony", "s2"));

        assertThat(registry.byResumptionId("resume-1")).isNull();
    }

    @Test
    void unbindingADisplacedSessionKeepsTheResumptionIdOfItsSuccessor() {
        ClientSession first = session("balcony", "s1");
        registry.bind(first);
        first.enableStreamManagement("resume-1", 1000, java.time.Duration.ofMinutes(5));
        registry.registerResumable(first);
        ClientSession second = session("balcony", "s2");
        registry.bind(second);
        second.enableStreamManagement("resume-2", 1000, java.time.Duration.ofMinutes(5));
        registry.registerResumable(second);

        registry.unbind(first);

        assertThat(registry.byResumptionId("resume-2")).isSameAs(second);
    }

    /**
     * One resource logs in and out in a loop while another binds: the second bind must never land in the
     * account's map at the moment the first one's unbind drops that map as empty.
     */
    @Test
    void concurrentBindAndUnbindOfOneAccountNeverLoseASession() throws InterruptedException {
        int rounds = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger lost = new AtomicInteger();
        Thread churn = new Thread(() -> {
            awaitQuietly(start);
            ClientSession phone = session("phone", "p");
            for (int i = 0; i < rounds; i++) {
                registry.bind(phone);
                registry.unbind(phone);
            }
        });
        Thread laptop = new Thread(() -> {
            awaitQuietly(start);
            for (int i = 0; i < rounds; i++) {
                ClientSession s = session("laptop", "l" + i);
                registry.bind(s);
                if (registry.session(s.jid()) != s) {
                    lost.incrementAndGet();
                }
                registry.unbind(s);
            }
        });
        churn.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        laptop.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        churn.start();
        laptop.start();
        start.countDown();
        churn.join();
        laptop.join();

        assertThat(failure.get()).isNull();
        assertThat(lost.get()).as("bound sessions that the registry could not find").isZero();
        assertThat(registry.count()).isZero();
        assertThat(registry.accountCount()).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ClientSession session(String resource, String streamId) {
        return new ClientSession(JULIET.withResource(resource), streamId, new RecordingConnection());
    }
}
