package org.skerry.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a set of files looked like at one moment: modification time, size and a SHA-256 of the contents.
 * The content hash is what decides, because modification times can have a coarse (one or two second)
 * granularity and tools such as certbot replace files through symlinks; the time and size are kept so that
 * the state stays meaningful in logs and comparisons even for a file that cannot be read.
 */
record WatchedFiles(List<String> states) {

    static WatchedFiles of(List<Path> files) {
        List<String> states = new ArrayList<>();
        for (Path file : files) {
            states.add(file + " " + stateOf(file));
        }
        return new WatchedFiles(List.copyOf(states));
    }

    private static String stateOf(Path file) {
        try {
            // Files.* follow symlinks, so a renewed certbot "live/" link counts as a change.
            String modified = Files.getLastModifiedTime(file).toString();
            byte[] content = Files.readAllBytes(file);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return modified + " " + content.length + " " + HexFormat.of().formatHex(digest);
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable: " + e;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
