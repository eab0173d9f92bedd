package dev.engram.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * engram's version, from the Maven descriptor the build puts in the jar; null when engram runs from
 * its compiled classes (a development build). The native executable has no jar to read it from at
 * run time, so its build initialises this class while building (native-image.properties): the
 * version is the one of the jar the executable was built from.
 */
final class BuildVersion {
    static final String VERSION = read();

    private BuildVersion() {
    }

    private static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("/META-INF/maven/dev.engram/engram/pom.properties")) {
            if (in == null) {
                return null;
            }
            Properties descriptor = new Properties();
            descriptor.load(in);
            return descriptor.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }
}
