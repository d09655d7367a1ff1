package org.jctdb.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where databases and the CTDB client socket live, from ctdb.conf.
 *
 * @param volatileDir        {@code [database] volatile database directory} (CTDB's option)
 * @param persistentDir      {@code [database] persistent database directory} (CTDB's option)
 * @param stateDir           {@code [database] state database directory} (CTDB's option)
 * @param ctdbdSocket        JCTDB extension {@code [cluster] ctdbd socket}: the CTDB client socket
 *                           (smb.conf's "ctdbd socket" must name the same path)
 */
public record DatabaseConf(
        Optional<Path> volatileDir, Optional<Path> persistentDir, Optional<Path> stateDir, Optional<Path> ctdbdSocket) {

    public static DatabaseConf defaults() {
        return new DatabaseConf(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
