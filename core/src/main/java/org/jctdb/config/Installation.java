package org.jctdb.config;

import java.nio.file.Path;

/**
 * Where this installation keeps its launchers and helper programs: the one place that reads it.
 * The launchers (bin/jctdb-env) say so with system properties: {@code jctdb.home} (the folder with
 * bin/) and {@code jctdb.helperdir} (CTDB's CTDB_HELPER_BINDIR: the lock helper, gratuitous ARP,
 * the fast client). Where they are is the installation's business (bin/jctdb-layout of the build
 * tree, the Debian package's own): this class only reads the properties.
 */
public record Installation(Path home, Path helperDir) {
    public static final String HOME_PROPERTY = "jctdb.home";
    public static final String HELPER_DIR_PROPERTY = "jctdb.helperdir";

    /**
     * This process's installation, from its system properties (working directory if unset; the
     * helpers then in its libexec/, though the launchers and the build always say where).
     */
    public static Installation current() {
        Path home =
                Path.of(System.getProperty(HOME_PROPERTY, ".")).toAbsolutePath().normalize();
        String helpers = System.getProperty(HELPER_DIR_PROPERTY);
        return new Installation(
                home,
                helpers != null && !helpers.isBlank()
                        ? Path.of(helpers).toAbsolutePath().normalize()
                        : home.resolve("libexec"));
    }

    /** A helper program by name. */
    public Path helper(String name) {
        return helperDir.resolve(name);
    }

    /** The jctdb command of this installation (event scripts get it as $CTDB). */
    public Path jctdbCommand() {
        return home.resolve("bin").resolve("jctdb");
    }
}
