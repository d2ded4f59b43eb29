package org.skerry.console.certificates;

import java.util.Map;
import org.skerry.console.web.ConsoleFeature;
import org.skerry.console.web.ConsoleRoutes;
import org.skerry.console.web.PageResult;
import org.skerry.console.web.WebIo;

/** The node's TLS certificate: see it, upload a new one, regenerate or go back to the self-signed one. */
public final class CertificatesFeature implements ConsoleFeature {
    private static final String PAGE = "/admin/certificates";

    private final CertificateOperations operations;

    public CertificatesFeature(CertificateOperations operations) {
        this.operations = operations;
    }

    @Override
    public NavEntry nav() { return new NavEntry("Certificates", "/certificates", 30); }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.api("GET", "/certificates", call -> operations.state());
        routes.api("POST", "/certificates/upload", call -> operations.upload(call.admin(),
                call.field("certificate", WebIo.MAX_BODY_BYTES), call.field("privateKey", CertificateOperations.MAX_KEY_LENGTH)));
        routes.api("POST", "/certificates/regenerate", call -> operations.regenerate(call.admin()));
        routes.api("DELETE", "/certificates/uploaded", call -> operations.removeUploaded(call.admin()));

        routes.page("GET", "/certificates", call -> PageResult.view("certificates/certificates.jte", "Certificates",
                Map.of("state", operations.state())));
        routes.page("POST", "/certificates/upload", call -> installed("Installed the uploaded certificate",
                operations.upload(call.admin(), call.field("certificate", WebIo.MAX_BODY_BYTES),
                        call.field("privateKey", CertificateOperations.MAX_KEY_LENGTH))));
        routes.page("POST", "/certificates/regenerate", call -> installed("Generated a new self-signed certificate",
                operations.regenerate(call.admin())));
        routes.page("POST", "/certificates/remove-uploaded", call -> installed(
                "Removed the uploaded certificate; the node serves its self-signed one again",
                operations.removeUploaded(call.admin())));
    }

    private static PageResult installed(String what, CertificateOperations.CertificateState state) {
        return PageResult.redirect(PAGE, what + " (SHA-256 " + state.certificate().sha256Fingerprint()
                + "). New connections get it now; open ones keep the old one until they reconnect.");
    }
}
