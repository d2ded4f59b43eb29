package org.skerry.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * Random secrets a node keeps across restarts (the SASL decoy secret today, the dialback secret later), each in
 * its own owner-only file in the data directory. Kept rather than regenerated so that what they derive (the fake
 * salt of an unknown user) does not change at every restart and give the unknown user away.
 */
public final class NodeSecrets {
    private NodeSecrets() {}

    public static byte[] load(Path dataDir, String name) {
        Path file = dataDir.resolve(name + ".secret");
        try {
            if (Files.exists(file)) {
                byte[] existing = Files.readAllBytes(file);
                if (existing.length >= 32) {
                    return existing;
                }
            }
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Files.write(file, secret);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: rely on the data directory's permissions
            }
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }
}
