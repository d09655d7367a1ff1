package org.jctdb.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.net.URISyntaxException;
import java.util.Set;
import org.jctdb.lab.LabCommand;
import org.jctdb.leader.LeaderCore;
import org.junit.jupiter.api.Test;

/**
 * The structure docs/design/architecture.md describes, kept by the build: packages without
 * cycles, the lab never reached from the product, and the core module pure.
 */
class ArchitectureTest {
    /** Main classes only: not test-classes folders, nor the core's test-jar (its simulator). */
    private static final ImportOption MAIN_ONLY =
            location -> !location.contains("/test-classes/") && !location.contains("-tests.jar");

    /** Every main class of the product and the lab. */
    private final JavaClasses all =
            new ClassFileImporter().withImportOption(MAIN_ONLY).importPackages("org.jctdb");

    /** The classes of the core module alone (its jar or classes folder). */
    private static JavaClasses coreModule() throws URISyntaxException {
        var where = LeaderCore.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI();
        return new ClassFileImporter().withImportOption(MAIN_ONLY).importLocations(Set.of(Location.of(where)));
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.jctdb.(*)..").should().beFreeOfCycles().check(all);
    }

    @Test
    void nothingOutsideTheLabDependsOnIt() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.jctdb.lab..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.jctdb.lab..")
                .because("the lab and its AWT charts stay off the daemon's class path (" + LabCommand.class.getName()
                        + ")")
                .check(all);
    }

    @Test
    void leaderAndIpDecideWithoutNettyFilesOrThreads() {
        noClasses()
                .that()
                .resideInAnyPackage("org.jctdb.leader..", "org.jctdb.ip..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "java.nio.file..")
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(Thread.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(java.util.concurrent.Executor.class)
                .check(all);
    }

    @Test
    void theCoreModuleIsPure() throws URISyntaxException {
        JavaClasses core = coreModule();
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "com.sun.jna..")
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(Thread.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(ProcessBuilder.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(java.util.concurrent.Executor.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(java.net.Socket.class)
                .because("core holds decisions and formats; processes, sockets and threads live in the daemon")
                .check(core);
        // Reading configuration is the one file access core does.
        noClasses()
                .that()
                .resideOutsideOfPackage("org.jctdb.config..")
                .should()
                .dependOnClassesThat()
                .areAssignableTo(java.nio.file.Files.class)
                .check(core);
    }
}
