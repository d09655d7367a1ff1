package org.jctdb.lab;

import java.util.List;
import org.jctdb.cli.ToolCommands;

/** The lab's commands for `jctdb`: local clusters and fault campaigns. */
public final class LabTools implements ToolCommands {
    @Override
    public List<Object> commands() {
        return List.of(new LocalClusterCommand(), new LabCommand());
    }
}
