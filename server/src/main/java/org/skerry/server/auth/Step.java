package org.skerry.server.auth;

/** The outcome of one successful {@link SaslServer#evaluate} call: either another challenge or success. */
public sealed interface Step {

    /** Send {@code <challenge/>} with {@code data} (zero-length data is sent as "=") and wait for a response. */
    record Challenge(byte[] data) implements Step {
        public Challenge {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /**
     * Send {@code <success/>}: the client is authenticated as {@code authenticatedUsername}, the normalized
     * localpart on the connection's domain. {@code additionalData} (e.g. SCRAM's "v=…") goes inside
     * {@code <success/>}; null means no additional data (an empty element).
     */
    record Success(String authenticatedUsername, byte[] additionalData) implements Step {
        public Success {
            additionalData = additionalData == null ? null : additionalData.clone();
        }

        @Override
        public byte[] additionalData() {
            return additionalData == null ? null : additionalData.clone();
        }
    }
}
