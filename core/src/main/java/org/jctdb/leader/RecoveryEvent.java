package org.jctdb.leader;

/** Events the recovery runs on every member; names match CTDB's event script arguments. */
public enum RecoveryEvent {
    STARTRECOVERY("startrecovery"),
    RECOVERED("recovered");

    private final String scriptArgument;

    RecoveryEvent(String scriptArgument) {
        this.scriptArgument = scriptArgument;
    }

    public String scriptArgument() {
        return scriptArgument;
    }
}
