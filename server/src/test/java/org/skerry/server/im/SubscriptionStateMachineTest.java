package org.skerry.server.im;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.skerry.server.im.Subscription.Base;
import org.skerry.server.im.SubscriptionStateMachine.Action;
import org.skerry.server.im.SubscriptionStateMachine.Outcome;

/**
 * Every cell of RFC 6121 Appendix A, written as the RFC's tables: existing state, stanza, whether the server
 * routes (A.2) or delivers (A.3) it, and the new state. States use the RFC's names; "+Approved" marks the §3.4
 * pre-approval flag.
 */
class SubscriptionStateMachineTest {

    @ParameterizedTest(name = "A.2 user sends {1} in \"{0}\": {2}, then \"{3}\"")
    @CsvSource({
        // A.2.1 outbound subscribe: always routed
        "None,                 subscribe, FORWARD, None+PendingOut",
        "None+PendingOut,      subscribe, FORWARD, None+PendingOut",
        "None+PendingIn,       subscribe, FORWARD, None+PendingOut+In",
        "None+PendingOut+In,   subscribe, FORWARD, None+PendingOut+In",
        "To,                   subscribe, FORWARD, To",
        "To+PendingIn,         subscribe, FORWARD, To+PendingIn",
        "From,                 subscribe, FORWARD, From+PendingOut",
        "From+PendingOut,      subscribe, FORWARD, From+PendingOut",
        "Both,                 subscribe, FORWARD, Both",
        // A.2.2 outbound unsubscribe: always routed
        "None,                 unsubscribe, FORWARD, None",
        "None+PendingOut,      unsubscribe, FORWARD, None",
        "None+PendingIn,       unsubscribe, FORWARD, None+PendingIn",
        "None+PendingOut+In,   unsubscribe, FORWARD, None+PendingIn",
        "To,                   unsubscribe, FORWARD, None",
        "To+PendingIn,         unsubscribe, FORWARD, None+PendingIn",
        "From,                 unsubscribe, FORWARD, From",
        "From+PendingOut,      unsubscribe, FORWARD, From",
        "Both,                 unsubscribe, FORWARD, From",
        // A.2.3 outbound subscribed; with nothing pending it is a pre-approval (§3.4), never routed
        "None,                 subscribed, DROP,    None+Approved",
        "None+PendingOut,      subscribed, DROP,    None+PendingOut+Approved",
        "None+PendingIn,       subscribed, FORWARD, From",
        "None+PendingOut+In,   subscribed, FORWARD, From+PendingOut",
        "To,                   subscribed, DROP,    To+Approved",
        "To+PendingIn,         subscribed, FORWARD, Both",
        "From,                 subscribed, DROP,    From",
        "From+PendingOut,      subscribed, DROP,    From+PendingOut",
        "Both,                 subscribed, DROP,    Both",
        // A.2.4 outbound unsubscribed
        "None,                 unsubscribed, DROP,    None",
        "None+PendingOut,      unsubscribed, DROP,    None+PendingOut",
        "None+PendingIn,       unsubscribed, FORWARD, None",
        "None+PendingOut+In,   unsubscribed, FORWARD, None+PendingOut",
        "To,                   unsubscribed, DROP,    To",
        "To+PendingIn,         unsubscribed, FORWARD, To",
        "From,                 unsubscribed, FORWARD, None",
        "From+PendingOut,      unsubscribed, FORWARD, None+PendingOut",
        "Both,                 unsubscribed, FORWARD, To",
    })
    void outbound(String existing, String type, Action route, String expected) {
        Subscription before = state(existing);
        Outcome outcome = SubscriptionStateMachine.outbound(before, type);

        assertThat(outcome.next()).as("new state").isEqualTo(state(expected));
        assertThat(outcome.action()).as("routed?").isEqualTo(route);
        assertThat(outcome.changed()).as("roster push due").isEqualTo(!outcome.next().equals(before));
    }

    @ParameterizedTest(name = "A.3 contact sends {1} in \"{0}\": {2}, then \"{3}\"")
    @CsvSource({
        // A.3.1 inbound subscribe; where the contact already has a subscription the server answers for the user
        "None,                 subscribe, FORWARD,      None+PendingIn",
        "None+PendingOut,      subscribe, FORWARD,      None+PendingOut+In",
        "None+PendingIn,       subscribe, DROP,         None+PendingIn",
        "None+PendingOut+In,   subscribe, DROP,         None+PendingOut+In",
        "To,                   subscribe, FORWARD,      To+PendingIn",
        "To+PendingIn,         subscribe, DROP,         To+PendingIn",
        "From,                 subscribe, AUTO_APPROVE, From",
        "From+PendingOut,      subscribe, AUTO_APPROVE, From+PendingOut",
        "Both,                 subscribe, AUTO_APPROVE, Both",
        // A.3.2 inbound unsubscribe
        "None,                 unsubscribe, DROP,    None",
        "None+PendingOut,      unsubscribe, DROP,    None+PendingOut",
        "None+PendingIn,       unsubscribe, FORWARD, None",
        "None+PendingOut+In,   unsubscribe, FORWARD, None+PendingOut",
        "To,                   unsubscribe, DROP,    To",
        "To+PendingIn,         unsubscribe, FORWARD, To",
        "From,                 unsubscribe, FORWARD, None",
        "From+PendingOut,      unsubscribe, FORWARD, None+PendingOut",
        "Both,                 unsubscribe, FORWARD, To",
        // A.3.3 inbound subscribed: only meaningful while the user's request is pending
        "None,                 subscribed, DROP,    None",
        "None+PendingOut,      subscribed, FORWARD, To",
        "None+PendingIn,       subscribed, DROP,    None+PendingIn",
        "None+PendingOut+In,   subscribed, FORWARD, To+PendingIn",
        "To,                   subscribed, DROP,    To",
        "To+PendingIn,         subscribed, DROP,    To+PendingIn",
        "From,                 subscribed, DROP,    From",
        "From+PendingOut,      subscribed, FORWARD, Both",
        "Both,                 subscribed, DROP,    Both",
        // A.3.4 inbound unsubscribed
        "None,                 unsubscribed, DROP,    None",
        "None+PendingOut,      unsubscribed, FORWARD, None",
        "None+PendingIn,       unsubscribed, DROP,    None+PendingIn",
        "None+PendingOut+In,   unsubscribed, FORWARD, None+PendingIn",
        "To,                   unsubscribed, FORWARD, None",
        "To+PendingIn,         unsubscribed, FORWARD, None+PendingIn",
        "From,                 unsubscribed, DROP,    From",
        "From+PendingOut,      unsubscribed, FORWARD, From",
        "Both,                 unsubscribed, FORWARD, From",
    })
    void inbound(String existing, String type, Action delivery, String expected) {
        Subscription before = state(existing);
        Outcome outcome = SubscriptionStateMachine.inbound(before, type);

        assertThat(outcome.next()).as("new state").isEqualTo(state(expected));
        assertThat(outcome.action()).as("delivered?").isEqualTo(delivery);
        if (!rosterView(outcome.next()).equals(rosterView(before))) {
            assertThat(outcome.changed()).as("a change the client can see needs a roster push").isTrue();
        }
    }

    // ---------------------------------------------------------------- §3.4 pre-approval

    @ParameterizedTest(name = "pre-approved in \"{0}\": the contact's subscribe is approved for the user, then \"{1}\"")
    @CsvSource({
        "None+Approved,            From",
        "None+PendingOut+Approved, From+PendingOut",
        "To+Approved,              Both",
    })
    void inboundSubscribeAfterPreApprovalIsAnsweredAndConsumesTheApproval(String existing, String expected) {
        Outcome outcome = SubscriptionStateMachine.inbound(state(existing), "subscribe");

        assertThat(outcome.action()).isEqualTo(Action.AUTO_APPROVE);
        assertThat(outcome.next()).isEqualTo(state(expected));
        assertThat(outcome.changed()).isTrue();
    }

    @Test
    void preApprovingTwiceChangesNothing() {
        Outcome outcome = SubscriptionStateMachine.outbound(state("None+Approved"), "subscribed");

        assertThat(outcome.next()).isEqualTo(state("None+Approved"));
        assertThat(outcome.action()).isEqualTo(Action.DROP);
        assertThat(outcome.changed()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"None+Approved, None", "None+PendingOut+Approved, None+PendingOut", "To+Approved, To"})
    void unsubscribedCancelsAPreApprovalWithoutTellingTheContact(String existing, String expected) {
        Outcome outcome = SubscriptionStateMachine.outbound(state(existing), "unsubscribed");

        assertThat(outcome.next()).isEqualTo(state(expected));
        assertThat(outcome.action()).isEqualTo(Action.DROP);
        assertThat(outcome.changed()).as("the roster item loses its 'approved' flag").isTrue();
    }

    @ParameterizedTest
    @CsvSource({"None+Approved", "None+PendingOut+Approved", "To+Approved"})
    void aPreApprovalSurvivesTheUsersOwnSubscriptionTraffic(String existing) {
        assertThat(SubscriptionStateMachine.outbound(state(existing), "subscribe").next().preApproved()).isTrue();
        assertThat(SubscriptionStateMachine.inbound(state(existing), "subscribed").next().preApproved()).isTrue();
    }

    @Test
    void otherPresenceTypesAreNotSubscriptions() {
        assertThatThrownBy(() -> SubscriptionStateMachine.outbound(Subscription.NONE, "probe"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscriptionStateMachine.inbound(Subscription.NONE, "unavailable"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- helpers

    /** What the roster protocol shows of a state: 'subscription', 'ask' and 'approved' (pending-in is hidden). */
    private static Object rosterView(Subscription s) {
        return java.util.List.of(s.base(), s.pendingOut(), s.preApproved());
    }

    /** Parses the RFC's state names: "None", "None+PendingOut", "None+PendingOut+In", "To+PendingIn", ... */
    static Subscription state(String name) {
        String[] parts = name.trim().split("\\+");
        Base base = Base.valueOf(parts[0].toUpperCase(Locale.ROOT));
        boolean out = false;
        boolean in = false;
        boolean approved = false;
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i]) {
                case "PendingOut" -> out = true;
                case "PendingIn", "In" -> in = true;
                case "Approved" -> approved = true;
                default -> throw new IllegalArgumentException("Unknown state part " + parts[i] + " in " + name);
            }
        }
        return new Subscription(base, out, in, approved);
    }
}
