package org.skerry.interop.federation;

import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The outage drill ({@link ForeignServerOutageDrillTests}) against a real Prosody 0.12 (Debian's package), killed
 * with SIGKILL and started again on its data. Runs only with {@code -Dskerry.interop=true}.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ProsodyOutageDrillTest extends ForeignServerOutageDrillTests {
    ProsodyOutageDrillTest() { super("skerry-drill.test", "127.0.0.57", "Prosody"); }

    @Override
    ForeignServer startPeer(String hostsLine) throws Exception {
        return ProsodyPeer.startWithDialback("prosody-drill.test", "127.0.0.56", List.of(hostsLine), "bob", "bob-secret");
    }
}
