package org.jctdb.lab;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where JCTDB is installed (the directory with bin/, target/ and tools/): the jctdb.home system
 * property (set by bin/jctdb and by failsafe), else JCTDB_HOME, else two levels above the jar
 * this class came from (HOME/target/jctdb.jar), else the working directory.
 */
public final class Home {
    private Home() {
    }

    public static Path path() {
        String prop = System.getProperty("jctdb.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        String env = System.getenv("JCTDB_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar) && jar.getParent() != null && jar.getParent().getParent() != null) {
                return jar.getParent().getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (unusual class loader): fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    public static Path resolve(String relative) {
        return path().resolve(relative);
    }
}
