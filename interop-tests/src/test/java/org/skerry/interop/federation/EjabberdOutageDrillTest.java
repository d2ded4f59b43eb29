package org.skerry.interop.federation;

import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The outage drill ({@link ForeignServerOutageDrillTests}) against a real ejabberd 23.01 (Debian's package): its
 * whole process tree (ejabberdctl, the Erlang VM and its helpers) killed with SIGKILL, then started again on its
 * Mnesia spool. Runs only with {@code -Dskerry.interop=true}.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class EjabberdOutageDrillTest extends ForeignServerOutageDrillTests {
    EjabberdOutageDrillTest() { super("skerry-ejdrill.test", "127.0.0.65", "ejabberd"); }

    @Override
    ForeignServer startPeer(String hostsLine) throws Exception {
        return EjabberdPeer.startWithDialback("ejabberd-drill.test", "127.0.0.64", List.of(hostsLine), "bob", "bob-secret");
    }
}
