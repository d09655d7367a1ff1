package org.jctdb.cli;

import java.util.List;

/**
 * Offline commands that live outside the command's own module (the lab's `local-cluster` and
 * `lab`). Found with ServiceLoader, so they are there when their jar is on the class path (bin/jctdb
 * adds it for those commands) and absent from the daemon, which never loads the lab.
 */
public interface ToolCommands {
    /** picocli command objects, each annotated with its @Command name. */
    List<Object> commands();
}
