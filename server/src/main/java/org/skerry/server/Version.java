package org.skerry.server;

/** The build's version, from the jar manifest (a development build says so). */
public final class Version {
    private Version() {}

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-dev" : version;
    }
}
